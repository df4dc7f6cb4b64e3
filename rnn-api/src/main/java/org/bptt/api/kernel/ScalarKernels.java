package org.bptt.api.kernel;

import org.bptt.api.internal.kernel.ScalarLoops;

/**
 * The scalar reference implementation of {@link Kernels}: plain loops, the twin every
 * faster backend is tested against, and the fallback when SIMD is unavailable.
 * Stateless and thread-safe.
 *
 * @deprecated since 0.2.0, not part of the plugin API: kept so that plugins compiled against
 *     0.1.0 still load. A plugin receives its {@link Kernels} from the platform; a test that
 *     needs the scalar backend asks {@link Backends#select Backends.select("scalar", 1)}; a gated
 *     cell composes {@link Kernels}' element-wise primitives ({@link Kernels#activateRows},
 *     {@link Kernels#multiplyElements}, {@link Kernels#interpolateElements}, ...).
 */
@Deprecated(since = "0.2.0")
public class ScalarKernels implements Kernels {

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int vectorBitSize() {
        return Float.SIZE;
    }

    @Override
    public void multAddTransB(
            int m,
            int n,
            int k,
            float[] a,
            int aOff,
            int lda,
            float[] b,
            int bOff,
            int ldb,
            float[] c,
            int cOff,
            int ldc) {
        Shapes.checkGemm("multAddTransB", m, n, k, a, aOff, lda, m, k, b, bOff, ldb, n, k, c, cOff, ldc);
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * lda;
            int ci = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                int bj = bOff + j * ldb;
                float s = 0f;
                for (int p = 0; p < k; p++) {
                    s += a[ai + p] * b[bj + p];
                }
                c[ci + j] += s;
            }
        }
    }

    @Override
    public void multAdd(
            int m,
            int n,
            int k,
            float[] a,
            int aOff,
            int lda,
            float[] b,
            int bOff,
            int ldb,
            float[] c,
            int cOff,
            int ldc) {
        Shapes.checkGemm("multAdd", m, n, k, a, aOff, lda, m, k, b, bOff, ldb, k, n, c, cOff, ldc);
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * lda;
            int ci = cOff + i * ldc;
            for (int p = 0; p < k; p++) {
                float aip = a[ai + p];
                if (aip == 0f) {
                    continue;
                }
                int bp = bOff + p * ldb;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += aip * b[bp + j];
                }
            }
        }
    }

    @Override
    public void multAddTransA(
            int m,
            int n,
            int k,
            float[] a,
            int aOff,
            int lda,
            float[] b,
            int bOff,
            int ldb,
            float[] c,
            int cOff,
            int ldc) {
        Shapes.checkGemm("multAddTransA", m, n, k, a, aOff, lda, k, m, b, bOff, ldb, k, n, c, cOff, ldc);
        for (int p = 0; p < k; p++) {
            int ap = aOff + p * lda;
            int bp = bOff + p * ldb;
            for (int i = 0; i < m; i++) {
                float api = a[ap + i];
                if (api == 0f) {
                    continue;
                }
                int ci = cOff + i * ldc;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += api * b[bp + j];
                }
            }
        }
    }

    /** Transposition in 8×8 blocks, so the strided reads stay within a few cache lines. */
    public static void transposeBlocked(int rows, int cols, float[] src, int srcOff, int lds, float[] dst, int dstOff) {
        ScalarLoops.transposeBlocked(rows, cols, src, srcOff, lds, dst, dstOff);
    }

    // ------------------------------------------------------------------ gated cells
    // The scalar definitions of Kernels' element-wise operations for gated cells, used by its
    // defaults; a faster backend is tested against them. Each checks its operands first.

    @Override
    public void addRowVector(int rows, int cols, float[] x, int xOff, int ldx, float[] bias, int biasOff) {
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * ldx;
            for (int j = 0; j < cols; j++) {
                x[xr + j] += bias[biasOff + j];
            }
        }
    }

    @Override
    public void addColumnSums(int rows, int cols, float[] x, int xOff, int ldx, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * ldx;
            for (int j = 0; j < cols; j++) {
                out[outOff + j] += x[xr + j];
            }
        }
    }

    @Override
    public void addBiasActivate(
            Activation act, int rows, int cols, float[] x, int xOff, int ldx, float[] bias, int biasOff) {
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * ldx;
            for (int j = 0; j < cols; j++) {
                x[xr + j] = apply(act, x[xr + j] + bias[biasOff + j]);
            }
        }
    }

    @Override
    public void activate(Activation act, int n, float[] src, int srcOff, float[] dst, int dstOff) {
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = apply(act, src[srcOff + i]);
        }
    }

    /** The scalar definition of each activation; SIMD twins are tested against it. */
    public static float apply(Activation act, float z) {
        return ScalarLoops.apply(act, z);
    }

    /** act'(z) written in terms of h = act(z). */
    public static float derivativeFromOutput(Activation act, float h) {
        return ScalarLoops.derivativeFromOutput(act, h);
    }

    @Override
    public void activationBackward(
            Activation act, int n, float[] h, int hOff, float[] dh, int dhOff, float[] dz, int dzOff) {
        for (int i = 0; i < n; i++) {
            dz[dzOff + i] = dh[dhOff + i] * derivativeFromOutput(act, h[hOff + i]);
        }
    }

    @Override
    public void softmaxRows(int rows, int cols, float[] src, int srcOff, float[] dst, int dstOff) {
        for (int r = 0; r < rows; r++) {
            int s = srcOff + r * cols;
            int d = dstOff + r * cols;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, src[s + j]);
            }
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                float e = (float) Math.exp(src[s + j] - max);
                dst[d + j] = e;
                sum += e;
            }
            float inv = (float) (1.0 / sum);
            for (int j = 0; j < cols; j++) {
                dst[d + j] *= inv;
            }
        }
    }

    @Override
    public double sumOfSquares(int n, float[] x, int off) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double v = x[off + i];
            s += v * v;
        }
        return s;
    }

    @Override
    public double dot(int n, float[] x, int xOff, float[] y, int yOff) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (double) x[xOff + i] * y[yOff + i];
        }
        return s;
    }

    @Override
    public void scale(int n, float alpha, float[] x, int off) {
        for (int i = 0; i < n; i++) {
            x[off + i] *= alpha;
        }
    }

    @Override
    public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public int clamp(int n, float lo, float hi, float[] x, int off) {
        int changed = 0;
        for (int i = 0; i < n; i++) {
            float v = x[off + i];
            float c = v < lo ? lo : (v > hi ? hi : v);
            if (c != v) {
                x[off + i] = c;
                changed++;
            }
        }
        return changed;
    }

    @Override
    public void fill(int n, float value, float[] x, int off) {
        java.util.Arrays.fill(x, off, off + n, value);
    }
}
