package org.bptt.cli.robust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.bptt.training.config.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 at random moments, many times over: a training JVM is killed, continued (or started
 * again when it died before writing its configuration), killed again, and so on; at the end the
 * run's parameters, metrics.csv and diagnostics.json rows must equal those of an uninterrupted
 * run in another JVM, and no temporary may be left. Every state a kill leaves must be one that
 * the next start accepts. The seed is printed, so that a failure can be replayed
 * ({@code -Drnn.crash.seed=N}).
 */
final class TestKilledRuns {
    /** Kill cycles; each costs a JVM start and part of a run (about 2 s on the project's 2-core machines). */
    static final int KILLS = Integer.getInteger("rnn.crash.kills", 12);

    static final int ITERATIONS = 300;

    /** Scalar kernels and C1 keep a child JVM's start short; checkpoints every 7 iterations put many writes in the way. */
    private static String[] train(Path dir) {
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
            Integer.toString(ITERATIONS),
            "--checkpoint-every",
            "7",
            "--diagnostics-every",
            "5",
            "-o",
            dir.toString()
        };
    }

    @Test
    void resumeAfterRandomKillsGivesTheUninterruptedRun(@TempDir Path tmp) throws Exception {
        long seed = Long.getLong("rnn.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        Path logs = tmp.resolve("logs");
        Path reference = tmp.resolve("reference");
        long t0 = System.nanoTime();
        Child ref = Child.start(logs, List.of(), train(reference));
        while (ref.process.isAlive() && !Files.exists(reference.resolve("config.json"))) {
            Thread.sleep(10);
        }
        // How long a JVM takes to start and open the run, and how long the training itself.
        long startup = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(0, ref.exit(300), ref.out() + ref.err());
        long full = (System.nanoTime() - t0) / 1_000_000;
        long training = Math.max(1, full - startup);

        Path dir = tmp.resolve("killed");
        // Where the kills aim: metrics rows reached (the rows of an interval are appended just before its checkpoint),
        // spread over the run and sorted; -1 kills a JVM while it starts, before or while it opens the folder.
        List<Integer> targets = new ArrayList<>();
        for (int i = 0; i < KILLS; i++) {
            targets.add(i % 6 == 0 ? -1 : 1 + random.nextInt(ITERATIONS - 10));
        }
        targets.sort(null);
        java.util.Collections.rotate(targets, -random.nextInt(3));
        List<String> landed = new ArrayList<>();
        int kills = 0;
        int starts = 0;
        boolean finished = false;
        for (int target : targets) {
            Child c = Child.start(logs, List.of(), args(dir));
            starts++;
            long delay;
            if (target < 0) {
                delay = (long) (random.nextDouble() * startup * 1.2);
                Thread.sleep(delay);
            } else {
                long until = System.nanoTime() + 120_000_000_000L;
                while (c.process.isAlive() && rows(dir) < target && System.nanoTime() < until) {
                    Thread.sleep(2);
                }
                // Then a little later, into whatever comes next: training, the diagnostics, the checkpoint, the report.
                delay = random.nextInt(150);
                Thread.sleep(delay);
            }
            if (!c.process.isAlive()) {
                assertEquals(0, c.process.exitValue(), c.out() + c.err());
                finished = true;
                break;
            }
            c.kill();
            kills++;
            landed.add(state(dir) + (target < 0 ? " (at start, " + delay + " ms)" : " (aimed at row " + target + ")"));
            assertFalse(c.err().contains("\tat "), c.err());
        }
        // Then let it finish, as often as it takes (once, unless a kill left nothing to resume).
        while (!finished) {
            Child c = Child.start(logs, List.of(), args(dir));
            starts++;
            int code = c.exit(300);
            assertEquals(0, code, c.out() + c.err());
            finished = true;
        }
        System.out.printf(
                "TestKilledRuns: seed %d, %d kills in %d starts (a run takes %d ms to open and %d ms to train): %s%n",
                seed, kills, starts, startup, training, landed);
        assertArrayEquals(Folders.params(reference), Folders.params(dir), "parameters (seed " + seed + ")");
        assertEquals(
                Files.readString(reference.resolve("metrics.csv")),
                Files.readString(dir.resolve("metrics.csv")),
                "metrics rows (seed " + seed + ")");
        assertEquals(Folders.historyRows(reference), Folders.historyRows(dir), "diagnostics rows (seed " + seed + ")");
        assertEquals(List.of(), Folders.temporaries(dir), "temporaries left (seed " + seed + ")");
        assertTrue(Files.isRegularFile(dir.resolve("report.html")));
        assertEquals(
                "finished: all " + ITERATIONS + " iterations trained",
                org.bptt.training.run.RunOutcome.read(dir).sentence());
    }

    private static long rows(Path dir) throws IOException {
        Path m = dir.resolve("metrics.csv");
        try {
            return Files.exists(m) ? Math.max(0, Files.readAllLines(m).size() - 1) : 0;
        } catch (java.nio.file.NoSuchFileException e) {
            return 0;
        }
    }

    /** Continue the run when its folder holds one, else start it. */
    private static String[] args(Path dir) {
        if (Files.exists(dir.resolve("config.json"))) {
            return new String[] {"train", "--quiet", "--resume", dir.toString()};
        }
        return train(dir);
    }

    /** Where a kill left the folder, checked to be a state the next start accepts. */
    private static String state(Path dir) throws IOException {
        // A killed JVM writes nothing more: a record it left says running with a dead process id, which reads as not
        // live.
        org.bptt.training.run.RunOutcome outcome = org.bptt.training.run.RunOutcome.read(dir);
        if (outcome.recorded()) {
            assertFalse(outcome.live(), outcome.sentence());
            assertTrue(List.of("stopped unexpectedly", "finished").contains(outcome.word()), outcome.sentence());
        }
        if (!Files.exists(dir.resolve("config.json"))) {
            if (Files.exists(dir)) {
                try (Stream<Path> s = Files.list(dir)) {
                    List<String> left = s.map(p -> p.getFileName().toString())
                            .filter(n -> !n.equals(".rnn.lock") && !n.endsWith(".tmp"))
                            .toList();
                    assertEquals(List.of(), left, "before config.json nothing else may be written");
                }
            }
            return "before config.json";
        }
        if (!Files.exists(dir.resolve("checkpoint.bin"))) {
            return "before the first checkpoint";
        }
        long it = Checkpoint.read(dir.resolve("checkpoint.bin")).iteration();
        long rows = Files.readAllLines(dir.resolve("metrics.csv")).size() - 1;
        assertTrue(rows >= it, "the metrics cover the checkpoint: " + rows + " rows at iteration " + it);
        return "checkpoint " + it + (rows > it ? " (+" + (rows - it) + " rows)" : "");
    }
}
