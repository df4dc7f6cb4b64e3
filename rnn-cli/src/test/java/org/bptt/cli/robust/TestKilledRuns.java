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

import org.bptt.training.run.Checkpoint;
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

    /** Scalar kernels and C1 keep a child JVM's start short; checkpoints every 7 iterations put many writes in the way. */
    private static String[] train(Path dir) {
        return new String[] {"train", "--quiet", "--backend", "scalar", "--steps", "8", "--hidden", "8", "--batch", "4",
                "--iterations", "200", "--checkpoint-every", "7", "--diagnostics-every", "5", "-o", dir.toString()};
    }

    @Test
    void resumeAfterRandomKillsGivesTheUninterruptedRun(@TempDir Path tmp) throws Exception {
        long seed = Long.getLong("rnn.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        Path logs = tmp.resolve("logs");
        Path reference = tmp.resolve("reference");
        long t0 = System.nanoTime();
        Child ref = Child.start(logs, List.of(), train(reference));
        assertEquals(0, ref.exit(300), ref.out() + ref.err());
        long full = (System.nanoTime() - t0) / 1_000_000;

        Path dir = tmp.resolve("killed");
        List<String> landed = new ArrayList<>();
        int kills = 0;
        int starts = 0;
        boolean finished = false;
        while (kills < KILLS) {
            Child c = Child.start(logs, List.of(), args(dir));
            starts++;
            // Up to 40% of a full run: a start takes about a third of one, so kills land before the configuration,
            // before the first checkpoint and all through training, and the run still advances a little each time.
            long delay = (long) (random.nextDouble() * full * 0.4);
            Thread.sleep(delay);
            if (!c.process.isAlive()) {
                assertEquals(0, c.process.exitValue(), c.out() + c.err());
                finished = true;
                break;
            }
            c.kill();
            kills++;
            landed.add(state(dir) + " after " + delay + " ms");
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
        System.out.printf("TestKilledRuns: seed %d, %d kills in %d starts (a full run takes %d ms): %s%n", seed, kills, starts,
                full, landed);
        assertArrayEquals(Folders.params(reference), Folders.params(dir), "parameters (seed " + seed + ")");
        assertEquals(Files.readString(reference.resolve("metrics.csv")), Files.readString(dir.resolve("metrics.csv")),
                "metrics rows (seed " + seed + ")");
        assertEquals(Folders.historyRows(reference), Folders.historyRows(dir), "diagnostics rows (seed " + seed + ")");
        assertEquals(List.of(), Folders.temporaries(dir), "temporaries left (seed " + seed + ")");
        assertTrue(Files.isRegularFile(dir.resolve("report.html")));
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
        if (!Files.exists(dir.resolve("config.json"))) {
            if (Files.exists(dir)) {
                try (Stream<Path> s = Files.list(dir)) {
                    List<String> left = s.map(p -> p.getFileName().toString())
                            .filter(n -> !n.equals(".rnn.lock") && !n.endsWith(".tmp")).toList();
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
