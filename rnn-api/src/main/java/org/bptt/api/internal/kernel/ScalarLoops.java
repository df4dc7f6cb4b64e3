package org.bptt.api.internal.kernel;

import org.bptt.api.kernel.Activation;
import org.bptt.api.kernel.Kernels;
import org.bptt.api.kernel.Shapes;

/**
 * The scalar loops that define {@link Kernels}' element-wise operations: the default
 * implementations of its methods, the reference the SIMD backend is tested against and falls
 * back to in its tails. Not part of the plugin API (this package is exported only to the
 * platform's own modules). Stateless and thread-safe.
 */
public final class ScalarLoops {
    private ScalarLoops() {}

    /** Transposition in 8×8 blocks, so the strided reads stay within a few cache lines. */
    public static void transposeBlocked(int rows, int cols, float[] src, int srcOff, int lds, float[] dst, int dstOff) {
        // 8×8 blocks, each destination row written contiguously: with 16-wide blocks written
        // column-wise, 16 lines 4 KiB apart (H = 1024) fell in one L1 set, 2.6 ns per element; now 0.7.
        for (int i0 = 0; i0 < rows; i0 += 8) {
            int i1 = Math.min(rows, i0 + 8);
            for (int j0 = 0; j0 < cols; j0 += 8) {
                int j1 = Math.min(cols, j0 + 8);
                for (int j = j0; j < j1; j++) {
                    int d = dstOff + j * rows;
                    for (int i = i0; i < i1; i++) {
                        dst[d + i] = src[srcOff + i * lds + j];
                    }
                }
            }
        }
    }

    /** c = a ⊙ b over rows×cols blocks: the definition of {@link Kernels#multiplyElements}. */
    public static void multiplyRows(
            int rows,
            int cols,
            float[] a,
            int aOff,
            int lda,
            float[] b,
            int bOff,
            int ldb,
            float[] c,
            int cOff,
            int ldc) {
        Shapes.checkMatrix("multiplyElements", "A", a, aOff, lda, rows, cols);
        Shapes.checkMatrix("multiplyElements", "B", b, bOff, ldb, rows, cols);
        Shapes.checkMatrix("multiplyElements", "C", c, cOff, ldc, rows, cols);
        for (int r = 0; r < rows; r++) {
            int ar = aOff + r * lda;
            int br = bOff + r * ldb;
            int cr = cOff + r * ldc;
            for (int j = 0; j < cols; j++) {
                c[cr + j] = a[ar + j] * b[br + j];
            }
        }
    }

    /** c += a ⊙ b over rows×cols blocks: the definition of {@link Kernels#multiplyAddElements}. */
    public static void multiplyAddRows(
            int rows,
            int cols,
            float[] a,
            int aOff,
            int lda,
            float[] b,
            int bOff,
            int ldb,
            float[] c,
            int cOff,
            int ldc) {
        Shapes.checkMatrix("multiplyAddElements", "A", a, aOff, lda, rows, cols);
        Shapes.checkMatrix("multiplyAddElements", "B", b, bOff, ldb, rows, cols);
        Shapes.checkMatrix("multiplyAddElements", "C", c, cOff, ldc, rows, cols);
        for (int r = 0; r < rows; r++) {
            int ar = aOff + r * lda;
            int br = bOff + r * ldb;
            int cr = cOff + r * ldc;
            for (int j = 0; j < cols; j++) {
                float p = a[ar + j] * b[br + j];
                c[cr + j] += p;
            }
        }
    }

    /** h = n + z·(hPrev − n): the definition of {@link Kernels#gruUpdate}. */
    public static void gruUpdateRows(
            int rows,
            int cols,
            float[] z,
            int zOff,
            int ldz,
            float[] n,
            int nOff,
            int ldn,
            float[] hPrev,
            int pOff,
            int ldp,
            float[] h,
            int hOff,
            int ldh) {
        Shapes.checkMatrix("gruUpdate", "z", z, zOff, ldz, rows, cols);
        Shapes.checkMatrix("gruUpdate", "n", n, nOff, ldn, rows, cols);
        Shapes.checkMatrix("gruUpdate", "hPrev", hPrev, pOff, ldp, rows, cols);
        Shapes.checkMatrix("gruUpdate", "h", h, hOff, ldh, rows, cols);
        for (int r = 0; r < rows; r++) {
            int zr = zOff + r * ldz;
            int nr = nOff + r * ldn;
            int pr = pOff + r * ldp;
            int hr = hOff + r * ldh;
            for (int j = 0; j < cols; j++) {
                float nj = n[nr + j];
                float d = hPrev[pr + j] - nj;
                float zd = z[zr + j] * d;
                h[hr + j] = nj + zd;
            }
        }
    }

