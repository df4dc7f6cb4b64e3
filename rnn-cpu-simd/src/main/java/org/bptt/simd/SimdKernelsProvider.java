package org.bptt.simd;

import org.bptt.api.kernel.KernelsProvider;
import org.bptt.simd.internal.SimdSupport;

/**
 * Provider of the {@code simd} backend. Loading this class links nothing from
 * {@code jdk.incubator.vector}: {@link #create} first checks that the module is in the
 * boot layer, and only then calls into {@link SimdSupport}, the first class that does.
 */
public final class SimdKernelsProvider implements KernelsProvider {

    /** The Vector API is slower than scalar code below this many float lanes. */
    static final int MIN_LANES = 4;

    public SimdKernelsProvider() {}

    @Override
    public String name() { return "simd"; }

    @Override
    public int priority() { return 100; }

    @Override
    public Availability create(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return Availability.unavailable("the JVM was started without --add-modules jdk.incubator.vector;"
                    + " add that option (the ./rnn launcher does) to enable SIMD");
        }
        int lanes = SimdSupport.preferredFloatLanes();
        if (lanes < MIN_LANES) {
            return Availability.unavailable("the CPU's preferred vector holds only " + lanes
                    + " float(s); SIMD needs at least " + MIN_LANES);
        }
        return Availability.of(SimdSupport.create(threads));
    }
}
