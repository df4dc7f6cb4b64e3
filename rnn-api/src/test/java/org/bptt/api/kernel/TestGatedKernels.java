package org.bptt.api.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The default element-wise kernels of gated cells, as a backend that implements none of them
 * gets them: forward ones against their equations in double, backward ones against central
 * differences of those equations (the gradient of Σ dh·h, and Σ dc·c for the LSTM).
 */
final class TestGatedKernels {

    /** A backend with only the abstract methods, each refusing: every call below must be a default. */
    private static final Kernels DEFAULTS = new Kernels() {
        @Override
        public String name() {
            return "defaults-only";
        }

        @Override
        public int vectorBitSize() {
            return 32;
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
            throw new UnsupportedOperationException();
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
            throw new UnsupportedOperationException();
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
            throw new UnsupportedOperationException();
        }

        @Override
        public void addRowVector(int rows, int cols, float[] x, int xOff, int ldx, float[] bias, int biasOff) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void addColumnSums(int rows, int cols, float[] x, int xOff, int ldx, float[] out, int outOff) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void addBiasActivate(
                Activation act, int rows, int cols, float[] x, int xOff, int ldx, float[] bias, int biasOff) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void activate(Activation act, int n, float[] src, int srcOff, float[] dst, int dstOff) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void activationBackward(
                Activation act, int n, float[] h, int hOff, float[] dh, int dhOff, float[] dz, int dzOff) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void softmaxRows(int rows, int cols, float[] src, int srcOff, float[] dst, int dstOff) {
            throw new UnsupportedOperationException();
        }

        @Override
        public double sumOfSquares(int n, float[] x, int off) {
            throw new UnsupportedOperationException();
        }

        @Override
        public double dot(int n, float[] x, int xOff, float[] y, int yOff) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void scale(int n, float alpha, float[] x, int off) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int clamp(int n, float lo, float hi, float[] x, int off) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void fill(int n, float value, float[] x, int off) {
            throw new UnsupportedOperationException();
        }
    };

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** Central difference of f at x[i]; x is restored. Step 1e-5 in double: error ~1e-10, far below float's. */
    private static double derivative(double[] x, int i, ToDoubleFunction<double[]> f) {
        double h = 1e-5;
        double keep = x[i];
        x[i] = keep + h;
        double up = f.applyAsDouble(x);
        x[i] = keep - h;
        double down = f.applyAsDouble(x);
        x[i] = keep;
        return (up - down) / (2 * h);
    }

    @Test
    void productsOfStridedBlocks() {
        // 2×3 blocks with leading dimensions 4, 5 and 3, at offsets 1, 0 and 2.
        float[] a = {9, 1, 2, 3, 9, 4, 5, 6, 9};
        float[] b = {2, 2, 2, 9, 9, 3, 3, 0.5f, 9, 9};
        float[] c = {7, 7, 1, 1, 1, 1, 1, 1, 7};
        DEFAULTS.multiplyAddElements(2, 3, a, 1, 4, b, 0, 5, c, 2, 3);
        assertEquals(java.util.List.of(7f, 7f, 3f, 5f, 7f, 13f, 16f, 4f, 7f), boxed(c));
        DEFAULTS.multiplyElements(2, 3, a, 1, 4, b, 0, 5, c, 2, 3);
        assertEquals(java.util.List.of(7f, 7f, 2f, 4f, 6f, 12f, 15f, 3f, 7f), boxed(c));
    }

    private static java.util.List<Float> boxed(float[] x) {
        java.util.List<Float> l = new java.util.ArrayList<>();
        for (float v : x) {
            l.add(v);
        }
        return l;
    }