    /** The definition of {@link Kernels#gruBackward}. */
    public static void gruBackwardRows(
            int rows,
            int cols,
            float[] gates,
            int gOff,
            int ldg,
            float[] ghn,
            int nOff,
            int ldn,
            float[] hPrev,
            int pOff,
            int ldp,
            float[] dh,
            int dhOff,
            int lddh,
            float[] dGates,
            int dgOff,
            int lddg,
            float[] dhPrev,
            int dpOff,
            int lddp) {
        Shapes.checkMatrix("gruBackward", "gates", gates, gOff, ldg, rows, 3 * cols);
        Shapes.checkMatrix("gruBackward", "ghn", ghn, nOff, ldn, rows, cols);
        Shapes.checkMatrix("gruBackward", "hPrev", hPrev, pOff, ldp, rows, cols);
        Shapes.checkMatrix("gruBackward", "dh", dh, dhOff, lddh, rows, cols);
        Shapes.checkMatrix("gruBackward", "dGates", dGates, dgOff, lddg, rows, 4 * cols);
        Shapes.checkMatrix("gruBackward", "dhPrev", dhPrev, dpOff, lddp, rows, cols);
        for (int row = 0; row < rows; row++) {
            int g = gOff + row * ldg;
            int gn = nOff + row * ldn;
            int p = pOff + row * ldp;
            int d = dhOff + row * lddh;
            int dg = dgOff + row * lddg;
            int dp = dpOff + row * lddp;
            for (int j = 0; j < cols; j++) {
                gruBackwardElement(j, cols, gates, g, ghn, gn, hPrev, p, dh, d, dGates, dg, dhPrev, dp);
            }
        }
    }

    /**
     * Element j of one row of {@link #gruBackwardRows}, each argument's offset at that row's start:
     * the definition, and what a vectorized backend computes for the columns its vectors leave.
     */
    public static void gruBackwardElement(
            int j,
            int cols,
            float[] gates,
            int g,
            float[] ghn,
            int gn,
            float[] hPrev,
            int p,
            float[] dh,
            int d,
            float[] dGates,
            int dg,
            float[] dhPrev,
            int dp) {
        float r = gates[g + j];
        float z = gates[g + cols + j];
        float n = gates[g + 2 * cols + j];
        float hp = hPrev[p + j];
        float dhj = dh[d + j];
        float gh = ghn[gn + j];
        float dan = dhj * (1f - z) * (1f - n * n);
        float daz = dhj * (hp - n) * (z * (1f - z));
        float dar = dan * gh * (r * (1f - r));
        float dghn = dan * r;
        float direct = dhj * z;
        dGates[dg + j] = dar;
        dGates[dg + cols + j] = daz;
        dGates[dg + 2 * cols + j] = dghn;
        dGates[dg + 3 * cols + j] = dan;
        dhPrev[dp + j] += direct;
    }

    /** The definition of {@link Kernels#lstmUpdate}, with tanh as {@link #apply} computes it. */
    public static void lstmUpdateRows(
            int rows,
            int cols,
            float[] gates,
            int gOff,
            int ldg,
            float[] cPrev,
            int pOff,
            int ldp,
            float[] c,
            int cOff,
            int ldc,
            float[] tanhC,
            int tOff,
            int ldt,
            float[] h,
            int hOff,
            int ldh) {
        Shapes.checkMatrix("lstmUpdate", "gates", gates, gOff, ldg, rows, 4 * cols);
        Shapes.checkMatrix("lstmUpdate", "cPrev", cPrev, pOff, ldp, rows, cols);
        Shapes.checkMatrix("lstmUpdate", "c", c, cOff, ldc, rows, cols);
        Shapes.checkMatrix("lstmUpdate", "tanhC", tanhC, tOff, ldt, rows, cols);
        Shapes.checkMatrix("lstmUpdate", "h", h, hOff, ldh, rows, cols);
        for (int row = 0; row < rows; row++) {
            int g = gOff + row * ldg;
            int p = pOff + row * ldp;
            int cr = cOff + row * ldc;
            int tr = tOff + row * ldt;
            int hr = hOff + row * ldh;
            for (int j = 0; j < cols; j++) {
                float i = gates[g + j];
                float f = gates[g + cols + j];
                float gg = gates[g + 2 * cols + j];
                float o = gates[g + 3 * cols + j];
                float fc = f * cPrev[p + j];
                float ig = i * gg;
                float cj = fc + ig;
                float t = apply(Activation.TANH, cj);
                c[cr + j] = cj;
                tanhC[tr + j] = t;
                h[hr + j] = o * t;
            }
        }
    }

