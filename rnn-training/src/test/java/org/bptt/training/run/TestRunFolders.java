package org.bptt.training.run;

import static org.bptt.training.run.Runs.PLUGINS;
import static org.bptt.training.run.Runs.small;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.config.RunConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may write into a run folder, and what a new run accepts. */
final class TestRunFolders {

    @Test
    void aNewRunNeverReplacesFilesItDidNotWrite(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("mine");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("metrics.csv"), "my own numbers\n");
        Files.writeString(dir.resolve("report.html"), "<p>my report</p>");
        ConfigurationException e =
                assertThrows(ConfigurationException.class, () -> TrainingRun.create(small(20), dir, PLUGINS, "csv"));
        assertTrue(e.getMessage().contains("is not empty (it holds metrics.csv, report.html)"), e.getMessage());
        assertEquals("my own numbers\n", Files.readString(dir.resolve("metrics.csv")));
        assertEquals("<p>my report</p>", Files.readString(dir.resolve("report.html")));
        assertEquals(List.of("metrics.csv", "report.html"), Runs.names(dir), "not even a lock file is left");

        Path empty = tmp.resolve("empty");
        Files.createDirectories(empty);
        TrainingRun.create(small(20), empty, PLUGINS, "csv").close();
        assertTrue(Files.isRegularFile(empty.resolve(TrainingRun.CONFIG)), "an empty folder is accepted");
        assertThrows(ExistingRunException.class, () -> TrainingRun.create(small(20), empty, PLUGINS, "csv"));
    }

    @Test
    void aRefusedRunLeavesNoFolderBehind(@TempDir Path tmp) {
        Path dir = tmp.resolve("never");
        RunConfig tooBig = small(20).toBuilder().hidden(46_341).build();
        ConfigurationException e =
                assertThrows(ConfigurationException.class, () -> TrainingRun.create(tooBig, dir, PLUGINS, "csv"));
        assertTrue(e.getMessage().contains("more than a Java array can hold"), e.getMessage());
        assertFalse(Files.exists(dir));
    }

    @Test
    void aSecondWriterIsRefusedWhileTheFirstHoldsTheFolder(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("run");
        try (TrainingRun first = TrainingRun.create(small(20), dir, PLUGINS, "csv")) {
            for (var attempt : List.<Runnable>of(
                    () -> TrainingRun.create(small(20), dir, PLUGINS, "csv"),
                    () -> TrainingRun.resume(dir, PLUGINS, "csv", 0))) {
                ConfigurationException e = assertThrows(ConfigurationException.class, attempt::run);
                assertTrue(e.getMessage().contains("is in use by another training run"), e.getMessage());
            }
            first.run(new RunListener() {});
            // run() released the folder: it can be continued now.
            TrainingRun.resume(dir, PLUGINS, "csv", 30).close();
        }
        assertEquals(
                List.of(
                        ".rnn.lock",
                        "checkpoint.bin",
                        "config.json",
                        "diagnostics.json",
                        "metrics.csv",
                        "outcome.json",
                        "timings.json"),
                Runs.names(dir));
    }

    @Test
    void leftoverTemporariesOfOursAreRemovedAndNobodyElses(@TempDir Path tmp) throws IOException {
        Path dir = Runs.trained(tmp.resolve("run"), small(20));
        for (String t : List.of(
                ".checkpoint.bin.rnn-4711.tmp",
                ".metrics.csv.rnn-99.tmp",
                ".report.html.rnn-123.tmp",
                ".diagnostics.json.rnn-18446744073709551615.tmp")) {
            Files.writeString(dir.resolve(t), "half");
        }
        // Look-alikes: named like temporaries, but without the platform's marker, so a user's.
        List<String> users = List.of(
                ".notes.tmp",
                ".report.html.tmp",
                ".config.json.backup.tmp",
                ".checkpoint.bin4711.tmp",
                ".metrics.csv.rnn-.tmp",
                ".metrics.csv.rnn-12x.tmp");
        for (String t : users) {
            Files.writeString(dir.resolve(t), "the user's");
        }
        TrainingRun.resume(dir, PLUGINS, null, 0).close();
        List<String> expected = new java.util.ArrayList<>(users);
        expected.addAll(List.of(
                ".rnn.lock",
                "checkpoint.bin",
                "config.json",
                "diagnostics.json",
                "metrics.csv",
                "outcome.json",
                "timings.json"));
        expected.sort(null);
        assertEquals(expected, Runs.names(dir));
    }

    @Test
    void aFolderWithoutARunIsNotContinued(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("nothing");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("notes.txt"), "x");
        ConfigurationException e =
                assertThrows(ConfigurationException.class, () -> TrainingRun.resume(dir, PLUGINS, null, 0));
        assertTrue(e.getMessage().contains("holds no run to continue"), e.getMessage());
        ConfigurationException missing = assertThrows(
                ConfigurationException.class, () -> TrainingRun.resume(tmp.resolve("absent"), PLUGINS, null, 0));
        assertTrue(missing.getMessage().endsWith("no such run folder"), missing.getMessage());
        assertArrayEquals(new byte[] {'x'}, Files.readAllBytes(dir.resolve("notes.txt")));
    }
}
