package org.bptt.simd;

import static org.bptt.simd.Fixtures.GUARD;
import static org.bptt.simd.Fixtures.U;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.bptt.api.kernel.Kernels;
import org.bptt.api.kernel.ScalarKernels;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The three SIMD GEMMs against the scalar reference over awkward shapes, offsets and
 * leading dimensions; only the m×n block of C may change; results are bitwise identical
 * for 1, 2 and 3 threads.
 *
 * <p>Tolerance: both backends compute c₀ + Σₚ aₚbₚ in float32, in different orders (FMA
 * and a lane tree versus a plain loop). Any order of a sum of k+1 terms is within
 * γ_{k+1}·(|c₀| + Σ|aₚbₚ|) of the exact value, γₙ = n·u/(1−n·u), so the two can differ by
 * at most twice that.
 */
final class TestSimdGemm {

    enum Op {
        TRANS_B,
        PLAIN,
        TRANS_A
    }

    private static final int[] AWKWARD = {1, 7, 13, 15, 16, 17, 31, 32, 33, 63, 64, 65, 97, 207};
    private static final ScalarKernels SCALAR = new ScalarKernels();

    @BeforeAll
    static void vectorApi() {
        Assumptions.assumeTrue(Fixtures.vectorModulePresent(), "jdk.incubator.vector is not in the boot layer");
    }

    /** Shapes: every awkward size in each role, a random mix, and reductions of a few thousand. */
    private static List<int[]> shapes() {
        List<int[]> shapes = new ArrayList<>();
        for (int s : AWKWARD) {
            shapes.add(new int[] {s, 17, 13});
            shapes.add(new int[] {7, s, 33});
            shapes.add(new int[] {65, 31, s});
            shapes.add(new int[] {s, s, s});
        }
        SplittableRandom rnd = new SplittableRandom(7);
        for (int t = 0; t < 40; t++) {
            shapes.add(new int[] {
                AWKWARD[rnd.nextInt(AWKWARD.length)],
                AWKWARD[rnd.nextInt(AWKWARD.length)],
                AWKWARD[rnd.nextInt(AWKWARD.length)]
            });
        }
        shapes.add(new int[] {5, 33, 2053});
        shapes.add(new int[] {67, 65, 2053});
        shapes.add(new int[] {2053, 64, 65});
        shapes.add(new int[] {3, 2053, 17});
        return shapes;
    }

