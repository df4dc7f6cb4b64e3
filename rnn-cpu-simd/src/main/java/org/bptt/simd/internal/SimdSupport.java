package org.bptt.simd.internal;

import jdk.incubator.vector.FloatVector;
import org.bptt.api.kernel.Kernels;
import org.bptt.simd.SimdSettings;

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

    /** A SIMD backend that may use {@code threads} threads, with the given kernel settings. */
    public static Kernels create(int threads, SimdSettings settings) {
        return new SimdKernels(threads, settings);
    }

    /** The settings a backend made by {@link #create} runs with, or null for another backend. */
    public static SimdSettings settingsOf(Kernels kernels) {
        return kernels instanceof SimdKernels s ? s.settings() : null;
    }

    /** Width of the preferred vector in bits. */
    public static int preferredVectorBits() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }
}
