package org.bptt.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.bptt.api.kernel.Kernels;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Once compiled, a GEMM called again with the same sizes allocates nothing: scratch is
 * kept per thread and vectors stay in registers. The interpreter boxes vectors, so the
 * kernels are first run until C2 has compiled them.
 */
final class TestSimdAllocation {

    private static com.sun.management.ThreadMXBean mx;

    @BeforeAll
    static void setUp() {
        Assumptions.assumeTrue(Fixtures.vectorModulePresent(), "jdk.incubator.vector is not in the boot layer");
        mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled());
    }

    @Test
    void secondIdenticalCallAllocatesNothing() {
        Kernels simd = Fixtures.simd(1);
        SplittableRandom rnd = new SplittableRandom(1);
        // Shapes exercising every path: dot-form and packed multAddTransB, full panels and edges,
        // the cache-blocked form (96+ rows), with a transposed A copied into rows (9+ panels).
        int[][] shapes = {{32, 64, 64}, {96, 80, 65}, {5, 17, 33}, {100, 520, 70}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            float[] a = Fixtures.random(rnd, Math.max(m, k) * Math.max(m, k), -1, 1);
            float[] b = Fixtures.random(rnd, Math.max(n, k) * Math.max(n, k), -1, 1);
            float[] c = new float[m * n];
            float[] packed = new float[simd.packedSize(k, n)];
            simd.packB(k, n, b, 0, n, packed);
            Runnable[] calls = {
                () -> simd.multAddTransB(m, n, k, a, 0, k, b, 0, k, c, 0, n),
                () -> simd.multAdd(m, n, k, a, 0, k, b, 0, n, c, 0, n),
                () -> simd.multAddTransA(m, n, k, a, 0, m, b, 0, n, c, 0, n),
                () -> simd.multAddPacked(m, n, k, a, 0, k, packed, c, 0, n),
                () -> simd.packB(k, n, b, 0, n, packed),
            };
            for (int which = 0; which < calls.length; which++) {
                long allocated = steadyStateAllocation(calls[which]);
                assertEquals(0L, allocated, "call " + which + " at " + m + "x" + n + "x" + k + " allocated bytes");
            }
        }
    }

    /** The element-wise kernels of gated cells, at a width with a vector body and a scalar tail. */
    @Test
    void gatedCellKernelsAllocateNothingOnceCompiled() {
        Kernels simd = Fixtures.simd(1);
        SplittableRandom rnd = new SplittableRandom(2);
        int rows = 5, h = 67;
        float[] gates = Fixtures.random(rnd, rows * 5 * h, 0.05, 0.95);
        float[] ghn = Fixtures.random(rnd, rows * h, -1, 1);
        float[] states = Fixtures.random(rnd, 2 * rows * 2 * h, -1, 1);
        float[] dStates = Fixtures.random(rnd, 2 * rows * 2 * h, -1, 1);
        float[] dGates = new float[rows * 4 * h];
        int slot = rows * 2 * h;
        Runnable[] calls = {
            () -> simd.multiplyElements(rows, h, gates, 0, 5 * h, ghn, 0, h, dGates, 0, 4 * h),
            () -> simd.multiplyAddElements(rows, h, gates, 0, 5 * h, ghn, 0, h, dGates, 0, 4 * h),
            () -> simd.gruUpdate(rows, h, gates, h, 3 * h, gates, 2 * h, 3 * h, states, 0, h, states, slot, h),
            () -> simd.gruBackward(
                    rows, h, gates, 0, 3 * h, ghn, 0, h, states, 0, h, dStates, slot, h, dGates, 0, 4 * h, dStates, 0,
                    h),
            () -> simd.lstmUpdate(
                    rows, h, gates, 0, 5 * h, states, h, 2 * h, states, slot + h, 2 * h, gates, 4 * h, 5 * h, states,
                    slot, 2 * h),
            () -> simd.lstmBackward(
                    rows, h, gates, 0, 5 * h, gates, 4 * h, 5 * h, states, h, 2 * h, dStates, slot, 2 * h, dStates,
                    slot + h, 2 * h, dGates, 0, 4 * h, dStates, h, 2 * h),
        };
        for (int which = 0; which < calls.length; which++) {
            assertEquals(0L, steadyStateAllocation(calls[which]), "gated kernel " + which + " allocated bytes");
        }
    }

    /**
     * Bytes allocated by one call, after warming up until compiled. The bound is time, not
     * rounds: on a busy machine C2's queue can lag the calls by seconds.
     */
    private static long steadyStateAllocation(Runnable call) {
        long last = -1;
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < 300; i++) {
                call.run();
            }
            long before = mx.getCurrentThreadAllocatedBytes();
            call.run();
            long after = mx.getCurrentThreadAllocatedBytes();
            long overhead = mx.getCurrentThreadAllocatedBytes() - after; // the probe's own cost, if any
            last = after - before - overhead;
            if (last == 0) {
                return 0;
            }
        }
        return last;
    }
}
