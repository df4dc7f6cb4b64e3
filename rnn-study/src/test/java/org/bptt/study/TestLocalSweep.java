package org.bptt.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.config.Checkpoint;
import org.bptt.training.run.TrainingRun;
import org.bptt.training.wiring.PluginChoice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep run on this machine: interrupted and resumed, or cut into shards and collected, it
 * gives the same runs (bit for bit) and the same summary as one uninterrupted session.
 */
final class TestLocalSweep {
    @TempDir
    Path dir;

    /** summary.csv without its one column of wall times. */
    private static List<String> withoutSeconds(Path sweep) throws IOException {
        List<String> lines = Files.readAllLines(sweep.resolve(SweepSummary.CSV));
        int col = Arrays.asList(lines.get(0).split(",")).indexOf("seconds");
        List<String> l = new ArrayList<>();
        for (String line : lines) {
            List<String> cells = new ArrayList<>(Arrays.asList(line.split(",", -1)));
            cells.remove(col);
            l.add(String.join(",", cells));
        }
        return l;
    }

    private static void assertSameRuns(SweepPlan plan, Path a, Path b) throws IOException {
        for (PlanEntry e : plan.entries()) {
            Checkpoint ca = Checkpoint.read(SweepPlan.runFolder(a, e).resolve(TrainingRun.CHECKPOINT));
            Checkpoint cb = Checkpoint.read(SweepPlan.runFolder(b, e).resolve(TrainingRun.CHECKPOINT));
            assertEquals(ca.iteration(), cb.iteration(), e.id());
            for (Map.Entry<String, float[]> p : ca.parameters().entrySet()) {
                assertArrayEquals(p.getValue(), cb.parameters().get(p.getKey()), e.id() + " " + p.getKey());
            }
            assertTrue(
                    SummaryRow.read(SweepPlan.runFolder(a, e)).sameResult(SummaryRow.read(SweepPlan.runFolder(b, e))),
                    e.id());
        }
        assertEquals(withoutSeconds(a), withoutSeconds(b));
    }

    @Test
    void anInterruptedSweepResumedGivesTheSameSummaryAsAnUninterruptedOne() throws IOException {
        SweepPlan plan = Sweeps.small(60, 1);
        Path whole = dir.resolve("whole");
        LocalSweep.Outcome all = LocalSweep.run(plan, whole, Sweeps.PLUGINS, 1, 1, 2, SweepListener.NONE);
        assertTrue(all.summarized());
        assertEquals(4, all.rows().size());
        assertEquals(0, all.failed());

        Path parts = dir.resolve("parts");
        AtomicLong trained = new AtomicLong();
        LocalSweep.Outcome first = LocalSweep.run(plan, parts, Sweeps.PLUGINS, 1, 1, 2, new SweepListener() {
            @Override
            public void progressed(PlanEntry e, long done, long total) {
                trained.incrementAndGet();
            }

            @Override
            public boolean stopRequested() {
                return trained.get() >= 150;
            }
        });
        // Two runs at once: the first two finish (120 iterations), the other two stop after about 15 each.
        assertFalse(first.summarized());
        assertEquals(2, first.rows().size());
        assertEquals(2, first.stopped().size());
        assertFalse(Files.exists(parts.resolve(SweepSummary.CSV)));
        // A stopped run keeps its checkpoint and no result; it continues from there.
        PlanEntry stopped = first.stopped().get(0);
        assertTrue(Files.exists(SweepPlan.runFolder(parts, stopped).resolve(TrainingRun.CHECKPOINT)));
        assertFalse(Files.exists(SweepPlan.runFolder(parts, stopped).resolve(SummaryRow.FILE)));

        List<String> started = new ArrayList<>();
        LocalSweep.Outcome rest = LocalSweep.run(plan, parts, Sweeps.PLUGINS, 1, 1, 3, new SweepListener() {
            @Override
            public synchronized void started(PlanEntry e, long from, long total) {
                started.add(e.id());
            }
        });
        assertTrue(rest.summarized());
        assertEquals(2, started.size(), "finished runs are not trained again");
        assertSameRuns(plan, whole, parts);
        assertEquals(Files.readString(whole.resolve(SweepPlan.FILE)), Files.readString(parts.resolve(SweepPlan.FILE)));
        String html = Files.readString(parts.resolve(SweepSummary.HTML));
        assertTrue(html.contains("<svg"), "charts");
        assertTrue(html.contains("runs/000-radius=0.5-policy=none-seed=1/report.html"), "links to each run's report");
    }

    @Test
    void shardsCollectedGiveTheSameSummary() throws IOException {
        SweepPlan plan = Sweeps.small(40, 1);
        Path whole = dir.resolve("whole");
        LocalSweep.run(plan, whole, Sweeps.PLUGINS, 1, 1, 2, SweepListener.NONE);
        Path sharded = dir.resolve("sharded");
        LocalSweep.Outcome one = LocalSweep.run(plan, sharded, Sweeps.PLUGINS, 1, 3, 1, SweepListener.NONE);
        assertEquals(List.of(0, 3), one.rows().stream().map(SummaryRow::index).toList());
        assertFalse(one.summarized());
        assertEquals(2, one.missing().size() + 0 - 0, "shards 2 and 3 hold the others");
        LocalSweep.run(plan, sharded, Sweeps.PLUGINS, 3, 3, 1, SweepListener.NONE);
        assertEquals(1, SweepSummary.collectAndWrite(sharded).size(), "shard 2 has not run");
        LocalSweep.Outcome two = LocalSweep.run(plan, sharded, Sweeps.PLUGINS, 2, 3, 1, SweepListener.NONE);
        assertTrue(two.summarized(), "the last shard completes the plan and writes the summary");
        assertTrue(SweepSummary.collectAndWrite(sharded).isEmpty());
        assertSameRuns(plan, whole, sharded);
    }

