package org.bptt.simd;

import org.bptt.api.kernel.KernelsProvider;
import org.bptt.simd.internal.SimdSupport;

/**
 * Provider of the {@code simd} backend. Loading this class links nothing from
 * {@code jdk.incubator.vector}: {@link #create} first checks that the module is in the
 * boot layer, and only then calls into {@link SimdSupport}, the first class that does.
 */
public final class SimdKernelsProvider implements KernelsProvider {

    /** Whether the JVM has the Vector API module, which everything else here needs. */
    public static boolean vectorApiPresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /**
     * The settings a SIMD backend runs with, or null when {@code kernels} is another backend
     * (or this JVM has no Vector API).
     */
    public static SimdSettings settingsOf(org.bptt.api.kernel.Kernels kernels) {
        return vectorApiPresent() && "simd".equals(kernels.name()) ? SimdSupport.settingsOf(kernels) : null;
    }

    /** Width in bits of the vectors the SIMD backend uses in this JVM; needs {@link #vectorApiPresent()}. */
    public static int preferredVectorBits() {
        if (!vectorApiPresent()) {
            throw new IllegalStateException("the JVM runs without the Vector API (jdk.incubator.vector)");
        }
        return SimdSupport.preferredVectorBits();
    }

    /** The Vector API is slower than scalar code below this many float lanes. */
    static final int MIN_LANES = 4;

    private static final java.util.concurrent.atomic.AtomicBoolean WARNED =
            new java.util.concurrent.atomic.AtomicBoolean();

    public SimdKernelsProvider() {}

    /** The SIMD kernels run, but inlined into their callers: one warning per JVM, which says what to add. */
    private static void warnIfKernelsInlined() {
        if (!JvmOptions.kernelsOutOfLine() && WARNED.compareAndSet(false, true)) {
            System.getLogger(SimdKernelsProvider.class.getName())
                    .log(
                            System.Logger.Level.WARNING,
                            "the SIMD kernels run 2-4x slower and allocate, because this JVM was started without "
                                    + String.join(" ", JvmOptions.of(JvmOptions.Group.JIT))
                                    + " (every option the platform needs: org.bptt.simd.JvmOptions.all())");
        }
    }

    @Override
    public String name() {
        return "simd";
    }

    @Override
    public int priority() {
        return 100;
    }

    /**
     * The backend with the settings tuned for this machine ({@link SimdTuning#active}), or
     * the defaults when it was not tuned.
     */
    @Override
    public Availability create(int threads) {
        return create(threads, null);
    }

    /**
     * The backend with the given settings, or (null) the ones tuned for this machine.
     * Results do not depend on the settings, only speed does.
     */
    public Availability create(int threads, SimdSettings settings) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (!vectorApiPresent()) {
            return Availability.unavailable("the JVM was started without --add-modules jdk.incubator.vector;"
                    + " add that option (the ./rnn launcher does) to enable SIMD");
        }
        int lanes = SimdSupport.preferredFloatLanes();
        if (lanes < MIN_LANES) {
            return Availability.unavailable(
                    "the CPU's preferred vector holds only " + lanes + " float(s); SIMD needs at least " + MIN_LANES);
        }
        warnIfKernelsInlined();
        SimdSettings chosen = settings != null
                ? settings
                : SimdTuning.active(SimdSupport.preferredVectorBits()).settings();
        return Availability.of(SimdSupport.create(threads, chosen));
    }
}
