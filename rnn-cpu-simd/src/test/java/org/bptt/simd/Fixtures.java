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

    static Kernels simd(int threads) {
        KernelsProvider.Availability a = new SimdKernelsProvider().create(threads);
        return a.kernels().orElseThrow(() -> new AssertionError("SIMD unavailable: " + a.reason()));
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