    @Test
    void gruForwardAndBackwardFollowTheirEquations() {
        SplittableRandom rnd = new SplittableRandom(3);
        int rows = 3, h = 5;
        // Per element: pre-activations a_r, a_z, a_in, then ghn, h_prev, dh.
        double[][] in = new double[rows * h][];
        float[] gates = new float[rows * 3 * h];
        float[] ghn = new float[rows * h];
        float[] hp = new float[rows * h];
        float[] dh = new float[rows * h];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < h; j++) {
                double[] v = new double[6];
                for (int q = 0; q < 6; q++) {
                    v[q] = 2 * rnd.nextDouble() - 1;
                }
                v[0] *= 3;
                v[1] *= 3;
                int e = r * h + j;
                // Rounded to float first, so double equations and kernel see the same inputs.
                for (int q = 0; q < 6; q++) {
                    v[q] = (float) v[q];
                }
                in[e] = v;
                ghn[e] = (float) v[3];
                hp[e] = (float) v[4];
                dh[e] = (float) v[5];
                gates[r * 3 * h + j] = (float) sigmoid(v[0]);
                gates[r * 3 * h + h + j] = (float) sigmoid(v[1]);
                gates[r * 3 * h + 2 * h + j] = (float) Math.tanh(v[2] + gates[r * 3 * h + j] * v[3]);
            }
        }
        float[] out = new float[rows * h];
        DEFAULTS.gruUpdate(rows, h, gates, h, 3 * h, gates, 2 * h, 3 * h, hp, 0, h, out, 0, h);
        float[] dGates = new float[rows * 4 * h];
        float[] dhPrev = new float[rows * h];
        java.util.Arrays.fill(dhPrev, 0.25f); // added to, not overwritten
        DEFAULTS.gruBackward(rows, h, gates, 0, 3 * h, ghn, 0, h, hp, 0, h, dh, 0, h, dGates, 0, 4 * h, dhPrev, 0, h);
        ToDoubleFunction<double[]> hOf = v -> {
            double r = sigmoid(v[0]), z = sigmoid(v[1]), n = Math.tanh(v[2] + r * v[3]);
            return (1 - z) * n + z * v[4];
        };
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < h; j++) {
                double[] v = in[r * h + j];
                String at = "row " + r + " col " + j;
                assertEquals(hOf.applyAsDouble(v), out[r * h + j], 1e-6, "h " + at);
                ToDoubleFunction<double[]> loss = x -> v[5] * hOf.applyAsDouble(x);
                int g = r * 4 * h + j;
                assertEquals(derivative(v, 0, loss), dGates[g], 1e-5, "da_r " + at);
                assertEquals(derivative(v, 1, loss), dGates[g + h], 1e-5, "da_z " + at);
                assertEquals(derivative(v, 3, loss), dGates[g + 2 * h], 1e-5, "dghn " + at);
                assertEquals(derivative(v, 2, loss), dGates[g + 3 * h], 1e-5, "da_n " + at);
                assertEquals(0.25 + derivative(v, 4, loss), dhPrev[r * h + j], 1e-5, "dh_prev " + at);
            }
        }
    }

    @Test
    void lstmForwardAndBackwardFollowTheirEquations() {
        SplittableRandom rnd = new SplittableRandom(4);
        int rows = 2, h = 7;
        // Per element: a_i, a_f, a_g, a_o, c_prev, dh, dc.
        double[][] in = new double[rows * h][];
        int ldg = 5 * h + 1; // [i | f | g | o | tanh c] and one spare column
        float[] gates = new float[rows * ldg];
        int lds = 2 * h; // state rows [h, c]
        float[] prev = new float[rows * lds];
        float[] next = new float[rows * lds];
        float[] dNext = new float[rows * lds];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < h; j++) {
                double[] v = new double[7];
                for (int q = 0; q < 7; q++) {
                    v[q] = (float) (3 * (2 * rnd.nextDouble() - 1));
                }
                in[r * h + j] = v;
                gates[r * ldg + j] = (float) sigmoid(v[0]);
                gates[r * ldg + h + j] = (float) sigmoid(v[1]);
                gates[r * ldg + 2 * h + j] = (float) Math.tanh(v[2]);
                gates[r * ldg + 3 * h + j] = (float) sigmoid(v[3]);
                prev[r * lds + h + j] = (float) v[4];
                dNext[r * lds + j] = (float) v[5];
                dNext[r * lds + h + j] = (float) v[6];
            }
        }
        DEFAULTS.lstmUpdate(rows, h, gates, 0, ldg, prev, h, lds, next, h, lds, gates, 4 * h, ldg, next, 0, lds);
        float[] dGates = new float[rows * 4 * h];
        float[] dPrev = new float[rows * lds];
        DEFAULTS.lstmBackward(
                rows, h, gates, 0, ldg, gates, 4 * h, ldg, prev, h, lds, dNext, 0, lds, dNext, h, lds, dGates, 0, 4 * h,
                dPrev, h, lds);
        ToDoubleFunction<double[]> cOf = v -> sigmoid(v[1]) * v[4] + sigmoid(v[0]) * Math.tanh(v[2]);
        ToDoubleFunction<double[]> hOf = v -> sigmoid(v[3]) * Math.tanh(cOf.applyAsDouble(v));
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < h; j++) {
                double[] v = in[r * h + j];
                String at = "row " + r + " col " + j;
                assertEquals(cOf.applyAsDouble(v), next[r * lds + h + j], 3e-6, "c " + at);
                assertEquals(Math.tanh(cOf.applyAsDouble(v)), gates[r * ldg + 4 * h + j], 3e-6, "tanh c " + at);
                assertEquals(hOf.applyAsDouble(v), next[r * lds + j], 3e-6, "h " + at);
                ToDoubleFunction<double[]> loss = x -> x[5] * hOf.applyAsDouble(x) + x[6] * cOf.applyAsDouble(x);
                int g = r * 4 * h + j;
                assertEquals(derivative(v, 0, loss), dGates[g], 2e-5, "da_i " + at);
                assertEquals(derivative(v, 1, loss), dGates[g + h], 2e-5, "da_f " + at);
                assertEquals(derivative(v, 2, loss), dGates[g + 2 * h], 2e-5, "da_g " + at);
                assertEquals(derivative(v, 3, loss), dGates[g + 3 * h], 2e-5, "da_o " + at);
                assertEquals(derivative(v, 4, loss), dPrev[r * lds + h + j], 2e-5, "dc_prev " + at);
                assertEquals(0f, dPrev[r * lds + j], "the h half of the previous slot is not touched");
            }
        }
    }

    @Test
    void operandsThatDoNotFitAreRefusedByName() {
        float[] x = new float[20];
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> DEFAULTS.gruBackward(2, 3, x, 0, 9, x, 0, 3, x, 0, 3, x, 0, 3, x, 0, 12, x, 0, 3));
        assertTrue(e.getMessage().contains("gruBackward") && e.getMessage().contains("dGates"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> DEFAULTS.multiplyElements(2, 3, x, 0, 2, x, 0, 3, x, 0, 3));
        assertTrue(e.getMessage().contains("multiplyElements") && e.getMessage().contains("operand A"), e.getMessage());
    }
}
