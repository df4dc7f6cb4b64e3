package org.bptt.spark;

import static org.bptt.spark.SparkTests.EVENTS;
import static org.bptt.spark.SparkTests.events;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaSparkContext;
import org.bptt.study.LocalSweep;
import org.bptt.study.PlanEntry;
import org.bptt.study.SummaryRow;
import org.bptt.study.SweepListener;
import org.bptt.study.SweepPlan;
import org.bptt.study.SweepSummary;
import org.bptt.training.config.Checkpoint;
import org.bptt.training.run.TrainingRun;
import org.bptt.training.wiring.PluginChoice;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep on Spark against the same plan on the local engine: with an attempt that fails after
 * its first checkpoint, retried by Spark (local[2,3]) or by running the sweep again (local[2],
 * one attempt per task), every run ends with the same parameters, bit for bit, the same metrics
 * rows and the same summary; no run is trained twice from scratch, none is lost or repeated. A
 * run that fails on every attempt is reported failed with its reason, and the others complete.
 */
final class TestSparkSweep {
    @TempDir
    static Path dir;

    static SweepPlan plan;
    static Path local;

    @BeforeAll
    static void localSweep() throws IOException {
        plan = SparkTests.plan();
        local = dir.resolve("local");
        LocalSweep.Outcome o = LocalSweep.run(plan, local, SparkTests.PLUGINS, 1, 1, 2, SweepListener.NONE);
        assertTrue(o.summarized());
        assertEquals(0, o.failed());
    }

    @BeforeEach
    void clearEvents() {
        EVENTS.clear();
    }

    @Test
    void aRetriedAttemptResumesFromItsCheckpointAndTheSweepEqualsTheLocalOne() throws IOException {
        Path sweep = dir.resolve("retried");
        LocalSweep.Outcome o;
        try (JavaSparkContext spark = SparkTests.spark("local[2,3]")) {
            o = SparkSweep.run(
                    spark, plan, sweep.toString(), List.of(), SweepListener.NONE, new SparkTests.FailOnce(1));
        }
        assertTrue(o.summarized());
        assertEquals(4, o.rows().size());
        assertEquals(0, o.failed());
        assertTrue(o.missing().isEmpty() && o.stopped().isEmpty());
        PlanEntry faulty = plan.entries().get(1);
        // Attempt 0 trained from scratch and failed after copying its checkpoint at 30; attempt 1 went on from there.
        assertEquals(
                List.of(
                        "attempt 0 started at 0",
                        "attempt 0 checkpointed at 30",
                        "attempt 1 started at 30",
                        "attempt 1 checkpointed at 60"),
                events(faulty));
        for (PlanEntry e : plan.entries()) {
            if (e != faulty) {
                assertEquals(
                        List.of(
                                "attempt 0 started at 0",
                                "attempt 0 checkpointed at 30",
                                "attempt 0 checkpointed at 60"),
                        events(e),
                        e.id());
            }
        }
        SparkTests.assertSameSweep(plan, local, sweep);
        assertOncePerRun(sweep);
        assertEquals(List.of(), SparkTests.leftovers(sweep));
    }

    @Test
    void withOneAttemptTheRunFailsAndTheNextSessionResumesIt() throws IOException {
        Path sweep = dir.resolve("again");
        PlanEntry faulty = plan.entries().get(1);
        try (JavaSparkContext spark = SparkTests.spark("local[2]")) {
            LocalSweep.Outcome first = SparkSweep.run(
                    spark, plan, sweep.toString(), List.of(), SweepListener.NONE, new SparkTests.FailOnce(1));
            assertEquals(1, first.failed());
            SummaryRow failed = first.rows().get(1);
            assertEquals(SummaryRow.FAILED, failed.status());
            assertEquals(
                    "1 of 1 attempts failed; the last: IllegalStateException: injected fault after the checkpoint at iteration 30",
                    failed.message());
            assertEquals(List.of(faulty), first.missing());
            // The summary says so; the run keeps its checkpoint and no result.
            assertTrue(first.summarized());
            List<String> csv = Files.readAllLines(sweep.resolve(SweepSummary.CSV));
            assertEquals(5, csv.size());
            assertTrue(csv.get(2).startsWith("1," + faulty.id() + ",0.5,clip-norm,1,failed,0,"), csv.get(2));
            assertTrue(
                    csv.get(2)
                            .endsWith(
                                    ",1 of 1 attempts failed; the last: IllegalStateException: injected fault after the "
                                            + "checkpoint at iteration 30"),
                    csv.get(2));
            Path run = SweepPlan.runFolder(sweep, faulty);
            assertEquals(
                    30, Checkpoint.read(run.resolve(TrainingRun.CHECKPOINT)).iteration());
            assertFalse(Files.exists(run.resolve(SummaryRow.FILE)));

            EVENTS.clear();
            LocalSweep.Outcome second = SparkSweep.run(
                    spark, plan, sweep.toString(), List.of(), SweepListener.NONE, new SparkTests.FailOnce(1));
            assertEquals(0, second.failed());
            assertEquals(
                    List.of("attempt 0 started at 30", "attempt 0 checkpointed at 60"),
                    events(faulty),
                    "the next session resumes from the checkpoint");
            assertEquals(
                    List.of(faulty.id()),
                    EVENTS.stream()
                            .map(s -> s.substring(0, s.indexOf(' ')))
                            .distinct()
                            .toList(),
                    "finished runs are not trained again");
        }
        SparkTests.assertSameSweep(plan, local, sweep);
        assertOncePerRun(sweep);
    }

