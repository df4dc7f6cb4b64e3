package org.bptt.training.run;

import static org.bptt.training.run.Runs.PLUGINS;
import static org.bptt.training.run.Runs.small;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bptt.api.internal.io.AtomicFile;
import org.bptt.api.plugin.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run folder owns only what it wrote: links and special files in it are refused, never followed,
 * and only the platform's own temporaries (with its marker) are ever removed.
 */
final class TestHostileRunFolders {

    @Test
    void aResumeNeverWritesThroughALinkedMetricsFile(@TempDir Path tmp) throws IOException {
        Path dir = Runs.trained(tmp.resolve("run"), small(20));
        Path outside = tmp.resolve("precious.csv");
        String precious = "line one\nline two\n".repeat(200);
        Files.writeString(outside, precious);
        Files.delete(dir.resolve("metrics.csv"));
        Files.createSymbolicLink(dir.resolve("metrics.csv"), outside);
        ConfigurationException e =
                assertThrows(ConfigurationException.class, () -> TrainingRun.resume(dir, PLUGINS, null, 40));
        assertTrue(
                e.getMessage().contains("metrics.csv") && e.getMessage().contains("is a symbolic link"),
                e.getMessage());
        assertEquals(precious, Files.readString(outside), "the link's target is neither cut nor appended to");
        assertTrue(Files.isSymbolicLink(dir.resolve("metrics.csv")), "the user's link stays");
    }

    @Test
    void aResumeRefusesACheckpointWhoseConfigurationNamesAnUnknownPlugin(@TempDir Path tmp) throws IOException {
        // Without config.json the checkpoint's configuration is the run's: its task was once looked up unchecked.
        Path dir = Runs.trained(tmp.resolve("run"), small(20));
        Files.delete(dir.resolve(TrainingRun.CONFIG));
        Path ckpt = dir.resolve(TrainingRun.CHECKPOINT);
        Files.write(
                ckpt,
                TestCheckpointFuzz.withCrc(TestCheckpointFuzz.editHeader(
                        Files.readAllBytes(ckpt),
                        header -> ((ObjectNode) header.path("config").path("task")).put("name", "addition"))));
        ConfigurationException e =
                assertThrows(ConfigurationException.class, () -> TrainingRun.resume(dir, PLUGINS, null, 40));
        assertTrue(
                e.getMessage()
                        .startsWith(ckpt + ": the checkpoint's configuration is invalid: unknown task 'addition'"),
                e.getMessage());
    }

    @Test
    void everyPlatformFileAsALinkIsRefusedOnResume(@TempDir Path tmp) throws IOException {
        Path ref = Runs.trained(tmp.resolve("ref"), small(20));
        for (String name :
                List.of(TrainingRun.CONFIG, TrainingRun.CHECKPOINT, TrainingRun.DIAGNOSTICS, TrainingRun.REPORT)) {
            Path dir = tmp.resolve("run-" + name);
            Runs.copy(ref, dir);
            Path outside = tmp.resolve("outside-" + name);
            if (Files.exists(dir.resolve(name))) {
                Files.move(dir.resolve(name), outside);
            } else {
                Files.writeString(outside, "someone else's");
            }
            byte[] before = Files.readAllBytes(outside);
            Files.createSymbolicLink(dir.resolve(name), outside);
            ConfigurationException e =
                    assertThrows(ConfigurationException.class, () -> TrainingRun.resume(dir, PLUGINS, null, 40), name);
            assertTrue(
                    e.getMessage().contains(name + " (") && e.getMessage().contains("symbolic link"), e.getMessage());
            assertEquals(List.of(before.length), List.of(Files.readAllBytes(outside).length), name);
        }
    }

