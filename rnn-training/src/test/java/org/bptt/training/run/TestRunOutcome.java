package org.bptt.training.run;

import static org.bptt.training.run.Runs.PLUGINS;
import static org.bptt.training.run.Runs.small;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.bptt.training.IterationMetrics;
import org.bptt.training.NonFinitePolicy;
import org.bptt.training.config.Json;
import org.bptt.training.config.RunConfig;
import org.bptt.training.run.RunOutcome.State;
import org.bptt.training.wiring.PluginChoice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outcome a real run leaves in its folder, for each way a run ends, and how a reader judges a running record. */
final class TestRunOutcome {

    @Test
    void aRunThatTrainsEveryIterationIsFinished(@TempDir Path tmp) throws IOException {
        Path dir = Runs.trained(tmp.resolve("run"), small(20));
        RunOutcome o = RunOutcome.read(dir);
        assertEquals(State.FINISHED, o.state());
        assertEquals(20, o.iteration());
        assertEquals(20, o.asked());
        assertEquals(ProcessHandle.current().pid(), o.pid());
        assertTrue(o.recorded() && o.ended() && !o.live());
        assertEquals("finished: all 20 iterations trained", o.sentence());
    }

    @Test
    void aRunWhoseLossOverflowsIsDivergedWithTheTrainersMessage(@TempDir Path tmp) throws IOException {
        // ReLU with W = 3·I, no clipping and SGD at lr 10: the loss overflows within two iterations.
        RunConfig c = small(50).toBuilder()
                .cell(new PluginChoice("vanilla", Map.of("activation", "relu")))
                .initializer(new PluginChoice("identity", Map.of("gain", "3")))
                .policy(PluginChoice.of("none"))
                .optimizer(new PluginChoice("sgd", Map.of("lr", "10")))
                .nonFinite(NonFinitePolicy.STOP)
                .build();
        Path dir = tmp.resolve("run");
        RunSummary s;
        try (TrainingRun run = TrainingRun.create(c, dir, PLUGINS, "csv")) {
            s = run.run(new RunListener() {});
        }
        RunOutcome o = RunOutcome.read(dir);
        assertEquals(State.DIVERGED, o.state());
        assertEquals(s.iterations(), o.iteration());
        assertTrue(o.iteration() < 50, o.sentence());
        assertEquals(s.message(), o.message());
        assertTrue(
                o.sentence().startsWith("diverged after " + s.iterations() + " of 50 iterations: non-finite"),
                o.sentence());
    }

    @Test
    void aStopRequestIsInterruptedAtTheIterationReached(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("run");
        try (TrainingRun run = TrainingRun.create(small(40), dir, PLUGINS, "csv")) {
            run.run(Runs.stopAfter(7));
        }
        RunOutcome o = RunOutcome.read(dir);
        assertEquals(State.INTERRUPTED, o.state());
        assertEquals(7, o.iteration());
        assertEquals("interrupted after 7 of 40 iterations; its checkpoint continues it", o.sentence());
        // Its resume runs to the end and says so.
        try (TrainingRun run = TrainingRun.resume(dir, PLUGINS, "csv", 0)) {
            run.run(new RunListener() {});
        }
        assertEquals(State.FINISHED, RunOutcome.read(dir).state());
    }

    @Test
    void aListenerThatThrowsLeavesAFailedRunThatSaysWhy(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("run");
        try (TrainingRun run = TrainingRun.create(small(40), dir, PLUGINS, "csv")) {
            RuntimeException e = assertThrows(
                    RuntimeException.class,
                    () -> run.run(new RunListener() {
                        @Override
                        public void iteration(TrainingRun r, IterationMetrics m) {
                            if (m.iteration() == 12) {
                                throw new IllegalStateException("the listener broke");
                            }
                        }
                    }));
            assertTrue(e.getMessage().contains("the listener broke"), e.getMessage());
        }
        RunOutcome o = RunOutcome.read(dir);
        assertEquals(State.FAILED, o.state());
        assertEquals(13, o.iteration());
        assertTrue(o.message().contains("the listener broke"), o.message());
        assertTrue(o.sentence().startsWith("failed after 13 of 40 iterations: "), o.sentence());
    }

