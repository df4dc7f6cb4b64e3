package org.bptt.cli.robust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bptt.cli.CliRunner;
import org.bptt.training.config.Checkpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM and SIGINT stop a run after a checkpoint; two writers on one folder never mix their files. */
final class TestStopsAndRaces {
    @TempDir
    static Path shared;

    static Path reference;

    private static String[] train(Path dir, String iterations) {
        return new String[] {
            "train",
            "--quiet",
            "--backend",
            "scalar",
            "--steps",
            "8",
            "--hidden",
            "8",
            "--batch",
            "4",
            "--iterations",
            iterations,
            "--checkpoint-every",
            "7",
            "--diagnostics-every",
            "5",
            "-o",
            dir.toString()
        };
    }

    @BeforeAll
    static void uninterrupted() throws Exception {
        reference = shared.resolve("reference");
        Child c = Child.start(shared.resolve("logs"), List.of(), train(reference, "200"));
        assertEquals(0, c.exit(300), c.out() + c.err());
    }

    private static void awaitFile(Path f, Child c) throws Exception {
        for (int i = 0; i < 1200 && !Files.exists(f); i++) {
            assertTrue(c.process.isAlive(), "the child ended early: " + c.out() + c.err());
            Thread.sleep(50);
        }
        assertTrue(Files.exists(f), f + " never appeared");
    }

    private static void stopAndResume(Path tmp, String signal, int code) throws Exception {
        Path dir = tmp.resolve(signal);
        Child c = Child.start(tmp.resolve("logs"), List.of(), train(dir, "200"));
        awaitFile(dir.resolve("checkpoint.bin"), c);
        if (signal.equals("TERM")) {
            c.process.destroy();
        } else {
            new ProcessBuilder("kill", "-" + signal, Long.toString(c.process.pid()))
                    .start()
                    .waitFor();
        }
        assertEquals(code, c.exit(120), c.out() + c.err());
        Matcher m = Pattern.compile(
                        "stopped by SIG" + signal + " at iteration (\\d+) of 200; the checkpoint is saved, continue "
                                + "with: rnn train --resume " + Pattern.quote(dir.toString()))
                .matcher(c.out());
        assertTrue(m.find(), c.out());
        assertTrue(c.err().contains("SIG" + signal + " received; stopping after a checkpoint"), c.err());
        assertEquals(
                Long.parseLong(m.group(1)),
                Checkpoint.read(dir.resolve("checkpoint.bin")).iteration());
        assertEquals(
                "interrupted after " + m.group(1) + " of 200 iterations; its checkpoint continues it",
                org.bptt.training.run.RunOutcome.read(dir).sentence(),
                "outcome.json of a signalled run");
        assertTrue(c.out().contains("outcome: interrupted after " + m.group(1) + " of 200 iterations"), c.out());
        Child rest = Child.start(tmp.resolve("logs"), List.of(), "train", "--quiet", "--resume", dir.toString());
        assertEquals(0, rest.exit(300), rest.out() + rest.err());
        assertArrayEquals(Folders.params(reference), Folders.params(dir));
        assertEquals(Files.readString(reference.resolve("metrics.csv")), Files.readString(dir.resolve("metrics.csv")));
        assertEquals(Folders.historyRows(reference), Folders.historyRows(dir));
    }

    @Test
    void sigtermStopsAfterACheckpointWithExit143(@TempDir Path tmp) throws Exception {
        stopAndResume(tmp, "TERM", 143);
    }

    @Test
    void sigintStopsAfterACheckpointWithExit130(@TempDir Path tmp) throws Exception {
        // A process started with SIGINT ignored (a shell's background job) passes that on: then there is nothing to
        // test.
        assumeTrue(!ignoresSigint(ProcessHandle.current().pid()), "this JVM was started with SIGINT ignored");
        stopAndResume(tmp, "INT", 130);
    }

    private static boolean ignoresSigint(long pid) throws IOException {
        Path status = Path.of("/proc/" + pid + "/status");
        assumeTrue(Files.exists(status), "needs /proc to see whether SIGINT is ignored");
        for (String l : Files.readAllLines(status)) {
            if (l.startsWith("SigIgn:")) {
                return (Long.parseLong(l.substring(7).strip(), 16) & 2) != 0;
            }
        }
        return false;
    }

    @Test
    void threeWritersStartedTogetherOnOneFolder(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("contested");
        int writers = 3;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<CliRunner>> runs = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            runs.add(pool.submit(() -> {
                go.await();
                return CliRunner.run(train(dir, "100"));
            }));
        }
        go.countDown();
        int won = 0;
        for (Future<CliRunner> f : runs) {
            CliRunner r = f.get();
            if (r.code == 0) {
                won++;
            } else {
                assertEquals(2, r.code, r.err);
                assertEquals(1, r.err.strip().lines().count(), r.err);
                assertTrue(
                        r.err.contains("is in use by another training run") || r.err.contains("already holds a run"),
                        r.err);
            }
        }
        pool.shutdown();
        assertEquals(1, won, "exactly one writer trains");
        Path alone = tmp.resolve("alone");
        assertEquals(0, CliRunner.run(train(alone, "100")).code);
        assertArrayEquals(Folders.params(alone), Folders.params(dir), "the winner's files are whole and its own");
        assertEquals(Files.readString(alone.resolve("metrics.csv")), Files.readString(dir.resolve("metrics.csv")));
    }

    @Test
    void aRunInAnotherProcessHoldsItsFolder(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("busy");
        Child c = Child.start(tmp.resolve("logs"), List.of(), train(dir, "100000"));
        awaitFile(dir.resolve("config.json"), c);
        for (String[] args : List.of(
                train(dir, "10"),
                new String[] {"train", "--quiet", "--resume", dir.toString(), "--iterations", "200000"})) {
            CliRunner r = CliRunner.run(args);
            assertEquals(2, r.code, r.out + r.err);
            assertTrue(
                    r.err.matches(
                            "rnn train: the (output|run) folder .* is in use by another training run \\(it holds the "
                                    + "folder's lock\\); wait for that run to end, or choose another folder\\s*"),
                    r.err);
        }
        awaitFile(dir.resolve("checkpoint.bin"), c);
        c.process.destroy();
        assertEquals(143, c.exit(120), c.out() + c.err());
        long at = Checkpoint.read(dir.resolve("checkpoint.bin")).iteration();
        CliRunner more =
                CliRunner.run("train", "--quiet", "--resume", dir.toString(), "--iterations", Long.toString(at + 5));
        assertEquals(0, more.code, more.err);
        assertTrue(more.out.contains("note: the run now goes to " + (at + 5) + " iterations"), more.out);
    }
}
