package org.bptt.training.run;

import static org.bptt.training.run.Runs.PLUGINS;
import static org.bptt.training.run.Runs.small;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.FitResult.Outcome;
import org.bptt.training.config.Checkpoint;
import org.bptt.training.config.Json;
import org.bptt.training.config.RunConfig;
import org.bptt.training.config.RunFailure;
import org.bptt.training.wiring.PluginChoice;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The states a killed, extended or failed run leaves, each built by hand, and what a resume
 * makes of them: always the parameters AND the metrics rows of the uninterrupted run (an
 * independent run of the same configuration straight to its end).
 */
final class TestCrashConsistency {
    @TempDir
    static Path shared;

    static Path reference;

    @BeforeAll
    static void uninterrupted() throws IOException {
        reference = Runs.trained(shared.resolve("reference"), small(40));
    }

    private static void assertSameAsReference(Path dir) throws IOException {
        assertArrayEquals(Runs.params(reference), Runs.params(dir), "parameters");
        assertEquals(
                Files.readString(reference.resolve("metrics.csv")),
                Files.readString(dir.resolve("metrics.csv")),
                "metrics rows");
        assertEquals(Runs.historyRows(reference), Runs.historyRows(dir), "diagnostics.json rows");
    }

    /** A run of the reference's configuration stopped (as by Ctrl-C) after {@code after} iterations. */
    private static Path stopped(Path dir, long after) throws IOException {
        var s = TrainingRun.create(small(40), dir, PLUGINS, "csv").run(Runs.stopAfter(after));
        assertEquals(Outcome.INTERRUPTED, s.outcome());
        assertEquals(after, Checkpoint.read(dir.resolve(TrainingRun.CHECKPOINT)).iteration());
        return dir;
    }

    @Test
    void rowsWrittenAfterTheLastCheckpointAreCutBack(@TempDir Path tmp) throws IOException {
        Path dir = stopped(tmp.resolve("run"), 20);
        // As if killed between appending the next interval's rows (the last one torn) and writing its checkpoint.
        Files.writeString(
                dir.resolve("metrics.csv"),
                "20,0.5,,1.0,1.0,true,false,,\n21,0.4,,1.0,1.0,tr",
                StandardOpenOption.APPEND);
        TrainingRun run = TrainingRun.resume(dir, PLUGINS, null, 0);
        assertTrue(run.notes().isEmpty(), "cutting back is routine: " + run.notes());
        run.run(new RunListener() {});
        assertSameAsReference(dir);
    }

    @Test
    void aMetricsFileThatDoesNotMatchIsWrittenAgainFromTheHistory(@TempDir Path tmp) throws IOException {
        Path dir = stopped(tmp.resolve("run"), 20);
        Files.writeString(dir.resolve("metrics.csv"), "iteration,loss\n0,1\n");
        TrainingRun run = TrainingRun.resume(dir, PLUGINS, null, 0);
        assertEquals(1, run.notes().size(), run.notes().toString());
        assertTrue(
                run.notes().get(0).contains("metrics.csv did not match the checkpoint"),
                run.notes().toString());
        run.run(new RunListener() {});
        assertSameAsReference(dir);

        Path gone = stopped(tmp.resolve("gone"), 10);
        Files.delete(gone.resolve("metrics.csv"));
        TrainingRun.resume(gone, PLUGINS, null, 0).run(new RunListener() {});
        assertSameAsReference(gone);
    }

