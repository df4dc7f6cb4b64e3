package org.bptt.training.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The warm-up goes on past its minimum while the JIT compiles, and no longer than its cap. */
class TestJitWarmup {
    private static final long MS = 1_000_000L;

    /** A task of about one millisecond. */
    private static void oneMillisecond() {
        long until = System.nanoTime() + MS;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }

    @Test
    void zeroSecondsRunsNothing() {
        AtomicInteger runs = new AtomicInteger();
        JitWarmup.Result r = JitWarmup.run(runs::incrementAndGet, 0);
        assertEquals(0, runs.get());
        assertEquals(0, r.seconds());
        assertFalse(r.settled());
        assertThrows(IllegalArgumentException.class, () -> JitWarmup.run(runs::incrementAndGet, -1));
        assertThrows(IllegalArgumentException.class, () -> JitWarmup.run(runs::incrementAndGet, Double.NaN));
    }

    @Test
    void anIdleJitEndsTheWarmUpAtItsMinimumPlusTheQuietTime() {
        JitWarmup.Result r = JitWarmup.run(TestJitWarmup::oneMillisecond, 0.05, 30 * MS, 5_000 * MS, () -> 7);
        assertTrue(r.settled());
        // Quiet since the start, so the minimum is what bounds it.
        assertTrue(r.seconds() >= 0.05 && r.seconds() < 1, "took " + r.seconds() + " s");
    }

    @Test
    void aCompilingJitKeepsTheWarmUpGoingUntilItHasBeenQuiet() {
        // The JIT "compiles" during the first 300 ms of calls, then stops: the warm-up must run to
        // about 300 + 100 ms, far past its 50 ms minimum.
        long start = System.nanoTime();
        AtomicLong clock = new AtomicLong();
        JitWarmup.Result r = JitWarmup.run(
                TestJitWarmup::oneMillisecond,
                0.05,
                100 * MS,
                5_000 * MS,
                () -> System.nanoTime() - start < 300 * MS ? clock.incrementAndGet() : clock.get());
        assertTrue(r.settled());
        assertTrue(r.seconds() >= 0.35, "ended after " + r.seconds() + " s, before the JIT had been quiet for 100 ms");
        assertTrue(r.seconds() < 3, "took " + r.seconds() + " s");
    }

    @Test
    void aJitThatNeverStopsIsCutOffAtTheCap() {
        AtomicLong clock = new AtomicLong();
        JitWarmup.Result r =
                JitWarmup.run(TestJitWarmup::oneMillisecond, 0.05, 100 * MS, 200 * MS, clock::incrementAndGet);
        assertFalse(r.settled());
        assertTrue(r.seconds() >= 0.25 && r.seconds() < 3, "took " + r.seconds() + " s");
    }

    @Test
    void aJvmWithoutCompilationTimeStopsAtTheMinimumUnsettled() {
        JitWarmup.Result r = JitWarmup.run(TestJitWarmup::oneMillisecond, 0.05, 100 * MS, 5_000 * MS, () -> -1);
        assertFalse(r.settled());
        assertTrue(r.seconds() >= 0.05 && r.seconds() < 1, "took " + r.seconds() + " s");
    }
}