    /** The definition of {@link Kernels#lstmBackward}. */
    public static void lstmBackwardRows(
            int rows,
            int cols,
            float[] gates,
            int gOff,
            int ldg,
            float[] tanhC,
            int tOff,
            int ldt,
            float[] cPrev,
            int pOff,
            int ldp,
            float[] dh,
            int dhOff,
            int lddh,
            float[] dc,
            int dcOff,
            int lddc,
            float[] dGates,
            int dgOff,
            int lddg,
            float[] dcPrev,
            int dpOff,
            int lddp) {
        Shapes.checkMatrix("lstmBackward", "gates", gates, gOff, ldg, rows, 4 * cols);
        Shapes.checkMatrix("lstmBackward", "tanhC", tanhC, tOff, ldt, rows, cols);
        Shapes.checkMatrix("lstmBackward", "cPrev", cPrev, pOff, ldp, rows, cols);
        Shapes.checkMatrix("lstmBackward", "dh", dh, dhOff, lddh, rows, cols);
        Shapes.checkMatrix("lstmBackward", "dc", dc, dcOff, lddc, rows, cols);
        Shapes.checkMatrix("lstmBackward", "dGates", dGates, dgOff, lddg, rows, 4 * cols);
        Shapes.checkMatrix("lstmBackward", "dcPrev", dcPrev, dpOff, lddp, rows, cols);
        for (int row = 0; row < rows; row++) {
            int g = gOff + row * ldg;
            int tr = tOff + row * ldt;
            int p = pOff + row * ldp;
            int d = dhOff + row * lddh;
            int dcr = dcOff + row * lddc;
            int dg = dgOff + row * lddg;
            int dp = dpOff + row * lddp;
            for (int j = 0; j < cols; j++) {
                lstmBackwardElement(j, cols, gates, g, tanhC, tr, cPrev, p, dh, d, dc, dcr, dGates, dg, dcPrev, dp);
            }
        }
    }

    /**
     * Element j of one row of {@link #lstmBackwardRows}, each argument's offset at that row's start:
     * the definition, and what a vectorized backend computes for the columns its vectors leave.
     */
    public static void lstmBackwardElement(
            int j,
            int cols,
            float[] gates,
            int g,
            float[] tanhC,
            int tr,
            float[] cPrev,
            int p,
            float[] dh,
            int d,
            float[] dc,
            int dcr,
            float[] dGates,
            int dg,
            float[] dcPrev,
            int dp) {
        float i = gates[g + j];
        float f = gates[g + cols + j];
        float gg = gates[g + 2 * cols + j];
        float o = gates[g + 3 * cols + j];
        float t = tanhC[tr + j];
        float dhj = dh[d + j];
        float dct = dc[dcr + j] + dhj * o * (1f - t * t);
        float dai = dct * gg * (i * (1f - i));
        float daf = dct * cPrev[p + j] * (f * (1f - f));
        float dag = dct * i * (1f - gg * gg);
        float dao = dhj * t * (o * (1f - o));
        float back = dct * f;
        dGates[dg + j] = dai;
        dGates[dg + cols + j] = daf;
        dGates[dg + 2 * cols + j] = dag;
        dGates[dg + 3 * cols + j] = dao;
        dcPrev[dp + j] += back;
    }

    /** The scalar definition of each activation; SIMD twins are tested against it. */
    public static float apply(Activation act, float z) {
        return switch (act) {
            case TANH -> (float) Math.tanh(z);
            case RELU -> z > 0f ? z : 0f;
            case SIGMOID -> (float) (1.0 / (1.0 + Math.exp(-z)));
            case IDENTITY -> z;
        };
    }

    /** act'(z) written in terms of h = act(z). */
    public static float derivativeFromOutput(Activation act, float h) {
        return switch (act) {
            case TANH -> 1f - h * h;
            case RELU -> h > 0f ? 1f : 0f;
            case SIGMOID -> h * (1f - h);
            case IDENTITY -> 1f;
        };
    }
}
