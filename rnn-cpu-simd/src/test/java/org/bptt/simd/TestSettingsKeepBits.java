package org.bptt.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.bptt.api.kernel.Kernels;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every setting the tuner may choose gives the bits the default setting gives, in every GEMM
 * form (C += A·Bᵀ in both its forms, C += A·B, C += Aᵀ·B, packed B), on one and two threads,
 * over shapes that cross every threshold and K-block the candidates set (k past 512, m on both
 * sides of 16, 48, 96 and 192, columns that leave narrow and masked edge panels for every tile
 * width; row blocks of the cache-blocked form, with and without A copied). The comparison itself is shown to catch a change of summation order: the dot-product
 * form, which the tuner may not choose, differs from the outer-product form in the last bits.
 */
final class TestSettingsKeepBits {

    enum Op {
        TRANS_B,
        PLAIN,
        TRANS_A,
        PACKED
    }

    private static final int[][] SHAPES = {
        {1, 7, 3}, {5, 33, 600}, {15, 65, 129}, {16, 17, 257}, {33, 97, 600}, {47, 130, 70},
        {48, 63, 513}, {95, 200, 65}, {96, 48, 300}, {191, 33, 140}, {192, 129, 64}, {200, 1, 33}
    };

    @BeforeAll
    static void vectorApi() {
        Assumptions.assumeTrue(Fixtures.vectorModulePresent(), "jdk.incubator.vector is not in the boot layer");
    }

    /** Each knob's every candidate on the defaults, and every tile with the smallest and largest K-blocks. */
    static List<SimdSettings> candidates() {
        return candidatesAt(org.bptt.simd.internal.SimdSupport.preferredVectorBits());
    }

    static List<SimdSettings> candidatesAt(int vectorBits) {
        SimdSettings d = SimdSettings.defaults(vectorBits);
        Set<SimdSettings> all = new LinkedHashSet<>();
        for (Map.Entry<String, List<Object>> e : SimdSettings.candidates().entrySet()) {
            for (Object v : e.getValue()) {
                all.add(d.with(e.getKey(), v));
            }
        }
        for (String tile : SimdSettings.TILES) {
            all.add(d.withTile(tile)
                    .withKc(128)
                    .withKcCopy(64)
                    .withMc(48)
                    .withCopyMinRows(48)
                    .withCopyAMinPanels(1)
                    .withParallelFlops(1L << 20));
            all.add(d.withTile(tile).withKc(512).withKcCopy(512).withMc(96).withCopyMinRows(192));
            // Every packed product with this stream tile, whatever its size.
            all.add(d.withStreamTile(tile).withStreamMinBytes(0));
            all.add(d.withStreamTile(tile).withStreamMinBytes(0).withKc(128));
        }
        all.remove(d);
        return new ArrayList<>(all);
    }

    private static void run(Kernels k, Op op, int m, int n, int kk, float[] a, float[] b, float[] c) {
        // Offsets and leading dimensions a little off round numbers: A at 1 with lda + 3, B at 2 with ldb + 1, C at 3
        // with n + 2.
        switch (op) {
            case TRANS_B -> k.multAddTransB(m, n, kk, a, 1, kk + 3, b, 2, kk + 1, c, 3, n + 2);
            case PLAIN -> k.multAdd(m, n, kk, a, 1, kk + 3, b, 2, n + 1, c, 3, n + 2);
            case TRANS_A -> k.multAddTransA(m, n, kk, a, 1, m + 3, b, 2, n + 1, c, 3, n + 2);
            case PACKED -> {
                float[] packed = new float[k.packedSize(kk, n)];
                k.packB(kk, n, b, 2, n + 1, packed);
                k.multAddPacked(m, n, kk, a, 1, kk + 3, packed, c, 3, n + 2);
            }
        }
    }

    private record Operands(float[] a, float[] b, float[] c) {}

    private static Operands operands(SplittableRandom rnd, int m, int n, int k) {
        int big = Math.max(m, Math.max(n, k)) + 4;
        return new Operands(
                Fixtures.random(rnd, 1 + big * big, -1, 1),
                Fixtures.random(rnd, 2 + big * big, -1, 1),
                Fixtures.random(rnd, 3 + m * (n + 2), -1, 1));
    }

    @Test
    void everyCandidateSettingGivesTheDefaultsBits() {
        Kernels reference = Fixtures.simd(1);
        List<SimdSettings> candidates = candidates();
        assertTrue(candidates.size() >= 20, "the candidates cover every knob: " + candidates.size());
        SplittableRandom rnd = new SplittableRandom(5);
        List<Operands> ops = new ArrayList<>();
        for (int[] s : SHAPES) {
            ops.add(operands(rnd, s[0], s[1], s[2]));
        }
        List<float[]> expected = new ArrayList<>();
        for (Op op : Op.values()) {
            for (int i = 0; i < SHAPES.length; i++) {
                float[] c = ops.get(i).c().clone();
                run(
                        reference,
                        op,
                        SHAPES[i][0],
                        SHAPES[i][1],
                        SHAPES[i][2],
                        ops.get(i).a(),
                        ops.get(i).b(),
                        c);
                expected.add(c);
            }
        }
        for (SimdSettings s : candidates) {
            for (int threads : new int[] {1, 2}) {
                Kernels k = Fixtures.simd(threads, s);
                int e = 0;
                for (Op op : Op.values()) {
                    for (int i = 0; i < SHAPES.length; i++) {
                        float[] c = ops.get(i).c().clone();
                        run(
                                k,
                                op,
                                SHAPES[i][0],
                                SHAPES[i][1],
                                SHAPES[i][2],
                                ops.get(i).a(),
                                ops.get(i).b(),
                                c);
                        int shape = i;
                        assertArrayEquals(
                                expected.get(e++),
                                c,
                                () -> op + " " + Arrays.toString(SHAPES[shape]) + " differs from the defaults with "
                                        + s.describe() + " on " + threads + " thread(s)");
                    }
                }
            }
        }
    }