    @Test
    void aRunThatCannotWorkFailsAloneAndIsTriedAgain() throws IOException {
        SweepPlan good = Sweeps.small(20, 1);
        List<PlanEntry> entries = new ArrayList<>(good.entries());
        PlanEntry bad = entries.get(1);
        entries.set(
                1,
                new PlanEntry(
                        1,
                        bad.id(),
                        bad.values(),
                        bad.config().toBuilder()
                                .task(PluginChoice.of("text")
                                        .with("text", dir.resolve("no-such.txt").toString()))
                                .build()));
        SweepPlan plan = new SweepPlan("with a broken run", good.varied(), good.evaluation(), entries);
        LocalSweep.Outcome o = LocalSweep.run(plan, dir.resolve("s"), Sweeps.PLUGINS, 1, 1, 2, SweepListener.NONE);
        assertEquals(1, o.failed());
        SummaryRow failed = o.rows().stream()
                .filter(r -> r.status().equals(SummaryRow.FAILED))
                .findFirst()
                .orElseThrow();
        assertTrue(failed.message().contains("does not exist"), failed.message());
        assertEquals(
                List.of(bad.id()), o.missing().stream().map(PlanEntry::id).toList(), "a failed run keeps no result");
        assertFalse(o.summarized());
        assertEquals(
                3,
                o.rows().stream()
                        .filter(r -> r.status().equals(SummaryRow.FINISHED))
                        .count());
    }

    @Test
    void aPlanSerializesAndAFolderHoldsOneSweep() throws IOException {
        SweepPlan plan = Sweeps.small(20, 1, 7);
        assertEquals(plan, SweepPlan.parse(plan.toJson(), "test"));
        for (PlanEntry e : plan.entries()) {
            assertEquals(e, PlanEntry.parse(e.toJson(), "test"));
        }
        assertEquals(List.of(1L, 7L), plan.seeds());
        assertEquals(
                "003-radius=0.5-policy=clip-norm-seed=7", plan.entries().get(3).id());
        assertEquals(
                List.of(1, 4, 7),
                plan.shard(2, 3).stream().map(PlanEntry::index).toList());
        assertThrows(ConfigurationException.class, () -> plan.shard(4, 3));
        Path s = dir.resolve("one");
        plan.writeOrCheck(s);
        plan.writeOrCheck(s);
        ConfigurationException e = assertThrows(
                ConfigurationException.class, () -> Sweeps.small(30, 1).writeOrCheck(s));
        assertTrue(e.getMessage().contains("holds another sweep"), e.getMessage());
    }

    @Test
    void aRunFolderOfAnotherRunIsRefused() throws IOException {
        SweepPlan plan = Sweeps.small(20, 1);
        PlanEntry a = plan.entries().get(0);
        PlanEntry b = plan.entries().get(1);
        Path folder = dir.resolve("r");
        SummaryRow row = Trials.run(a, plan.evaluation(), folder, Sweeps.PLUGINS, TrialListener.NONE);
        assertEquals(SummaryRow.FINISHED, row.status());
        assertEquals(20, row.iterations());
        assertEquals(row, Trials.run(a, plan.evaluation(), folder, Sweeps.PLUGINS, TrialListener.NONE), "done once");
        assertThrows(
                ConfigurationException.class,
                () -> Trials.run(b, plan.evaluation(), folder, Sweeps.PLUGINS, TrialListener.NONE));
        Files.delete(folder.resolve(SummaryRow.FILE));
        ConfigurationException e = assertThrows(
                ConfigurationException.class,
                () -> Trials.run(b, plan.evaluation(), folder, Sweeps.PLUGINS, TrialListener.NONE));
        assertTrue(e.getMessage().contains("another configuration"), e.getMessage());
        assertNull(
                Trials.run(b, plan.evaluation(), dir.resolve("stopped"), Sweeps.PLUGINS, new TrialListener() {
                    @Override
                    public boolean stopRequested() {
                        return true;
                    }
                }),
                "stopped before its first iteration");
    }

    @Test
    void theSummaryTableHasOneLinePerRunAndQuotesWhatNeedsIt() {
        SweepPlan plan = Sweeps.small(20, 1);
        SummaryRow r = new SummaryRow(
                0,
                plan.entries().get(0).id(),
                plan.entries().get(0).values(),
                1,
                "diverged",
                12,
                0.5,
                Map.of("loss", 0.25),
                1.5,
                "non-finite loss, at \"iteration\" 13",
                List.of(),
                List.of(),
                0.25,
                "",
                3.5e3);
        String csv = SweepSummary.csv(plan, List.of(r));
        assertEquals(
                "index,id,radius,policy,seed,status,iterations,train_loss,clip_rate,max_grad_norm,heldout_loss,seconds,message\n"
                        + "0,000-radius=0.5-policy=none-seed=1,0.5,none,1,diverged,12,0.5,0.25,3500.0,0.25,1.5,"
                        + "\"non-finite loss, at \"\"iteration\"\" 13\"\n",
                csv);
    }
}