    @Test
    void noMetricsRowIsLostToAHistoryThatLacksThem(@TempDir Path tmp) throws IOException {
        Path dir = stopped(tmp.resolve("run"), 20);
        String rows = Files.readString(dir.resolve("metrics.csv"));
        // A history without rows (moved away, or cut short by hand): the metrics file that matches the checkpoint
        // stays.
        Files.writeString(
                dir.resolve(TrainingRun.DIAGNOSTICS), "{\"format\": 2, \"metrics\": [], \"gradient_flow\": []}");
        TrainingRun run = TrainingRun.resume(dir, PLUGINS, null, 0);
        assertTrue(
                run.notes().get(0).contains("holds 0 of the 20 iterations trained, so the report misses the others"),
                run.notes().toString());
        run.run(new RunListener() {});
        assertEquals(Files.readString(reference.resolve("metrics.csv")), Files.readString(dir.resolve("metrics.csv")));
        assertTrue(Files.readString(dir.resolve("metrics.csv")).startsWith(rows));

        // Neither a matching metrics file nor a complete history: refused, and nothing is touched.
        Path both = stopped(tmp.resolve("both"), 20);
        Files.writeString(both.resolve("metrics.csv"), "iteration,loss\n0,1\n");
        Files.writeString(
                both.resolve(TrainingRun.DIAGNOSTICS), "{\"format\": 2, \"metrics\": [], \"gradient_flow\": []}");
        ConfigurationException e =
                assertThrows(ConfigurationException.class, () -> TrainingRun.resume(both, PLUGINS, null, 0));
        assertTrue(
                e.getMessage().contains("does not match the checkpoint, and diagnostics.json holds only 0 of the 20"),
                e.getMessage());
        assertEquals("iteration,loss\n0,1\n", Files.readString(both.resolve("metrics.csv")));

        // A history that is not one is refused with what to do.
        Files.writeString(both.resolve(TrainingRun.DIAGNOSTICS), "{\"metrics\": 5}");
        ConfigurationException h =
                assertThrows(ConfigurationException.class, () -> TrainingRun.resume(both, PLUGINS, null, 0));
        assertTrue(h.getMessage().contains("the run's saved history is damaged"), h.getMessage());
    }

    @Test
    void aRunThatDiedBeforeItsFirstCheckpointStartsAgain(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("run");
        TrainingRun.create(small(40), dir, PLUGINS, "csv").close();
        // Killed while writing its first interval: a partial metrics file and a temporary.
        Files.writeString(dir.resolve("metrics.csv"), "iteration,loss\n0,1.2\n1,");
        Files.writeString(dir.resolve(".checkpoint.bin.rnn-8812.tmp"), "RNNCKPT2 half");
        TrainingRun run = TrainingRun.resume(dir, PLUGINS, null, 0);
        assertTrue(
                run.notes().get(0).contains("starts again from iteration 0"),
                run.notes().toString());
        assertEquals(-1, run.lastCheckpoint());
        run.run(new RunListener() {});
        assertSameAsReference(dir);
        assertFalse(Files.exists(dir.resolve(".checkpoint.bin.rnn-8812.tmp")));
    }

    @Test
    void anExtensionThatDiedBeforeItsNextCheckpointKeepsItsNewTotal(@TempDir Path tmp) throws IOException {
        Path dir = Runs.trained(tmp.resolve("run"), small(20));
        TrainingRun extended = TrainingRun.resume(dir, PLUGINS, null, 40);
        assertTrue(
                extended.notes().get(0).contains("now goes to 40 iterations"),
                extended.notes().toString());
        extended.close();
        // The checkpoint still says 20 iterations in all; config.json says 40 and wins.
        assertEquals(40, Json.read(dir.resolve(TrainingRun.CONFIG)).iterations());
        TrainingRun again = TrainingRun.resume(dir, PLUGINS, null, 0);
        assertEquals(40, again.config().iterations());
        assertEquals(20, again.remaining());
        again.run(new RunListener() {});
        assertEquals(40, Checkpoint.read(dir.resolve(TrainingRun.CHECKPOINT)).iteration());
        // The extension measured spectra at iteration 19 (the end of the first part); the rest equals the reference.
        assertArrayEquals(Runs.params(reference), Runs.params(dir));
        TrainingRun done = TrainingRun.resume(dir, PLUGINS, null, 0);
        assertEquals(0, done.remaining());
        done.close();
        ConfigurationException e =
                assertThrows(ConfigurationException.class, () -> TrainingRun.resume(dir, PLUGINS, null, 30));
        assertTrue(e.getMessage().contains("beyond the 30 iterations asked for"), e.getMessage());
    }

    @Test
    void threadsMayChangeOnResumeAndResultsDoNot(@TempDir Path tmp) throws IOException {
        Path dir = stopped(tmp.resolve("run"), 20);
        TrainingRun run = TrainingRun.resume(dir, PLUGINS, new TrainingRun.Resume(null, 0, 2));
        assertTrue(
                run.notes().get(0).contains("goes on with 2 threads"),
                run.notes().toString());
        run.run(new RunListener() {});
        assertSameAsReference(dir);
        assertEquals(2, Json.read(dir.resolve(TrainingRun.CONFIG)).threads());
    }

