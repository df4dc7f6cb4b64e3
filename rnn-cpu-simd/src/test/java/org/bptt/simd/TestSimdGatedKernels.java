package org.bptt.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.bptt.api.kernel.Activation;
import org.bptt.api.kernel.Backends;
import org.bptt.api.kernel.Kernels;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The element-wise kernels of gated cells against the scalar reference, over awkward widths
 * (1, primes, the float and double lane counts ± 1, thousands), row counts, offsets and
 * leading dimensions wider than the block, with guard values around every output block.
 * They round exactly as the scalar loops do, so the bits must match; lstmUpdate's tanh is
 * held to the bound of the tanh activation instead.
 */
final class TestSimdGatedKernels {

    private static final int[] COLS = {1, 2, 7, 8, 9, 13, 15, 16, 17, 31, 32, 33, 63, 64, 65, 97, 207, 2053, 4099};
    private static final int[] ROWS = {1, 3, 6};
    private static final Kernels SCALAR = Backends.select("scalar", 1);
    private static Kernels simd;

    @BeforeAll
    static void vectorApi() {
        Assumptions.assumeTrue(Fixtures.vectorModulePresent(), "jdk.incubator.vector is not in the boot layer");
        simd = Fixtures.simd(1);
    }

    /** A strided block of rows×width at {@code off} (row r at off + r·ld), values in [lo, hi); GUARD elsewhere. */
    private static float[] block(SplittableRandom rnd, int rows, int width, int off, int ld, double lo, double hi) {
        float[] x = Fixtures.block(rnd, rows, width, off, ld, 5);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < width; j++) {
                x[off + r * ld + j] = (float) (lo + rnd.nextDouble() * (hi - lo));
            }
        }
        return x;
    }

    private static void assertBitwise(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                fail(what + ": index " + i + " simd " + actual[i] + " scalar " + expected[i]);
            }
        }
    }

    /** Every element outside the rows×width block is still what it was. */
    private static void assertOutsideUntouched(
            float[] before, float[] after, int rows, int width, int off, int ld, String what) {
        for (int i = 0; i < before.length; i++) {
            int rel = i - off;
            boolean inside = rel >= 0 && rel / ld < rows && rel % ld < width;
            if (!inside && Float.floatToRawIntBits(before[i]) != Float.floatToRawIntBits(after[i])) {
                fail(what + ": index " + i + " outside the block changed from " + before[i] + " to " + after[i]);
            }
        }
    }

    /** |simd − scalar| ≤ ulps·ulp(scalar) + the smallest normal (results near 0 may differ in underflow). */
    private static void assertUlps(float[] expected, float[] actual, double ulps, String what) {
        for (int i = 0; i < expected.length; i++) {
            double tol = ulps * Math.ulp(expected[i]) + Float.MIN_NORMAL;
            if (!(Math.abs((double) actual[i] - expected[i]) <= tol)) {
                fail(what + ": index " + i + " simd " + actual[i] + " scalar " + expected[i] + " tol " + tol);
            }
        }
    }

    @Test
    void productsOfBlocksAreBitwiseEqual() {
        SplittableRandom rnd = new SplittableRandom(21);
        for (int rows : ROWS) {
            for (int cols : COLS) {
                String at = rows + "x" + cols;
                float[] a = block(rnd, rows, cols, 3, cols + 4, -3, 3);
                float[] b = block(rnd, rows, cols, 1, cols + 1, -3, 3);
                float[] c0 = block(rnd, rows, cols, 2, cols + 7, -3, 3);
                float[] e = c0.clone(), s = c0.clone();
                SCALAR.multiplyElements(rows, cols, a, 3, cols + 4, b, 1, cols + 1, e, 2, cols + 7);
                simd.multiplyElements(rows, cols, a, 3, cols + 4, b, 1, cols + 1, s, 2, cols + 7);
                assertBitwise(e, s, "multiplyElements " + at);
                assertOutsideUntouched(c0, s, rows, cols, 2, cols + 7, "multiplyElements " + at);
                e = c0.clone();
                s = c0.clone();
                SCALAR.multiplyAddElements(rows, cols, a, 3, cols + 4, b, 1, cols + 1, e, 2, cols + 7);
                simd.multiplyAddElements(rows, cols, a, 3, cols + 4, b, 1, cols + 1, s, 2, cols + 7);
                assertBitwise(e, s, "multiplyAddElements " + at);
                assertOutsideUntouched(c0, s, rows, cols, 2, cols + 7, "multiplyAddElements " + at);
                // In place: C is A (same offset and leading dimension).
                float[] ea = a.clone(), sa = a.clone();
                SCALAR.multiplyAddElements(rows, cols, ea, 3, cols + 4, b, 1, cols + 1, ea, 3, cols + 4);
                simd.multiplyAddElements(rows, cols, sa, 3, cols + 4, b, 1, cols + 1, sa, 3, cols + 4);
                assertBitwise(ea, sa, "multiplyAddElements in place " + at);
            }
        }
    }

    /** The generic gate primitives a cell composes: σ/tanh on a block of a gate row, their backward step, the blend. */
    @Test
    void gatePrimitivesMatchTheScalarTwin() {
        SplittableRandom rnd = new SplittableRandom(29);
        for (int rows : ROWS) {
            for (int cols : COLS) {
                String at = rows + "x" + cols;
                // Pre-activations as a column range of a wider gate row: offset 3, leading dimension 3·cols + 5.
                int ld = 3 * cols + 5;
                float[] pre = block(rnd, rows, cols, 3, ld, -6, 6);
                for (Activation act : Activation.values()) {
                    float[] e = block(rnd, rows, cols, 1, cols + 2, -1, 1), s = e.clone(), before = e.clone();
                    SCALAR.activateRows(act, rows, cols, pre, 3, ld, e, 1, cols + 2);
                    simd.activateRows(act, rows, cols, pre, 3, ld, s, 1, cols + 2);
                    if (act == Activation.TANH || act == Activation.SIGMOID) {
                        assertUlps(e, s, 2, "activateRows " + act + " " + at);
                    } else {
                        assertBitwise(e, s, "activateRows " + act + " " + at);
                    }
                    assertOutsideUntouched(before, s, rows, cols, 1, cols + 2, "activateRows " + act + " " + at);
                    // Backward from the scalar outputs, so both sides differentiate the same y.
                    float[] dy = block(rnd, rows, cols, 2, cols + 3, -1, 1);
                    float[] de = block(rnd, rows, cols, 0, cols, -1, 1), ds = de.clone();
                    SCALAR.activationBackwardRows(act, rows, cols, e, 1, cols + 2, dy, 2, cols + 3, de, 0, cols);
                    simd.activationBackwardRows(act, rows, cols, e, 1, cols + 2, dy, 2, cols + 3, ds, 0, cols);
                    assertBitwise(de, ds, "activationBackwardRows " + act + " " + at);
                }
                float[] t = block(rnd, rows, cols, 2, cols + 1, 0, 1);
                float[] a = block(rnd, rows, cols, 0, cols + 3, -2, 2);
                float[] b = block(rnd, rows, cols, 4, cols + 4, -2, 2);
                float[] c0 = block(rnd, rows, cols, 1, cols + 6, -2, 2), e = c0.clone(), s = c0.clone();
                SCALAR.interpolateElements(rows, cols, t, 2, cols + 1, a, 0, cols + 3, b, 4, cols + 4, e, 1, cols + 6);
                simd.interpolateElements(rows, cols, t, 2, cols + 1, a, 0, cols + 3, b, 4, cols + 4, s, 1, cols + 6);
                assertBitwise(e, s, "interpolateElements " + at);
                assertOutsideUntouched(c0, s, rows, cols, 1, cols + 6, "interpolateElements " + at);
                // The definition, independently: c = a + t·(b − a), each step rounded to float.
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < cols; j++) {
                        float ta = t[2 + r * (cols + 1) + j],
                                aa = a[r * (cols + 3) + j],
                                bb = b[4 + r * (cols + 4) + j];
                        assertEquals(aa + ta * (bb - aa), e[1 + r * (cols + 6) + j], 0, "interpolateElements " + at);
                    }
                }
            }
        }
    }

    @Test
    void gruUpdateIsBitwiseEqualAndExactAtTheEnds() {
        SplittableRandom rnd = new SplittableRandom(22);
        for (int rows : ROWS) {
            for (int cols : COLS) {
                String at = rows + "x" + cols;
                // z and n as columns 1 and 2 of a [r | z | n] gate row; h and h_prev in state slots.
                int ldg = 3 * cols + 2;
                float[] gates = block(rnd, rows, 3 * cols, 1, ldg, 0, 1);
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < cols; j++) {
                        gates[1 + r * ldg + 2 * cols + j] = (float) (2 * rnd.nextDouble() - 1);
                    }
                }
                if (cols > 2) {
                    gates[1 + cols] = 0f; // z = 0: h = n exactly
                }
                float[] hp = block(rnd, rows, cols, 4, cols + 3, -1, 1);
                float[] h0 = block(rnd, rows, cols, 0, cols, -9, 9);
                float[] e = h0.clone(), s = h0.clone();
                SCALAR.gruUpdate(
                        rows, cols, gates, 1 + cols, ldg, gates, 1 + 2 * cols, ldg, hp, 4, cols + 3, e, 0, cols);
                simd.gruUpdate(rows, cols, gates, 1 + cols, ldg, gates, 1 + 2 * cols, ldg, hp, 4, cols + 3, s, 0, cols);
                assertBitwise(e, s, "gruUpdate " + at);
                if (cols > 2) {
                    assertEquals(gates[1 + 2 * cols], s[0], 0f, "z = 0 gives n");
                }
                // Against the textbook form in double: within two roundings of the float result.
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < cols; j++) {
                        double z = gates[1 + r * ldg + cols + j], n = gates[1 + r * ldg + 2 * cols + j];
                        double ref = (1 - z) * n + z * hp[4 + r * (cols + 3) + j];
                        assertEquals(
                                ref, s[r * cols + j], 3 * Math.ulp(1f), "gruUpdate " + at + " against (1-z)n + z h");
                    }
                }
                // In place over h_prev, as a cell may keep one state row.
                float[] ei = hp.clone(), si = hp.clone();
                SCALAR.gruUpdate(
                        rows, cols, gates, 1 + cols, ldg, gates, 1 + 2 * cols, ldg, ei, 4, cols + 3, ei, 4, cols + 3);
                simd.gruUpdate(
                        rows, cols, gates, 1 + cols, ldg, gates, 1 + 2 * cols, ldg, si, 4, cols + 3, si, 4, cols + 3);
                assertBitwise(ei, si, "gruUpdate in place " + at);
                assertOutsideUntouched(hp, si, rows, cols, 4, cols + 3, "gruUpdate in place " + at);
            }
        }
    }

    @Test
    void gruBackwardIsBitwiseEqual() {
        SplittableRandom rnd = new SplittableRandom(23);
        for (int rows : ROWS) {
            for (int cols : COLS) {
                String at = rows + "x" + cols;
                int ldg = 3 * cols + 1;
                float[] gates = block(rnd, rows, 3 * cols, 2, ldg, 0, 1); // r, z in (0, 1); n rescaled below
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < cols; j++) {
                        gates[2 + r * ldg + 2 * cols + j] = (float) (2 * rnd.nextDouble() - 1);
                    }
                }
                float[] ghn = block(rnd, rows, cols, 1, cols + 2, -2, 2);
                float[] hp = block(rnd, rows, cols, 0, cols + 5, -1, 1);
                float[] dh = block(rnd, rows, cols, 3, cols, -2, 2);
                int lddg = 4 * cols + 3;
                float[] dg0 = block(rnd, rows, 4 * cols, 1, lddg, -1, 1);
                float[] dp0 = block(rnd, rows, cols, 2, cols + 1, -1, 1);
                float[] eg = dg0.clone(), sg = dg0.clone(), ep = dp0.clone(), sp = dp0.clone();
                SCALAR.gruBackward(
                        rows, cols, gates, 2, ldg, ghn, 1, cols + 2, hp, 0, cols + 5, dh, 3, cols, eg, 1, lddg, ep, 2,
                        cols + 1);
                simd.gruBackward(
                        rows, cols, gates, 2, ldg, ghn, 1, cols + 2, hp, 0, cols + 5, dh, 3, cols, sg, 1, lddg, sp, 2,
                        cols + 1);
                assertBitwise(eg, sg, "gruBackward dGates " + at);
                assertBitwise(ep, sp, "gruBackward dhPrev " + at);
                assertOutsideUntouched(dg0, sg, rows, 4 * cols, 1, lddg, "gruBackward dGates " + at);
                assertOutsideUntouched(dp0, sp, rows, cols, 2, cols + 1, "gruBackward dhPrev " + at);
            }
        }
    }

    @Test
    void lstmUpdateMatchesWithinTanhsBound() {
        SplittableRandom rnd = new SplittableRandom(24);
        for (int rows : ROWS) {
            for (int cols : COLS) {
                String at = rows + "x" + cols;
                int ldg = 5 * cols + 2; // [i | f | g | o | tanh c], as an LSTM's step scratch
                float[] gates = block(rnd, rows, 5 * cols, 0, ldg, 0, 1);
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < cols; j++) {
                        gates[r * ldg + 2 * cols + j] = (float) (2 * rnd.nextDouble() - 1);
                    }
                }
                // State rows [h, c] of width 2·cols: c_prev in one slot, h and c in the next.
                int lds = 2 * cols;
                float[] prev = block(rnd, rows, lds, 0, lds, -6, 6);
                float[] next0 = block(rnd, rows, lds, 1, lds + 1, -1, 1);
                float[] en = next0.clone(), sn = next0.clone(), eg = gates.clone(), sg = gates.clone();
                SCALAR.lstmUpdate(
                        rows, cols, eg, 0, ldg, prev, cols, lds, en, 1 + cols, lds + 1, eg, 4 * cols, ldg, en, 1,
                        lds + 1);
                simd.lstmUpdate(
                        rows, cols, sg, 0, ldg, prev, cols, lds, sn, 1 + cols, lds + 1, sg, 4 * cols, ldg, sn, 1,
                        lds + 1);
                float[] ec = new float[rows * cols], sc = new float[rows * cols], et = ec.clone(), st = ec.clone();
                float[] eh = ec.clone(), sh = ec.clone();
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < cols; j++) {
                        ec[r * cols + j] = en[1 + r * (lds + 1) + cols + j];
                        sc[r * cols + j] = sn[1 + r * (lds + 1) + cols + j];
                        eh[r * cols + j] = en[1 + r * (lds + 1) + j];
                        sh[r * cols + j] = sn[1 + r * (lds + 1) + j];
                        et[r * cols + j] = eg[r * ldg + 4 * cols + j];
                        st[r * cols + j] = sg[r * ldg + 4 * cols + j];
                    }
                }
                assertBitwise(ec, sc, "lstmUpdate c " + at);
                // tanh within 2 ulp (as activate's TANH); h = o·tanh c adds o's share of it, at most
                // 2·ulp(o·t) per ulp of t, plus each side's rounding: 5 ulp of h.
                assertUlps(et, st, 2, "lstmUpdate tanh c " + at);
                assertUlps(eh, sh, 5, "lstmUpdate h " + at);
                assertOutsideUntouched(next0, sn, rows, 2 * cols, 1, lds + 1, "lstmUpdate state " + at);
                // The gates are read only; tanh c went to the fifth block of their rows.
                assertOutsideUntouched(gates, sg, rows, 5 * cols, 0, ldg, "lstmUpdate scratch " + at);
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < 4 * cols; j++) {
                        assertEquals(gates[r * ldg + j], sg[r * ldg + j], 0f, "lstmUpdate gates " + at);
                    }
                }
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < cols; j++) {
                        double i = gates[r * ldg + j], f = gates[r * ldg + cols + j];
                        double g = gates[r * ldg + 2 * cols + j], o = gates[r * ldg + 3 * cols + j];
                        double fc = f * prev[r * lds + cols + j];
                        double c = fc + i * g;
                        // Three roundings of terms no larger than |f·c_prev| + |i·g|; tanh' ≤ 1 carries that to h.
                        double cTol = 2 * Math.ulp((float) (Math.abs(fc) + Math.abs(i * g)));
                        assertEquals(c, sc[r * cols + j], cTol, "c " + at);
                        assertEquals(o * Math.tanh(c), sh[r * cols + j], cTol + 4 * Math.ulp(1f), "h " + at);
                    }
                }
            }
        }
    }

    @Test
    void lstmBackwardIsBitwiseEqual() {
        SplittableRandom rnd = new SplittableRandom(25);
        for (int rows : ROWS) {
            for (int cols : COLS) {
                String at = rows + "x" + cols;
                int ldg = 5 * cols;
                float[] gates = block(rnd, rows, 5 * cols, 1, ldg, 0, 1);
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < cols; j++) {
                        gates[1 + r * ldg + 2 * cols + j] = (float) (2 * rnd.nextDouble() - 1);
                        gates[1 + r * ldg + 4 * cols + j] = (float) (2 * rnd.nextDouble() - 1);
                    }
                }
                int lds = 2 * cols;
                float[] states = block(rnd, rows, lds, 0, lds, -3, 3);
                float[] dStates = block(rnd, rows, lds, 2, lds, -2, 2);
                float[] dPrev0 = block(rnd, rows, lds, 0, lds + 3, -1, 1);
                int lddg = 4 * cols + 1;
                float[] dg0 = block(rnd, rows, 4 * cols, 3, lddg, -1, 1);
                float[] eg = dg0.clone(), sg = dg0.clone(), ep = dPrev0.clone(), sp = dPrev0.clone();
                SCALAR.lstmBackward(
                        rows,
                        cols,
                        gates,
                        1,
                        ldg,
                        gates,
                        1 + 4 * cols,
                        ldg,
                        states,
                        cols,
                        lds,
                        dStates,
                        2,
                        lds,
                        dStates,
                        2 + cols,
                        lds,
                        eg,
                        3,
                        lddg,
                        ep,
                        cols,
                        lds + 3);
                simd.lstmBackward(
                        rows,
                        cols,
                        gates,
                        1,
                        ldg,
                        gates,
                        1 + 4 * cols,
                        ldg,
                        states,
                        cols,
                        lds,
                        dStates,
                        2,
                        lds,
                        dStates,
                        2 + cols,
                        lds,
                        sg,
                        3,
                        lddg,
                        sp,
                        cols,
                        lds + 3);
                assertBitwise(eg, sg, "lstmBackward dGates " + at);
                assertBitwise(ep, sp, "lstmBackward dcPrev " + at);
                assertOutsideUntouched(dg0, sg, rows, 4 * cols, 3, lddg, "lstmBackward dGates " + at);
                assertOutsideUntouched(dPrev0, sp, rows, cols, cols, lds + 3, "lstmBackward dcPrev " + at);
            }
        }
    }

    @Test
    void operandsThatDoNotFitAreRefusedByName() {
        float[] small = new float[10];
        float[] big = new float[100];
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> simd.gruUpdate(2, 5, big, 0, 5, big, 0, 5, small, 3, 5, big, 0, 5));
        assertTrue(e.getMessage().contains("gruUpdate") && e.getMessage().contains("hPrev"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> simd.lstmBackward(
                        2, 3, big, 0, 12, big, 0, 3, big, 0, 3, big, 0, 3, big, 0, 3, small, 0, 12, big, 0, 3));
        assertTrue(e.getMessage().contains("lstmBackward") && e.getMessage().contains("dGates"), e.getMessage());
        // Nothing to do is not an error, whatever the arrays.
        simd.multiplyAddElements(0, 5, small, 0, 5, small, 0, 5, small, 0, 5);
        assertEquals(0f, small[0]);
    }
}