    /**
     * What a bits-changing choice looks like, and that the comparison above would see it: C += A·Bᵀ
     * for 15 rows takes the dot-product form (lane partial sums, then a tree), for the same rows
     * as C += A·(Bᵀ) with Bᵀ written out it takes the outer-product form (one FMA chain per
     * element). Same product, different order: different bits. This is why the threshold
     * between the two forms is not a tuned setting.
     */
    @Test
    void theComparisonCatchesAChangeOfSummationOrder() {
        Kernels k = Fixtures.simd(1);
        int m = 15, n = 33, kk = 600;
        SplittableRandom rnd = new SplittableRandom(9);
        float[] a = Fixtures.random(rnd, m * kk, -1, 1);
        float[] b = Fixtures.random(rnd, n * kk, -1, 1); // n×k, read as Bᵀ
        float[] bt = new float[kk * n];
        k.transpose(n, kk, b, 0, kk, bt, 0);
        float[] dotForm = new float[m * n];
        float[] outerForm = new float[m * n];
        k.multAddTransB(m, n, kk, a, 0, kk, b, 0, kk, dotForm, 0, n);
        k.multAdd(m, n, kk, a, 0, kk, bt, 0, n, outerForm, 0, n);
        assertFalse(Arrays.equals(dotForm, outerForm), "two summation orders gave the same bits everywhere");
        int close = 0;
        for (int i = 0; i < dotForm.length; i++) {
            if (Math.abs(dotForm[i] - outerForm[i]) <= 1e-4 * (1 + Math.abs(outerForm[i]))) {
                close++;
            }
        }
        assertEquals(dotForm.length, close, "the two forms agree to rounding");
    }

    /**
     * A packed B of at least stream_min_bytes is packed, and multiplied, in the stream tile's
     * layout, a smaller one in the main tile's: the packed floats equal those of a setting whose
     * only tile is that one. The two layouts differ (panels of 4 and of 3 vectors), so a wrong
     * choice shows.
     */
    @Test
    void packedProductsFromTheThresholdTakeTheStreamTile() {
        int k = 40, n = 100;
        long bytes = 4L * k * n;
        SimdSettings d = Fixtures.defaults();
        SimdSettings split = d.withTile("6x4").withStreamTile("8x3").withStreamMinBytes(bytes);
        float[] b = Fixtures.random(new SplittableRandom(3), k * n, -1, 1);
        float[] main = packed(d.withTile("6x4").withStreamTile("6x4"), k, n, b);
        float[] stream = packed(d.withTile("8x3").withStreamTile("8x3"), k, n, b);
        assertFalse(Arrays.equals(main, stream), "the two tiles' layouts are the same");
        assertArrayEquals(stream, packed(split, k, n, b), "B of exactly stream_min_bytes");
        assertArrayEquals(
                main, packed(split.withStreamMinBytes(bytes + 1), k, n, b), "B one byte short of stream_min_bytes");
        assertArrayEquals(main, packed(split.withStreamMinBytes(Long.MAX_VALUE), k, n, b), "never");
    }

    private static float[] packed(SimdSettings s, int k, int n, float[] b) {
        Kernels kernels = Fixtures.simd(1, s);
        float[] p = new float[kernels.packedSize(k, n)];
        kernels.packB(k, n, b, 0, n, p);
        return p;
    }

    /** The split of a recurrence follows the tuned threshold, never exceeds the threads, and needs 8 rows a part. */
    @Test
    void recurrencePartsFollowTheSplitThreshold() {
        SimdSettings s = Fixtures.defaults().withSplitWeightBytes(1L << 18);
        Kernels two = Fixtures.simd(2, s);
        assertEquals(2, two.recurrenceParts(32, 1L << 18));
        assertEquals(1, two.recurrenceParts(32, (1L << 18) + 1));
        assertEquals(1, two.recurrenceParts(15, 1L << 10), "fewer than 8 rows a part");
        assertEquals(1, Fixtures.simd(1, s).recurrenceParts(32, 1L << 10), "one thread");
        assertEquals(3, Fixtures.simd(3, s.withSplitWeightBytes(1L << 24)).recurrenceParts(32, 1L << 22));
        assertEquals(1, Fixtures.simd(3, s.withSplitWeightBytes(0)).recurrenceParts(32, 4));
    }
}
