package org.bptt.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.bptt.api.kernel.Kernels;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Kernels#parallelFor} on the SIMD backend: every part runs exactly once per region
 * however the workers wake, kernels called inside a part give the bits they give outside,
 * and a failing part reaches the caller without breaking the pool.
 */
final class TestParallelFor {

    @BeforeAll
    static void vectorApi() {
        Assumptions.assumeTrue(Fixtures.vectorModulePresent(), "jdk.incubator.vector is not in the boot layer");
    }

    @Test
    void everyPartRunsExactlyOncePerRegion() {
        Kernels k = Fixtures.simd(3);
        assertEquals(3, k.threads());
        int regions = 3000;
        for (int parts = 1; parts <= 7; parts++) {
            AtomicIntegerArray runs = new AtomicIntegerArray(parts);
            for (int r = 0; r < regions; r++) {
                // Alternate short and longer parts so that workers are sometimes late and sometimes idle.
                int work = r % 3 == 0 ? 20_000 : 10;
                k.parallelFor(parts, p -> {
                    spin(work);
                    runs.incrementAndGet(p);
                });
            }
            for (int p = 0; p < parts; p++) {
                assertEquals(regions, runs.get(p), "runs of part " + p + " of " + parts);
            }
        }
    }

    private static volatile double sink;

    private static void spin(int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += Math.sqrt(i);
        }
        sink = s;
    }

    @Test
    void kernelsInsideAPartGiveTheBitsTheyGiveOutside() {
        Kernels one = Fixtures.simd(1);
        Kernels two = Fixtures.simd(2);
        SplittableRandom rnd = new SplittableRandom(5);
        // Each part is a product big enough that the kernels would split it themselves outside a region.
        int m = 96, n = 301, kk = 200, parts = 3;
        float[] a = Fixtures.random(rnd, parts * m * kk, -1, 1);
        float[] b = Fixtures.random(rnd, kk * n, -1, 1);
        float[] expected = new float[parts * m * n];
        for (int p = 0; p < parts; p++) {
            one.multAdd(m, n, kk, a, p * m * kk, kk, b, 0, n, expected, p * m * n, n);
            one.addBiasActivate(org.bptt.api.kernel.Activation.TANH, m, n, expected, p * m * n, n, b, 0);
        }
        float[] got = new float[parts * m * n];
        two.parallelFor(parts, p -> {
            two.multAdd(m, n, kk, a, p * m * kk, kk, b, 0, n, got, p * m * n, n);
            two.addBiasActivate(org.bptt.api.kernel.Activation.TANH, m, n, got, p * m * n, n, b, 0);
        });
        assertArrayEquals(expected, got);
    }

    @Test
    void aFailingPartReachesTheCallerAndThePoolKeepsWorking() {
        Kernels k = Fixtures.simd(2);
        IllegalStateException boom = new IllegalStateException("part 1 failed");
        for (int r = 0; r < 50; r++) {
            IllegalStateException thrown = assertThrows(
                    IllegalStateException.class,
                    () -> k.parallelFor(4, p -> {
                        if (p == 1) {
                            throw boom;
                        }
                    }));
            assertSame(boom, thrown);
        }
        AtomicIntegerArray runs = new AtomicIntegerArray(4);
        k.parallelFor(4, runs::incrementAndGet);
        for (int p = 0; p < 4; p++) {
            assertEquals(1, runs.get(p));
        }
    }
}