    @Test
    void aRunThatFailsEveryAttemptIsReportedAndTheOthersComplete() throws IOException {
        // Entry 1 cannot work (its text file does not exist): that is no attempt's accident, so it is not retried.
        List<PlanEntry> entries = new ArrayList<>(plan.entries());
        PlanEntry broken = entries.get(1);
        entries.set(
                1,
                new PlanEntry(
                        1,
                        broken.id(),
                        broken.values(),
                        broken.config().toBuilder()
                                .task(PluginChoice.of("text")
                                        .with("text", dir.resolve("no-such.txt").toString()))
                                .build()));
        SweepPlan withBroken = new SweepPlan(plan.title(), plan.varied(), plan.evaluation(), entries);
        Path sweep = dir.resolve("failing");
        LocalSweep.Outcome o;
        try (JavaSparkContext spark = SparkTests.spark("local[2,3]")) {
            o = SparkSweep.run(
                    spark, withBroken, sweep.toString(), List.of(), SweepListener.NONE, new SparkTests.FailAlways(2));
        }
        assertEquals(2, o.failed());
        assertTrue(
                o.rows().get(1).message().contains("does not exist"),
                o.rows().get(1).message());
        assertEquals(List.of(), events(broken), "refused before training, on its one attempt");
        PlanEntry doomed = plan.entries().get(2);
        assertEquals(
                "3 of 3 attempts failed; the last: IllegalStateException: injected fault at the start of attempt 2",
                o.rows().get(2).message());
        assertEquals(
                List.of("attempt 0 started at 0", "attempt 1 started at 0", "attempt 2 started at 0"), events(doomed));
        assertEquals(List.of(withBroken.entries().get(1), doomed), o.missing());
        for (int i : new int[] {0, 3}) {
            assertEquals(SummaryRow.FINISHED, o.rows().get(i).status());
            SparkTests.assertSameRun(plan.entries().get(i), local, sweep);
        }
        List<String> csv = Files.readAllLines(sweep.resolve(SweepSummary.CSV));
        assertEquals(
                List.of("finished", "failed", "failed", "finished"),
                csv.subList(1, 5).stream().map(l -> l.split(",")[5]).toList());
    }

    /** Each run's metrics hold every iteration once, and the summary every run once. */
    private static void assertOncePerRun(Path sweep) throws IOException {
        for (PlanEntry e : plan.entries()) {
            List<String> rows = Files.readAllLines(SweepPlan.runFolder(sweep, e).resolve("metrics.csv"));
            List<Long> iterations = rows.subList(1, rows.size()).stream()
                    .map(l -> Long.parseLong(l.substring(0, l.indexOf(','))))
                    .toList();
            assertEquals(java.util.stream.LongStream.range(0, 60).boxed().toList(), iterations, e.id());
        }
        List<String> csv = Files.readAllLines(sweep.resolve(SweepSummary.CSV));
        Set<String> ids = csv.stream().skip(1).map(l -> l.split(",")[1]).collect(Collectors.toSet());
        assertEquals(plan.entries().stream().map(PlanEntry::id).collect(Collectors.toSet()), ids);
        assertEquals(plan.entries().size() + 1, csv.size());
    }
}
