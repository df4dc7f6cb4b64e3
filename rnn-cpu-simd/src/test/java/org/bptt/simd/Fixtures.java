package org.bptt.simd;

import java.util.SplittableRandom;
import org.bptt.api.kernel.Kernels;
import org.bptt.api.kernel.KernelsProvider;

/** Shared helpers: creating the SIMD backend and filling arrays with guarded blocks. */
final class Fixtures {
    private Fixtures() {}

    /** Unit roundoff of float32, 2⁻²⁴. */
    static final double U = 0x1p-24;
    /** Guard value written around every output block; no kernel can produce it by chance. */
    static final float GUARD = -12345.678f;

    static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /** The SIMD backend with the default settings of this vector width (not the user's tuned ones). */
    static Kernels simd(int threads) {
        return simd(threads, defaults());
    }

    static Kernels simd(int threads, SimdSettings settings) {
        KernelsProvider.Availability a = new SimdKernelsProvider().create(threads, settings);
        return a.kernels().orElseThrow(() -> new AssertionError("SIMD unavailable: " + a.reason()));
    }

    /** The default settings at this JVM's preferred vector width. */
    static SimdSettings defaults() {
        return SimdSettings.defaults(org.bptt.simd.internal.SimdSupport.preferredVectorBits());
    }

    /** An array of {@code off + (rows-1)·ld + cols + pad} floats: random block, guard elsewhere. */
    static float[] block(SplittableRandom rnd, int rows, int cols, int off, int ld, int pad) {
        float[] x = new float[off + Math.max(0, rows - 1) * ld + cols + pad];
        java.util.Arrays.fill(x, GUARD);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                x[off + r * ld + j] = (float) (rnd.nextDouble() * 2 - 1);
            }
        }
        return x;
    }

    static float[] random(SplittableRandom rnd, int n, double lo, double hi) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (lo + rnd.nextDouble() * (hi - lo));
        }
        return x;
    }
}