    @Test
    void aRunningRecordIsLiveOnlyWhileItsProcessLivesAndItsHeartbeatIsFresh(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        AtomicReference<String> during = new AtomicReference<>();
        AtomicReference<RunOutcome> seen = new AtomicReference<>();
        try (TrainingRun run = TrainingRun.create(small(20), dir, PLUGINS, "csv")) {
            run.run(new RunListener() {
                @Override
                public void iteration(TrainingRun r, IterationMetrics m) {
                    if (m.iteration() == 5) {
                        try {
                            during.set(Files.readString(dir.resolve(RunOutcome.FILE)));
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                        seen.set(RunOutcome.read(dir));
                    }
                }
            });
        }
        RunOutcome live = seen.get();
        assertEquals(State.RUNNING, live.state());
        assertTrue(live.live() && !live.ended(), live.sentence());
        assertEquals(ProcessHandle.current().pid(), live.pid());
        assertEquals("running", live.word());

        // The record a killed process leaves: the same text, left behind.
        Path dead = tmp.resolve("dead");
        Files.createDirectories(dead);
        Files.writeString(dead.resolve(RunOutcome.FILE), during.get());
        Instant beat = live.heartbeat();
        assertTrue(RunOutcome.read(dead, beat.plusSeconds(RunOutcome.STALE_SECONDS))
                .live());
        RunOutcome stale = RunOutcome.read(dead, beat.plusSeconds(RunOutcome.STALE_SECONDS + 1));
        assertFalse(stale.live());
        assertTrue(stale.ended());
        assertEquals("stopped unexpectedly", stale.word());
        assertTrue(stale.sentence().contains("no heartbeat for over 60 s"), stale.sentence());

        // A fresh heartbeat whose process is gone (a process that has exited): not live either.
        Process p = new ProcessBuilder("true").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor();
        ObjectNode o = (ObjectNode) Json.MAPPER.readTree(during.get());
        o.put("pid", p.pid());
        Files.writeString(dead.resolve(RunOutcome.FILE), Json.write(o));
        RunOutcome gone = RunOutcome.read(dead, beat);
        assertFalse(gone.live());
        assertTrue(gone.sentence().startsWith("stopped unexpectedly after about "), gone.sentence());
        assertTrue(gone.sentence().contains("its process " + p.pid() + " is gone"), gone.sentence());
    }

    @Test
    void aFolderWithoutTheFileIsFinishedWhenItsMetricsReachTheEndElseUnknown(@TempDir Path tmp) throws IOException {
        Path done = Runs.trained(tmp.resolve("done"), small(20));
        Files.delete(done.resolve(RunOutcome.FILE));
        RunOutcome o = RunOutcome.read(done);
        assertEquals(State.FINISHED, o.state());
        assertFalse(o.recorded());
        assertTrue(o.sentence().contains("derived"), o.sentence());

        Path part = tmp.resolve("part");
        try (TrainingRun run = TrainingRun.create(small(40), part, PLUGINS, "jsonl")) {
            run.run(Runs.stopAfter(20));
        }
        Files.delete(part.resolve(RunOutcome.FILE));
        RunOutcome u = RunOutcome.read(part);
        assertEquals(State.UNKNOWN, u.state());
        assertEquals(20, u.iteration());
        assertEquals("unknown", u.word());
    }

    @Test
    void aConfigurationNamingAnAbsentPluginIsNamedAndNoVerdictStandsIn() {
        RunConfig c = small(20).toBuilder().cell(PluginChoice.of("gru")).build();
        assertEquals(
                "made with plugin gru, not loaded: its verdict is not shown", RunOutcome.missingPlugins(c, PLUGINS));
        assertNull(RunOutcome.missingPlugins(small(20), PLUGINS));
    }
}