    @Test
    void aDifferentMetricsFormatOrAConfigOfAnotherRunIsRefused(@TempDir Path tmp) throws IOException {
        Path dir = stopped(tmp.resolve("run"), 20);
        byte[] ckpt = Files.readAllBytes(dir.resolve(TrainingRun.CHECKPOINT));
        ConfigurationException format =
                assertThrows(ConfigurationException.class, () -> TrainingRun.resume(dir, PLUGINS, "jsonl", 0));
        assertTrue(format.getMessage().contains("writes its metrics to metrics.csv"), format.getMessage());
        assertFalse(Files.exists(dir.resolve("metrics.jsonl")));
        String cfg = Files.readString(dir.resolve(TrainingRun.CONFIG));
        Files.writeString(dir.resolve(TrainingRun.CONFIG), cfg.replace("\"seed\" : 1", "\"seed\" : 2"));
        ConfigurationException other =
                assertThrows(ConfigurationException.class, () -> TrainingRun.resume(dir, PLUGINS, null, 0));
        assertTrue(
                other.getMessage().contains("describes another run than")
                        && other.getMessage().contains("differ in seed"),
                other.getMessage());
        assertArrayEquals(ckpt, Files.readAllBytes(dir.resolve(TrainingRun.CHECKPOINT)));
    }

    @Test
    void aRunOnATextThatChangedIsRefused(@TempDir Path tmp) throws IOException {
        Path text = tmp.resolve("corpus.txt");
        String content = "the quick brown fox jumps over the lazy dog. ".repeat(20);
        Files.writeString(text, content);
        RunConfig cfg = small(20).toBuilder()
                .task(new PluginChoice("text", Map.of("text", text.toString(), "steps", "10")))
                .build();
        Path dir = tmp.resolve("lm");
        TrainingRun.create(cfg, dir, PLUGINS, "csv").run(Runs.stopAfter(10));
        // Same characters, other order: the vocabulary is unchanged, only the digest tells.
        Files.writeString(text, content.replace("quick", "kciuq"));
        ConfigurationException e =
                assertThrows(ConfigurationException.class, () -> TrainingRun.resume(dir, PLUGINS, null, 0));
        assertTrue(e.getMessage().contains(text + " (the task's option 'text') has changed"), e.getMessage());
        Files.writeString(text, content);
        TrainingRun.resume(dir, PLUGINS, null, 0).run(new RunListener() {});
        assertEquals(20, Checkpoint.read(dir.resolve(TrainingRun.CHECKPOINT)).iteration());
    }

    @Test
    void aLinkPlantedMidRunStopsTheRunWithWhatWasKept(@TempDir Path tmp) throws IOException {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.exists(full), "needs /dev/full (Linux) to fail a write with ENOSPC");
        Path dir = tmp.resolve("run");
        Path aside = tmp.resolve("metrics.aside");
        TrainingRun run = TrainingRun.create(small(40), dir, PLUGINS, "csv");
        RunFailure f = assertThrows(
                RunFailure.class,
                () -> run.run(new RunListener() {
                    @Override
                    public void checkpointed(TrainingRun r, long iteration) {
                        try {
                            if (iteration == 10) {
                                // From now on the metrics file is a link to a full disk: refused, never written
                                // through.
                                Files.move(dir.resolve("metrics.csv"), aside);
                                Files.createSymbolicLink(dir.resolve("metrics.csv"), full);
                            }
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                }));
        assertEquals(
                "cannot write metrics.csv in " + dir
                        + " (it is a symbolic link, which a run never writes through); the run "
                        + "stopped, and its checkpoint "
                        + "at iteration 10 is intact, so it can be continued once the cause is removed",
                f.getMessage());
        assertEquals(10, Checkpoint.read(dir.resolve(TrainingRun.CHECKPOINT)).iteration());
        Files.delete(dir.resolve("metrics.csv"));
        Files.move(aside, dir.resolve("metrics.csv"));
        TrainingRun.resume(dir, PLUGINS, null, 0).run(new RunListener() {});
        assertSameAsReference(dir);
    }
}
