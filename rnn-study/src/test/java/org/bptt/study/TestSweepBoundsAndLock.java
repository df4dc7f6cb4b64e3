package org.bptt.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.eval.EvaluationSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sweep's size is bounded before anything is built, and a sweep folder's runs belong to one session at a time. */
final class TestSweepBoundsAndLock {

    @Test
    void aBillionRandomDrawsAreRefusedBeforeAnyIsDrawn() {
        Map<String, Combinations.Axis> axes = Map.of("lr", Combinations.axis("lr", "1e-4..1e-2"));
        ConfigurationException e =
                assertThrows(ConfigurationException.class, () -> Combinations.random(axes, 1_000_000_000, 1));
        assertEquals(
                "the number of random draws must be between 1 and 10000 (the most runs one sweep may hold), got 1000000000",
                e.getMessage());
        assertEquals(
                SweepPlan.MAX_RUNS,
                Combinations.random(axes, SweepPlan.MAX_RUNS, 1).size(),
                "the limit itself is allowed");
        assertThrows(ConfigurationException.class, () -> Combinations.random(axes, SweepPlan.MAX_RUNS + 1, 1));
        assertThrows(ConfigurationException.class, () -> Combinations.random(axes, Integer.MAX_VALUE, 1));
    }

    @Test
    void aGridIsCountedBeforeItIsBuiltEvenBeyondALong() {
        Map<String, Combinations.Axis> axes = new LinkedHashMap<>();
        StringBuilder hundred = new StringBuilder("0");
        for (int i = 1; i < 100; i++) {
            hundred.append(',').append(i);
        }
        for (String k : List.of("a", "b")) {
            axes.put(k, Combinations.axis(k, hundred.toString()));
        }
        assertEquals(10_000, Combinations.grid(axes).size(), "100 × 100 is the limit");
        axes.put("c", Combinations.axis("c", "x,y"));
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> Combinations.grid(axes));
        assertEquals(
                "the sweep would hold 20000 runs (the grid of a × b × c), more than the 10000 one sweep may hold; split it "
                        + "into several sweeps",
                e.getMessage());
        for (String k : List.of("d", "e", "f", "g", "h", "i", "j", "k", "l", "m")) {
            axes.put(k, Combinations.axis(k, hundred.toString()));
        }
        ConfigurationException huge = assertThrows(ConfigurationException.class, () -> Combinations.grid(axes));
        assertTrue(huge.getMessage().startsWith("the sweep would hold more runs (the grid of"), huge.getMessage());
    }

    @Test
    void combinationsTimesSeedsIsBounded() {
        List<Map<String, String>> combos = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            combos.add(Map.of("x", Integer.toString(i)));
        }
        List<Long> seeds = new ArrayList<>();
        for (long s = 0; s < 100; s++) {
            seeds.add(s);
        }
        ConfigurationException e = assertThrows(
                ConfigurationException.class,
                () -> SweepPlan.of("t", List.of("x"), EvaluationSettings.defaults(), combos, seeds, (v, s) -> {
                    throw new AssertionError("no run is configured before the size is checked");
                }));
        assertEquals(
                "the sweep would hold 10100 runs (101 combinations × 100 seeds), more than the 10000 one sweep may hold; "
                        + "split it into several sweeps",
                e.getMessage());
    }

    @Test
    void twoSessionsOfTheSameRunsCannotShareAFolderButDisjointShardsCan(@TempDir Path tmp) throws Exception {
        SweepPlan plan = Sweeps.small(30, 1);
        Path folder = tmp.resolve("sweep");
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SweepListener blocking = new SweepListener() {
            @Override
            public void started(int runs, int alreadyDone, long iterations) {
                holding.countDown();
                try {
                    release.await(120, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        CompletableFuture<LocalSweep.Outcome> first = CompletableFuture.supplyAsync(() -> {
            try {
                return LocalSweep.run(plan, folder, Sweeps.PLUGINS, 1, 2, 1, blocking);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try {
            assertTrue(holding.await(120, TimeUnit.SECONDS));
            for (int[] overlapping : new int[][] {{1, 1}, {1, 2}, {1, 4}, {3, 4}}) {
                ConfigurationException e = assertThrows(
                        ConfigurationException.class,
                        () -> LocalSweep.run(
                                plan, folder, Sweeps.PLUGINS, overlapping[0], overlapping[1], 1, SweepListener.NONE),
                        overlapping[0] + "/" + overlapping[1]);
                assertTrue(e.getMessage().contains("is in use by another sweep of the same runs"), e.getMessage());
            }
            LocalSweep.Outcome other = LocalSweep.run(plan, folder, Sweeps.PLUGINS, 2, 2, 1, SweepListener.NONE);
            assertEquals(2, other.rows().size(), "the other shard ran beside it");
            assertEquals(0, other.failed());
        } finally {
            release.countDown();
        }
        LocalSweep.Outcome done = first.get(300, TimeUnit.SECONDS);
        assertEquals(0, done.failed());
        assertTrue(done.summarized(), "both shards together complete the plan");
        assertTrue(Files.isRegularFile(folder.resolve(SweepLock.FILE)));
    }
}