    private static void run(
            Kernels k,
            Op op,
            int m,
            int n,
            int kk,
            float[] a,
            int aOff,
            int lda,
            float[] b,
            int bOff,
            int ldb,
            float[] c,
            int cOff,
            int ldc) {
        switch (op) {
            case TRANS_B -> k.multAddTransB(m, n, kk, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
            case PLAIN -> k.multAdd(m, n, kk, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
            case TRANS_A -> k.multAddTransA(m, n, kk, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        }
    }

    /** A(i,p) and B(p,j) as the operation reads them. */
    private static double aAt(Op op, float[] a, int aOff, int lda, int i, int p) {
        return op == Op.TRANS_A ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
    }

    private static double bAt(Op op, float[] b, int bOff, int ldb, int p, int j) {
        return op == Op.TRANS_B ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
    }

    @Test
    void everyGemmMatchesScalarOnAwkwardShapes() {
        Kernels simd = Fixtures.simd(1);
        SplittableRandom rnd = new SplittableRandom(42);
        for (Op op : Op.values()) {
            for (int[] s : shapes()) {
                check(simd, op, s[0], s[1], s[2], rnd);
            }
        }
    }

    private static void check(Kernels simd, Op op, int m, int n, int k, SplittableRandom rnd) {
        int aRows = op == Op.TRANS_A ? k : m, aCols = op == Op.TRANS_A ? m : k;
        int bRows = op == Op.TRANS_B ? n : k, bCols = op == Op.TRANS_B ? k : n;
        int aOff = rnd.nextInt(5), bOff = rnd.nextInt(5), cOff = rnd.nextInt(5);
        int lda = aCols + rnd.nextInt(4), ldb = bCols + rnd.nextInt(4), ldc = n + rnd.nextInt(4);
        float[] a = Fixtures.block(rnd, aRows, aCols, aOff, lda, 3);
        float[] b = Fixtures.block(rnd, bRows, bCols, bOff, ldb, 3);
        float[] c0 = Fixtures.block(rnd, m, n, cOff, ldc, 3);
        float[] expected = c0.clone();
        float[] actual = c0.clone();
        run(SCALAR, op, m, n, k, a, aOff, lda, b, bOff, ldb, expected, cOff, ldc);
        run(simd, op, m, n, k, a, aOff, lda, b, bOff, ldb, actual, cOff, ldc);
        double gamma = (k + 1) * U / (1 - (k + 1) * U);
        for (int idx = 0; idx < c0.length; idx++) {
            int rel = idx - cOff;
            int i = rel >= 0 ? rel / ldc : -1, j = rel >= 0 ? rel % ldc : -1;
            boolean inBlock = rel >= 0 && i < m && j < n;
            if (!inBlock) {
                if (Float.floatToRawIntBits(actual[idx]) != Float.floatToRawIntBits(GUARD)
                        && Float.floatToRawIntBits(actual[idx]) != Float.floatToRawIntBits(c0[idx])) {
                    fail(op + " " + m + "x" + n + "x" + k + " wrote outside C at index " + idx);
                }
                continue;
            }
            double mag = Math.abs(c0[idx]);
            for (int p = 0; p < k; p++) {
                mag += Math.abs(aAt(op, a, aOff, lda, i, p) * bAt(op, b, bOff, ldb, p, j));
            }
            double tol = 2 * gamma * mag;
            double diff = Math.abs((double) actual[idx] - expected[idx]);
            if (!(diff <= tol)) {
                fail(op + " " + m + "x" + n + "x" + k + " C[" + i + "][" + j + "]: simd " + actual[idx] + " scalar "
                        + expected[idx] + " differ by " + diff + " > " + tol);
            }
        }
    }

    @Test
    void resultsAreBitwiseIdenticalForOneTwoAndThreeThreads() {
        Kernels[] backends = {Fixtures.simd(1), Fixtures.simd(2), Fixtures.simd(3)};
        SplittableRandom rnd = new SplittableRandom(3);
        // Big enough to run in parallel; both multAddTransB forms (dot products for few rows, packed Bᵀ for many).
        int[][] shapes = {{33, 300, 257}, {200, 301, 70}, {257, 129, 131}, {9, 1000, 300}};
        for (Op op : Op.values()) {
            for (int[] s : shapes) {
                int m = s[0], n = s[1], k = s[2];
                int aRows = op == Op.TRANS_A ? k : m, aCols = op == Op.TRANS_A ? m : k;
                int bRows = op == Op.TRANS_B ? n : k, bCols = op == Op.TRANS_B ? k : n;
                float[] a = Fixtures.block(rnd, aRows, aCols, 1, aCols + 1, 0);
                float[] b = Fixtures.block(rnd, bRows, bCols, 2, bCols, 0);
                float[] c0 = Fixtures.block(rnd, m, n, 3, n + 2, 0);
                float[] first = null;
                for (int t = 0; t < backends.length; t++) {
                    float[] c = c0.clone();
                    run(backends[t], op, m, n, k, a, 1, aCols + 1, b, 2, bCols, c, 3, n + 2);
                    if (first == null) {
                        first = c;
                        assertTrue(!java.util.Arrays.equals(c, c0), "the product changed C");
                    } else {
                        assertArrayEquals(
                                first, c, op + " " + m + "x" + n + "x" + k + " differs at " + (t + 1) + " threads");
                    }
                }
            }
        }
    }

    /**
     * A product of one row (a batch of one) runs its own wide tile; its bits must be those the
     * same row gets inside a product of five rows, which the ordinary tiles compute: plain and
     * packed B, several K-blocks, on 1 and 2 threads.
     */
    @Test
    void aSingleRowGetsTheBitsOfTheSameRowInALargerProduct() {
        SplittableRandom rnd = new SplittableRandom(5);
        int[][] shapes = {{128, 128}, {300, 257}, {1024, 65}, {129, 600}, {64, 31}};
        for (Kernels kern : new Kernels[] {Fixtures.simd(1), Fixtures.simd(2)}) {
            for (int[] s : shapes) {
                int n = s[0], k = s[1];
                float[] a = Fixtures.block(rnd, 5, k, 0, k, 0);
                float[] b = Fixtures.block(rnd, k, n, 0, n, 0);
                float[] c0 = Fixtures.block(rnd, 5, n, 0, n, 0);
                float[] five = c0.clone();
                kern.multAdd(5, n, k, a, 0, k, b, 0, n, five, 0, n);
                float[] one = java.util.Arrays.copyOf(c0, n);
                kern.multAdd(1, n, k, a, 0, k, b, 0, n, one, 0, n);
                assertArrayEquals(
                        java.util.Arrays.copyOf(five, n), one, "plain 1x" + n + "x" + k + " on " + kern.threads());
                float[] packed = new float[kern.packedSize(k, n)];
                kern.packB(k, n, b, 0, n, packed);
                float[] onePacked = java.util.Arrays.copyOf(c0, n);
                kern.multAddPacked(1, n, k, a, 0, k, packed, onePacked, 0, n);
                assertArrayEquals(one, onePacked, "packed 1x" + n + "x" + k + " on " + kern.threads());
            }
        }
    }

    /**
     * multAddPacked on a packed B gives the bits multAdd gives on B itself: same tiles, same
     * per-element order. Shapes cover partial panels and K-blocks (k past 256), products big
     * enough to be split over threads, and the rows a batch part hands it.
     */
    @Test
    void packedProductsEqualPlainOnesBitForBit() {
        Kernels[] backends = {Fixtures.simd(1), Fixtures.simd(2), Fixtures.simd(3)};
        SplittableRandom rnd = new SplittableRandom(11);
        int[][] shapes = {
            {1, 1, 1},
            {7, 17, 13},
            {16, 64, 64},
            {32, 256, 256},
            {13, 97, 300},
            {33, 300, 257},
            {6, 1024, 65},
            {200, 130, 70}
        };
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            float[] a = Fixtures.block(rnd, m, k, 1, k + 3, 0);
            float[] b = Fixtures.block(rnd, k, n, 2, n + 1, 0);
            float[] c0 = Fixtures.block(rnd, m, n, 3, n + 2, 0);
            float[] plain = c0.clone();
            backends[0].multAdd(m, n, k, a, 1, k + 3, b, 2, n + 1, plain, 3, n + 2);
            for (Kernels kern : backends) {
                float[] packed = new float[kern.packedSize(k, n)];
                kern.packB(k, n, b, 2, n + 1, packed);
                float[] c = c0.clone();
                kern.multAddPacked(m, n, k, a, 1, k + 3, packed, c, 3, n + 2);
                assertArrayEquals(plain, c, "packed " + m + "x" + n + "x" + k + " on " + kern.threads() + " threads");
            }
        }
        Kernels simd = backends[0];
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> simd.multAddPacked(2, 3, 4, new float[8], 0, 4, new float[12], new float[6], 0, 3));
        assertTrue(e.getMessage().contains("packedSize(4, 3)"), e.getMessage());
        // The scalar default packs row-major and multiplies it as a plain B.
        float[] b = Fixtures.random(rnd, 6, -1, 1);
        float[] packed = new float[SCALAR.packedSize(2, 3)];
        SCALAR.packB(2, 3, b, 0, 3, packed);
        assertArrayEquals(b, packed);
    }

    @Test
    void knownSmallProduct() {
        Kernels simd = Fixtures.simd(1);
        float[] a = {1, 2, 3, 4, 5, 6}; // 2×3
        float[] b = {1, 0, -1, 2, 1, 0}; // 2×3, read as Bᵀ
        float[] c = {10, 20, 30, 40};
        simd.multAddTransB(2, 2, 3, a, 0, 3, b, 0, 3, c, 0, 2);
        assertArrayEquals(new float[] {10 - 2, 20 + 4, 30 - 2, 40 + 13}, c);
        float[] bt = {1, 2, 0, 1, -1, 0}; // 3×2
        float[] d = new float[4];
        simd.multAdd(2, 2, 3, a, 0, 3, bt, 0, 2, d, 0, 2);
        assertArrayEquals(new float[] {-2, 4, -2, 13}, d);
        float[] e = new float[9];
        simd.multAddTransA(3, 3, 2, a, 0, 3, a, 0, 3, e, 0, 3); // AᵀA, 3×3
        assertArrayEquals(new float[] {17, 22, 27, 22, 29, 36, 27, 36, 45}, e);
    }

    @Test
    void shapeErrorsNameTheOperand() {
        Kernels simd = Fixtures.simd(1);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> simd.multAdd(4, 4, 4, new float[16], 0, 4, new float[15], 0, 4, new float[16], 0, 4));
        assertEquals(
                "multAdd: operand B (4x4, offset 0, leading dimension 4) does not fit its array of 15 floats",
                e.getMessage());
    }
}