    @Test
    void aLinkedLockIsRefusedAndItsTargetNeverCreated(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("run");
        Files.createDirectories(dir);
        Path target = tmp.resolve("elsewhere").resolve("planted");
        Files.createDirectories(target.getParent());
        Files.createSymbolicLink(dir.resolve(RunFolder.LOCK), target);
        ConfigurationException e =
                assertThrows(ConfigurationException.class, () -> TrainingRun.create(small(20), dir, PLUGINS, "csv"));
        assertTrue(e.getMessage().contains(".rnn.lock") && e.getMessage().contains("symbolic link"), e.getMessage());
        assertFalse(Files.exists(target, LinkOption.NOFOLLOW_LINKS), "nothing is created at the link's target");
        assertEquals(List.of(RunFolder.LOCK), Runs.names(dir));
    }

    @Test
    void lookAlikeTemporariesAreTheUsersAndTheFolderIsNotEmpty(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("mine");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(".report.html.tmp"), "a user's draft");
        Files.writeString(dir.resolve(".config.json.backup.tmp"), "a user's backup");
        ConfigurationException e =
                assertThrows(ConfigurationException.class, () -> TrainingRun.create(small(20), dir, PLUGINS, "csv"));
        assertTrue(
                e.getMessage().contains("is not empty (it holds .config.json.backup.tmp, .report.html.tmp)"),
                e.getMessage());
        assertEquals("a user's draft", Files.readString(dir.resolve(".report.html.tmp")));
        assertEquals("a user's backup", Files.readString(dir.resolve(".config.json.backup.tmp")));
    }

    @Test
    void theMarkerSeparatesOurTemporariesFromLookAlikes() {
        assertTrue(AtomicFile.isTemporaryOf(".config.json.rnn-0.tmp", "config.json"));
        assertTrue(AtomicFile.isTemporaryOf(".config.json.rnn-18446744073709551615.tmp", "config.json"));
        for (String other : List.of(
                ".config.json.tmp",
                ".config.json.rnn-.tmp",
                ".config.json.rnn-1.tmp.tmp",
                ".config.json.rnn-1a.tmp",
                "config.json.rnn-1.tmp",
                ".config.jsonx.rnn-1.tmp",
                ".config.json.backup.rnn-1.tmp",
                ".config.json.rnn-123456789012345678901.tmp")) {
            assertFalse(AtomicFile.isTemporaryOf(other, "config.json"), other);
        }
    }

    @Test
    void theWriterReplacesALinkInsteadOfWritingThroughIt(@TempDir Path tmp) throws IOException {
        Path outside = tmp.resolve("outside.txt");
        Files.writeString(outside, "keep me");
        Path link = tmp.resolve("report.html");
        Files.createSymbolicLink(link, outside);
        AtomicFile.writeString(link, "new");
        assertEquals("keep me", Files.readString(outside));
        assertFalse(Files.isSymbolicLink(link));
        assertEquals("new", Files.readString(link));
        assertEquals(List.of("outside.txt", "report.html"), Runs.names(tmp), "no temporary left");
    }

    @Test
    void aDanglingLinkAsTheOutputFolderIsNamedAsSuch(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("out");
        Files.createSymbolicLink(dir, tmp.resolve("gone"));
        ConfigurationException e =
                assertThrows(ConfigurationException.class, () -> TrainingRun.create(small(20), dir, PLUGINS, "csv"));
        assertTrue(
                e.getMessage().contains("is a symbolic link to")
                        && e.getMessage().contains("which does not exist"),
                e.getMessage());
    }

    @Test
    void aFifoCheckpointIsRefusedWithoutBlocking(@TempDir Path tmp) throws Exception {
        Path dir = Runs.trained(tmp.resolve("run"), small(20));
        Files.delete(dir.resolve(TrainingRun.CHECKPOINT));
        assumeTrue(mkfifo(dir.resolve(TrainingRun.CHECKPOINT)), "mkfifo is available");
        ConfigurationException e =
                assertThrows(ConfigurationException.class, () -> TrainingRun.resume(dir, PLUGINS, null, 40));
        assertTrue(e.getMessage().contains("a FIFO, device or socket"), e.getMessage());
    }

    static boolean mkfifo(Path p) {
        try {
            Process pr = new ProcessBuilder("mkfifo", p.toString()).start();
            return pr.waitFor(30, TimeUnit.SECONDS) && pr.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
