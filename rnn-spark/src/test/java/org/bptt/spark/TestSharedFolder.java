package org.bptt.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Copies of run folders to and from shared storage, on a local folder through Hadoop. */
final class TestSharedFolder {
    @TempDir
    Path dir;

    @Test
    void filesGoWholeAndOnlyWhenChangedAndComeBackWithoutTemporaries() throws IOException {
        Path work = Files.createDirectories(dir.resolve("work"));
        Files.writeString(work.resolve("metrics.csv"), "iteration,loss\n0,1.5\n");
        Files.writeString(work.resolve("checkpoint.bin"), "state at 1");
        Files.writeString(work.resolve("config.json"), "{}");
        SharedFolder shared = SharedFolder.of(dir.resolve("shared").toString(), new Configuration())
                .child("run");
        assertEquals("file", shared.uri().getScheme());
        shared.uploadChanged(work, List.of("metrics.csv", "checkpoint.bin", "config.json", "absent.json"));
        Path run = dir.resolve("shared").resolve("run");
        assertEquals("state at 1", Files.readString(run.resolve("checkpoint.bin")));
        // An unchanged file is not copied again; a changed one replaces the old whole.
        Files.setLastModifiedTime(run.resolve("config.json"), FileTime.fromMillis(0));
        Files.writeString(work.resolve("checkpoint.bin"), "state at 2");
        Files.writeString(work.resolve("metrics.csv"), "iteration,loss\n0,1.5\n1,1.25\n");
        shared.uploadChanged(work, List.of("metrics.csv", "checkpoint.bin", "config.json"));
        assertEquals(0, Files.getLastModifiedTime(run.resolve("config.json")).toMillis(), "unchanged, not copied");
        assertEquals("state at 2", Files.readString(run.resolve("checkpoint.bin")));
        assertEquals("iteration,loss\n0,1.5\n1,1.25\n", Files.readString(run.resolve("metrics.csv")));
        // Same size and time, other content: still copied (by content, not by time).
        Files.writeString(work.resolve("checkpoint.bin"), "state at 3");
        Files.setLastModifiedTime(
                work.resolve("checkpoint.bin"), Files.getLastModifiedTime(run.resolve("checkpoint.bin")));
        shared.uploadChanged(work, List.of("checkpoint.bin"));
        assertEquals("state at 3", Files.readString(run.resolve("checkpoint.bin")));
        try (var s = Files.list(run)) {
            assertEquals(
                    List.of("checkpoint.bin", "config.json", "metrics.csv"),
                    s.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporaries, no .crc files");
        }

        // Back, leaving out a temporary a killed copy left.
        Files.writeString(run.resolve(".checkpoint.bin.rnn-1234.tmp"), "half");
        Path again = Files.createDirectories(dir.resolve("again"));
        SharedFolder other = SharedFolder.of(run.toUri().toString(), new Configuration());
        assertEquals(
                List.of("checkpoint.bin", "config.json", "metrics.csv"),
                other.download(again).stream().sorted().toList());
        assertEquals("state at 3", Files.readString(again.resolve("checkpoint.bin")));
        assertFalse(Files.exists(again.resolve(".checkpoint.bin.rnn-1234.tmp")));
        assertEquals(
                List.of(),
                SharedFolder.of(dir.resolve("none").toString(), new Configuration())
                        .download(again),
                "a run folder not made yet gives nothing");
    }

    @Test
    void textIsReplacedWhole() throws IOException {
        SharedFolder sweep = SharedFolder.of(dir.resolve("sweep").toString(), new Configuration());
        assertFalse(sweep.exists("plan.json"));
        sweep.writeString("plan.json", "first");
        sweep.writeString("plan.json", "second, longer");
        assertTrue(sweep.exists("plan.json"));
        assertEquals("second, longer", sweep.readString("plan.json"));
        assertTrue(SharedFolder.isTemporary(".plan.json.rnn-9837.tmp"));
        assertFalse(SharedFolder.isTemporary(".elapsed"));
        assertFalse(SharedFolder.isTemporary(".notes.tmp"), "a user's file named like a temporary is the user's");
        assertFalse(SharedFolder.isTemporary(".plan.json.0f3c.tmp"));
    }
}
