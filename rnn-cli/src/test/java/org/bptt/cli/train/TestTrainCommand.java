package org.bptt.cli.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bptt.cli.CliRunner;
import org.bptt.training.config.Checkpoint;
import org.bptt.training.config.Json;
import org.bptt.training.run.TrainingRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rnn train}: learning, reproducibility, exact resume, checkpoints, and clear errors. */
final class TestTrainCommand {
    /** A small, fast configuration: the adding problem with T=12. */
    private static String[] small(Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of(
                "train",
                "--quiet",
                "--task",
                "adding",
                "--steps",
                "12",
                "--hidden",
                "16",
                "--batch",
                "16",
                "--diagnostics-every",
                "10",
                "--checkpoint-every",
                "20",
                "-o",
                out.toString()));
        args.addAll(List.of(extra));
        if (!args.contains("--iterations")) {
            args.addAll(List.of("--iterations", "60"));
        }
        return args.toArray(String[]::new);
    }

    private static float[] params(Path run) {
        Checkpoint c = Checkpoint.read(run.resolve(TrainingRun.CHECKPOINT));
        var ps = c.parameters();
        int n = ps.values().stream().mapToInt(a -> a.length).sum();
        float[] all = new float[n];
        int i = 0;
        for (float[] a : ps.values()) {
            System.arraycopy(a, 0, all, i, a.length);
            i += a.length;
        }
        return all;
    }

    @Test
    void trainingLearnsAndWritesEveryFile(@TempDir Path dir) throws IOException {
        Path run = dir.resolve("run");
        CliRunner r = CliRunner.run(
                "train",
                "--quiet",
                "--task",
                "adding",
                "--steps",
                "10",
                "--hidden",
                "24",
                "--iterations",
                "800",
                "--lr",
                "0.01",
                "-o",
                run.toString(),
                "--metrics",
                "jsonl");
        assertEquals(0, r.code, r.err);
        for (String f : List.of("config.json", "checkpoint.bin", "metrics.jsonl", "diagnostics.json", "report.html")) {
            assertTrue(Files.isRegularFile(run.resolve(f)), f);
        }
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertEquals(800, lines.size());
        double first = Json.MAPPER.readTree(lines.get(0)).get("loss").asDouble();
        double last = lines.subList(750, 800).stream()
                .mapToDouble(l -> {
                    try {
                        return Json.MAPPER.readTree(l).get("loss").asDouble();
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                })
                .average()
                .orElseThrow();
        // The adding problem's baseline (always predicting 1) is 1/12 ≈ 0.083 in ½-squared-error units.
        assertTrue(
                last < 0.5 / 12,
                "final loss " + last + " should be well under the baseline 0.083 (first " + first + ")");
        assertTrue(r.out.contains("learned"), r.out);
        String html = Files.readString(run.resolve("report.html"));
        // Every chart, and the held-out one: train evaluates the final model on held-out sequences.
        assertEquals(
                org.bptt.report.HtmlReport.TRAINING_CHARTS + 1,
                html.split("<svg", -1).length - 1,
                "every chart in the report");
        try (var s = Files.list(run)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
    }

    @Test
    void configFileRepeatsARunExactly(@TempDir Path dir) {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        assertEquals(0, CliRunner.run(small(a, "--optimizer", "rmsprop", "--lr", "0.005")).code);
        CliRunner r = CliRunner.run(
                "train", "--quiet", "--config", a.resolve("config.json").toString(), "-o", b.toString());
        assertEquals(0, r.code, r.err);
        assertArrayEquals(params(a), params(b));
    }

    @Test
    void resumedRunEqualsUninterruptedRunBitForBit(@TempDir Path dir) throws IOException {
        Path whole = dir.resolve("whole");
        Path part = dir.resolve("part");
        CliRunner w =
                CliRunner.run(small(whole, "--optimizer", "adam", "--truncation", "tbptt", "--k1", "4", "--k2", "6"));
        assertEquals(0, w.code, w.err);
        // The same configuration stopped at 20 iterations, then resumed to 60.
        CliRunner first = CliRunner.run(small(
                part, "--optimizer", "adam", "--truncation", "tbptt", "--k1", "4", "--k2", "6", "--iterations", "20"));
        assertEquals(0, first.code, first.err);
        CliRunner r = CliRunner.run("train", "--quiet", "--resume", part.toString(), "--iterations", "60");
        assertEquals(0, r.code, r.err);
        assertArrayEquals(params(whole), params(part));
        assertEquals(60, Checkpoint.read(part.resolve("checkpoint.bin")).iteration());
        // This session trained 40 iterations, and its time is theirs: not "trained 60".
        assertTrue(r.out.contains("\ntrained 40 iterations (from 20 to 60) in "), r.out);
        // Loss, norms and clipping of every iteration agree; spectra are also measured at the end of each segment.
        assertEquals(trainingColumns(whole), trainingColumns(part));
    }

    /**
     * --stateful trains the text as streams: saved in config.json, resumed bit for bit (the carried
     * state is in the checkpoint), and refused with one sentence for a task that draws independent
     * sequences.
     */
    @Test
    void statefulTextRunsResumeBitForBitAndOtherTasksAreRefused(@TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("t.txt"), "the quick brown fox jumps over the lazy dog. ".repeat(40));
        String[] base = {
            "train",
            "--quiet",
            "--text",
            text.toString(),
            "--stateful",
            "--steps",
            "10",
            "--hidden",
            "16",
            "--batch",
            "4",
            "--diagnostics-every",
            "10",
            "--checkpoint-every",
            "10"
        };
        Path whole = dir.resolve("whole");
        Path part = dir.resolve("part");
        List<String> w = new java.util.ArrayList<>(List.of(base));
        w.addAll(List.of("--iterations", "50", "-o", whole.toString()));
        CliRunner a = CliRunner.run(w.toArray(String[]::new));
        assertEquals(0, a.code, a.err);
        assertTrue(
                Json.MAPPER
                        .readTree(whole.resolve("config.json").toFile())
                        .get("stateful")
                        .asBoolean(),
                "config.json says stateful");
        List<String> p = new java.util.ArrayList<>(List.of(base));
        p.addAll(List.of("--iterations", "23", "-o", part.toString()));
        assertEquals(0, CliRunner.run(p.toArray(String[]::new)).code);
        CliRunner r = CliRunner.run("train", "--quiet", "--resume", part.toString(), "--iterations", "50");
        assertEquals(0, r.code, r.err);
        assertArrayEquals(params(whole), params(part));

        CliRunner bad = CliRunner.run(
                "train",
                "--quiet",
                "--task",
                "adding",
                "--stateful",
                "-o",
                dir.resolve("adding").toString());
        assertEquals(2, bad.code, bad.err);
        assertTrue(bad.err.contains("cannot be trained statefully"), bad.err);
        assertEquals(1, bad.err.strip().lines().count(), bad.err);
    }

    private static List<String> trainingColumns(Path run) throws IOException {
        return Files.readAllLines(run.resolve("metrics.csv")).stream()
                .map(l -> String.join(",", java.util.Arrays.copyOf(l.split(",", -1), 7)))
                .toList();
    }

    @Test
    void resultsAreIdenticalForAnyThreadCount(@TempDir Path dir) {
        Path one = dir.resolve("one");
        Path two = dir.resolve("two");
        assertEquals(0, CliRunner.run(small(one, "--threads", "1")).code);
        assertEquals(0, CliRunner.run(small(two, "--threads", "2")).code);
        assertArrayEquals(params(one), params(two));
    }

    @Test
    void corruptTruncatedOrMismatchedCheckpointsAreRefusedAndNothingIsOverwritten(@TempDir Path dir)
            throws IOException {
        Path run = dir.resolve("run");
        assertEquals(0, CliRunner.run(small(run)).code);
        Path ckpt = run.resolve("checkpoint.bin");
        byte[] good = Files.readAllBytes(ckpt);

        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x40;
        Files.write(ckpt, flipped);
        CliRunner corrupt = CliRunner.run("train", "--quiet", "--resume", run.toString(), "--iterations", "80");
        assertEquals(2, corrupt.code);
        assertTrue(corrupt.err.contains("corrupt or truncated"), corrupt.err);
        assertArrayEquals(flipped, Files.readAllBytes(ckpt), "the damaged checkpoint is left as it was");

        Files.write(ckpt, java.util.Arrays.copyOf(good, good.length - 100));
        CliRunner truncated = CliRunner.run("analyze", ckpt.toString());
        assertEquals(2, truncated.code);
        assertTrue(truncated.err.contains("checkpoint"), truncated.err);

        Files.write(ckpt, good);
        String cfg = Files.readString(run.resolve("config.json"));
        Files.writeString(run.resolve("config.json"), cfg.replace("\"hidden\" : 16", "\"hidden\" : 17"));
        CliRunner mismatched = CliRunner.run("train", "--quiet", "--resume", run.toString(), "--iterations", "80");
        assertEquals(2, mismatched.code);
        assertTrue(
                mismatched.err.contains("describes another run than") && mismatched.err.contains("differ in hidden"),
                mismatched.err);
        assertArrayEquals(good, Files.readAllBytes(ckpt));

        CliRunner notACheckpoint =
                CliRunner.run("analyze", run.resolve("config.json").toString());
        assertEquals(2, notACheckpoint.code);
        assertTrue(notACheckpoint.err.contains("not an rnn checkpoint"), notACheckpoint.err);
    }

    @Test
    void badInputGetsOneClearSentenceAndExitCode2(@TempDir Path dir) throws IOException {
        Path empty = dir.resolve("empty.txt");
        Files.writeString(empty, "");
        Path blocker = dir.resolve("file-not-folder");
        Files.writeString(blocker, "x");
        String[][] cases = {
            {"--policy", "clip-sideways", "unknown gradient policy 'clip-sideways'; known: clip-norm, clip-value, none"
            },
            {"--optimizer", "sgdd", "unknown optimizer 'sgdd'; known: adagrad, adam, adamw, rmsprop, sgd"},
            {"--task", "nope", "unknown task 'nope'; known:"},
            {"--threshold", "-1", "option 'threshold' must be a number greater than 0, got '-1'"},
            {"--truncation", "tbptt", "--k1", "5", "--k2", "3", "k2 must be at least k1, got k1=5 and k2=3"},
            {"--hidden", "0", "--hidden must be a whole number at least 1, got '0'"},
            {"--batch", "0", "--batch must be a whole number at least 1, got '0'"},
            {"--steps", "0", "steps"},
            {"--text", empty.toString(), "empty.txt"},
            {"--lr", "-0.1", "option 'lr' must be a number greater than 0"},
            {
                "--k1",
                "3",
                "--k1 sets the option 'k1' of the truncation, but 'full' has no such option; its options: none"
            },
            {"--lr", "0.1", "--opt", "lr=0.2", "--lr and --opt lr= both set 'lr'; give it once"},
            {"--opt", "beta1=0.8", "--opt", "beta1=0.7", "--opt sets 'beta1' twice"},
            {"--policy", "none", "--threshold", "2", "'none' has no such option"},
            {"--loss", "ce", "the loss 'ce' needs class targets, but the task 'adding' has vector targets"},
            {"--cell-opt", "activation=sigmoid", "option 'activation' must be tanh, relu or linear, got 'sigmoid'"},
        };
        for (String[] c : cases) {
            String[] flags = java.util.Arrays.copyOf(c, c.length - 1);
            String expected = c[c.length - 1];
            String[] args = java.util.stream.Stream.concat(
                            java.util.stream.Stream.of(
                                    "train",
                                    "--quiet",
                                    "--iterations",
                                    "2",
                                    "-o",
                                    dir.resolve("r" + c[0]).toString()),
                            java.util.Arrays.stream(flags))
                    .toArray(String[]::new);
            CliRunner r = CliRunner.run(args);
            assertEquals(2, r.code, String.join(" ", flags) + ": " + r.err);
            assertTrue(r.err.contains(expected), String.join(" ", flags) + " -> " + r.err);
            assertEquals(1, r.err.strip().lines().count(), "one sentence: " + r.err);
            assertFalse(r.err.contains("\tat "), "no stack trace: " + r.err);
        }
        CliRunner unwritable = CliRunner.run(
                "train",
                "--quiet",
                "--iterations",
                "2",
                "-o",
                blocker.resolve("sub").toString());
        assertEquals(2, unwritable.code);
        assertTrue(unwritable.err.contains("output folder"), unwritable.err);
        CliRunner taken = CliRunner.run(small(dir.resolve("taken")));
        assertEquals(0, taken.code);
        CliRunner again = CliRunner.run(small(dir.resolve("taken")));
        assertEquals(2, again.code);
        assertTrue(again.err.contains("already holds a run"), again.err);
    }

    @Test
    void nonFiniteValuesStopWithTheIterationOrAreSkippedAndCounted(@TempDir Path dir) throws IOException {
        // A huge learning rate with relu and no clipping drives the model to overflow quickly.
        String[] blowUp = {
            "--activation",
            "relu",
            "--policy",
            "none",
            "--optimizer",
            "sgd",
            "--lr",
            "1e30",
            "--init",
            "identity",
            "--gain",
            "3"
        };
        CliRunner stop = CliRunner.run(small(dir.resolve("stop"), blowUp));
        // A run that fails is exit 1 (not 2, which is a user's mistake), with its report and last good checkpoint.
        assertEquals(1, stop.code, stop.out + stop.err);
        assertTrue(
                stop.out.matches(
                        "(?s).*diverged after \\d+ iterations?.*non-finite (loss|gradient) at iteration \\d+.*"),
                stop.out);
        assertTrue(
                stop.err.matches(
                        "rnn train: the run diverged \\(non-finite (loss|gradient) at iteration \\d+[^;]*\\); the last good "
                                + "state, after \\d+ iterations?, is saved in .*checkpoint\\.bin; try --non-finite skip, a lower --lr or --policy clip-norm\\s*"),
                stop.err);
        assertTrue(Files.isRegularFile(dir.resolve("stop").resolve("report.html")), "a diverged run has a report");

        String[] skipArgs = java.util.stream.Stream.concat(
                        java.util.Arrays.stream(blowUp), java.util.stream.Stream.of("--non-finite", "skip"))
                .toArray(String[]::new);
        CliRunner skip = CliRunner.run(small(dir.resolve("skip"), skipArgs));
        assertEquals(0, skip.code, skip.err);
        assertTrue(skip.out.matches("(?s).*skipped \\d+ non-finite updates.*"), skip.out);
        List<String> csv = Files.readAllLines(dir.resolve("skip").resolve("metrics.csv"));
        assertTrue(
                csv.stream().skip(1).anyMatch(l -> l.split(",")[6].equals("true")),
                "some iterations are marked skipped");
    }
}
