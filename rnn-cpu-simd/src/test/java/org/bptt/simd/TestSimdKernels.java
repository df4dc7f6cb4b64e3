package org.bptt.simd;

import static org.bptt.simd.Fixtures.GUARD;
import static org.bptt.simd.Fixtures.U;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.bptt.api.kernel.Activation;
import org.bptt.api.kernel.Kernels;
import org.bptt.api.kernel.ScalarKernels;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every element-wise SIMD kernel against the scalar reference over awkward lengths,
 * offsets and leading dimensions. Kernels that round exactly as the scalar loop does
 * (no FMA, same order) must match bit for bit; transcendental ones and reductions within
 * a bound derived next to each check.
 */
final class TestSimdKernels {

    private static final int[] SIZES = {1, 7, 13, 15, 16, 17, 31, 32, 33, 97, 207, 2053};
    private static final ScalarKernels SCALAR = new ScalarKernels();
    private static Kernels simd;

    @BeforeAll
    static void vectorApi() {
        Assumptions.assumeTrue(Fixtures.vectorModulePresent(), "jdk.incubator.vector is not in the boot layer");
        simd = Fixtures.simd(1);
    }

    private static void assertBitwise(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                fail(what + ": index " + i + " simd " + actual[i] + " scalar " + expected[i]);
            }
        }
    }

    /**
     * |simd − scalar| ≤ ulps·ulp(scalar) + floor. The floor covers results below float's
     * normal range, where one side may underflow (float exp) and the other not (double exp).
     */
    private static void assertUlps(float[] expected, float[] actual, double ulps, String what) {
        for (int i = 0; i < expected.length; i++) {
            double tol = ulps * Math.ulp(expected[i]) + Float.MIN_NORMAL;
            if (!(Math.abs((double) actual[i] - expected[i]) <= tol)) {
                fail(what + ": index " + i + " simd " + actual[i] + " scalar " + expected[i] + " tol " + tol);
            }
        }
    }

    @Test
    void rowVectorAndColumnSumsAreBitwiseEqual() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int rows : new int[] {1, 3, 17}) {
            for (int cols : SIZES) {
                int off = 3, ld = cols + 5;
                float[] x = Fixtures.block(rnd, rows, cols, off, ld, 4);
                float[] bias = Fixtures.random(rnd, cols + 2, -1, 1);
                float[] e = x.clone(), a = x.clone();
                SCALAR.addRowVector(rows, cols, e, off, ld, bias, 2);
                simd.addRowVector(rows, cols, a, off, ld, bias, 2);
                assertBitwise(e, a, "addRowVector " + rows + "x" + cols);
                // Column sums add each column in row order, as the scalar loop does: equal bits.
                float[] out0 = Fixtures.random(rnd, cols + 3, -1, 1);
                float[] eo = out0.clone(), ao = out0.clone();
                SCALAR.addColumnSums(rows, cols, x, off, ld, eo, 1);
                simd.addColumnSums(rows, cols, x, off, ld, ao, 1);
                assertBitwise(eo, ao, "addColumnSums " + rows + "x" + cols);
                assertEquals(out0[0], ao[0], "element before out untouched");
            }
        }
    }

    @Test
    void activationsMatchWithinTheirRoundingBounds() {
        SplittableRandom rnd = new SplittableRandom(12);
        for (Activation act : Activation.values()) {
            for (int cols : SIZES) {
                int rows = 3, off = 2, ld = cols + 3;
                float[] x = Fixtures.block(rnd, rows, cols, off, ld, 2);
                for (int i = 0; i < x.length; i++) {
                    if (x[i] != GUARD) {
                        x[i] *= 12f; // cover tanh's and sigmoid's saturation, not just the linear part
                    }
                }
                float[] bias = Fixtures.random(rnd, cols, -3, 3);
                float[] e = x.clone(), a = x.clone();
                SCALAR.addBiasActivate(act, rows, cols, e, off, ld, bias, 0);
                simd.addBiasActivate(act, rows, cols, a, off, ld, bias, 0);
                check(act, e, a, "addBiasActivate " + act + " " + cols);
                float[] src = Fixtures.random(rnd, cols + 1, -15, 15);
                float[] ed = new float[cols + 2], ad = new float[cols + 2];
                SCALAR.activate(act, cols, src, 1, ed, 1);
                simd.activate(act, cols, src, 1, ad, 1);
                check(act, ed, ad, "activate " + act + " " + cols);
                assertEquals(0f, ad[0]);
                assertEquals(0f, ad[cols + 1]);
            }
        }
    }

    /**
     * RELU and IDENTITY are exact. TANH: VectorMath's tanh (double lanes, rounded once) is
     * within 1 ulp of the exact value and the scalar reference (double tanh rounded once) within 0.5 ulp, so
     * they differ by at most 2 ulp. SIGMOID = 1/(1+e^−z) in float: exp 1 ulp, add and divide
     * 0.5 ulp each, and d(1/(1+e))/de has relative condition e/(1+e) ≤ 1, so ≤ 2 ulp of
     * relative error plus the scalar's 0.5: bound 3 ulp. The ulp-count is taken of the result.
     */
    private static void check(Activation act, float[] e, float[] a, String what) {
        switch (act) {
            case RELU, IDENTITY -> assertBitwise(e, a, what);
            case TANH -> assertUlps(e, a, 2, what);
            case SIGMOID -> assertUlps(e, a, 3, what);
        }
    }

    @Test
    void activationBackwardIsBitwiseEqual() {
        SplittableRandom rnd = new SplittableRandom(13);
        for (Activation act : Activation.values()) {
            for (int n : SIZES) {
                float[] h = Fixtures.random(rnd, n + 3, -1, 1);
                if (act == Activation.SIGMOID) {
                    for (int i = 0; i < h.length; i++) {
                        h[i] = Math.abs(h[i]);
                    }
                }
                float[] dh = Fixtures.random(rnd, n + 2, -2, 2);
                float[] e = new float[n + 4], a = new float[n + 4];
                Arrays.fill(e, GUARD);
                Arrays.fill(a, GUARD);
                SCALAR.activationBackward(act, n, h, 3, dh, 2, e, 1);
                simd.activationBackward(act, n, h, 3, dh, 2, a, 1);
                assertBitwise(e, a, "activationBackward " + act + " " + n);
                // In place (dz aliases dh), as the backward pass uses it.
                float[] ei = dh.clone(), ai = dh.clone();
                SCALAR.activationBackward(act, n, h, 3, ei, 2, ei, 2);
                simd.activationBackward(act, n, h, 3, ai, 2, ai, 2);
                assertBitwise(ei, ai, "activationBackward in place " + act + " " + n);
            }
        }
    }

    /**
     * Per element: exp differs by ≤ 1.5 ulp (vector 1, scalar 0.5); the row sum is a float
     * sum of cols positive terms (scalar: double), within γ_cols relative; 1/sum and the
     * product add 0.5 ulp each on both sides. Bound: (cols + 4)·u relative, plus 4 ulp.
     */
    @Test
    void softmaxRowsMatchesAndSumsToOne() {
        SplittableRandom rnd = new SplittableRandom(14);
        for (int cols : SIZES) {
            int rows = 3;
            float[] src = Fixtures.random(rnd, 2 + rows * cols, -8, 8);
            float[] e = new float[1 + rows * cols], a = new float[1 + rows * cols];
            SCALAR.softmaxRows(rows, cols, src, 2, e, 1);
            simd.softmaxRows(rows, cols, src, 2, a, 1);
            double rel = (cols + 4) * U;
            for (int i = 0; i < e.length; i++) {
                double tol = rel * Math.abs(e[i]) + 4 * Math.ulp(e[i]) + Float.MIN_NORMAL;
                assertTrue(
                        Math.abs(a[i] - e[i]) <= tol, "softmax " + cols + " index " + i + ": " + a[i] + " vs " + e[i]);
            }
            for (int r = 0; r < rows; r++) {
                double s = 0;
                for (int j = 0; j < cols; j++) {
                    s += a[1 + r * cols + j];
                }
                assertEquals(1.0, s, 2 * (cols + 4) * U, "row " + r + " sums to one");
            }
            // In place.
            float[] in = src.clone();
            simd.softmaxRows(rows, cols, in, 2, in, 2);
            assertArrayEquals(Arrays.copyOfRange(a, 1, a.length), Arrays.copyOfRange(in, 2, in.length));
        }
    }

    /**
     * Both sum exact float products (each fits in a double) in double, in different orders:
     * |simd − scalar| ≤ 2·γ_n(double)·Σ|xᵢyᵢ|, γ_n ≈ n·2⁻⁵³.
     */
    @Test
    void dotAndSumOfSquaresMatchWithinDoubleRounding() {
        SplittableRandom rnd = new SplittableRandom(15);
        for (int n : SIZES) {
            float[] x = Fixtures.random(rnd, n + 5, -3, 3);
            float[] y = Fixtures.random(rnd, n + 4, -3, 3);
            double mag = 0, sq = 0;
            for (int i = 0; i < n; i++) {
                mag += Math.abs((double) x[5 + i] * y[4 + i]);
                sq += (double) x[5 + i] * x[5 + i];
            }
            double g = 2 * (n + 1) * 0x1p-53;
            assertEquals(SCALAR.dot(n, x, 5, y, 4), simd.dot(n, x, 5, y, 4), g * mag, "dot " + n);
            assertEquals(SCALAR.sumOfSquares(n, x, 5), simd.sumOfSquares(n, x, 5), g * sq, "sumOfSquares " + n);
        }
        assertEquals(1 + 4 + 9 + 16 + 25 + 36 + 49, simd.sumOfSquares(7, new float[] {1, 2, 3, 4, 5, 6, 7}, 0));
    }

    @Test
    void updatesAreBitwiseEqual() {
        SplittableRandom rnd = new SplittableRandom(16);
        for (int n : SIZES) {
            float[] x = Fixtures.random(rnd, n + 6, -4, 4);
            float[] y = Fixtures.random(rnd, n + 6, -4, 4);
            float[] e = y.clone(), a = y.clone();
            SCALAR.axpy(n, 0.37f, x, 1, e, 5);
            simd.axpy(n, 0.37f, x, 1, a, 5);
            assertBitwise(e, a, "axpy " + n);
            e = y.clone();
            a = y.clone();
            SCALAR.scale(n, -1.3f, e, 3);
            simd.scale(n, -1.3f, a, 3);
            assertBitwise(e, a, "scale " + n);
            e = y.clone();
            a = y.clone();
            SCALAR.fill(n, 2.5f, e, 4);
            simd.fill(n, 2.5f, a, 4);
            assertBitwise(e, a, "fill " + n);
            e = y.clone();
            a = y.clone();
            if (n > 3) {
                e[5] = a[5] = Float.NaN; // counted as changed by the reference (NaN != NaN)
                e[6] = a[6] = -0f;
            }
            int ce = SCALAR.clamp(n, -1f, 2f, e, 2);
            int ca = simd.clamp(n, -1f, 2f, a, 2);
            assertEquals(ce, ca, "clamp count " + n);
            assertBitwise(e, a, "clamp " + n);
        }
        float[] v = {-3, -1, 0, 1, 2, 5, 0.5f};
        assertEquals(2, simd.clamp(7, -1f, 2f, v, 0)); // -3 and 5; the bounds themselves are unchanged
        assertArrayEquals(new float[] {-1, -1, 0, 1, 2, 2, 0.5f}, v);
    }
}
