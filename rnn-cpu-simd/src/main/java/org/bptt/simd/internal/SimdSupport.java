package org.bptt.simd.internal;

import org.bptt.api.kernel.Kernels;

import jdk.incubator.vector.FloatVector;

/**
 * The seam between the provider and the Vector API: its signatures name only JDK and API
 * types, so the provider links against it without linking {@code jdk.incubator.vector};
 * its bodies run only after the provider has checked the module is present.
 */
public final class SimdSupport {
    private SimdSupport() {}

    /** Float lanes of the preferred species on this CPU. */
    public static int preferredFloatLanes() {
        return FloatVector.SPECIES_PREFERRED.length();
    }

    /** A SIMD backend that may use {@code threads} threads. */
    public static Kernels create(int threads) {
        return new SimdKernels(threads);
    }
}
