package org.bptt.cli.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bptt.cli.CliRunner;
import org.bptt.data.Npy;
import org.bptt.training.config.Checkpoint;
import org.bptt.training.config.Json;
import org.bptt.training.run.Evaluation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code predict}, {@code export} and {@code evaluate} with {@code --best} read the run's best.bin; without one, one sentence. */
final class TestBestModel {
    @TempDir
    static Path dir;

    static Path early;
    static Path plain;
    static Path x;

    @BeforeAll
    static void trainTwoRuns() throws IOException {
        early = dir.resolve("early");
        plain = dir.resolve("plain");
        // A learning rate that overshoots late in the run, so that the best held-out loss is not the last.
        for (Path run : List.of(early, plain)) {
            List<String> args = new java.util.ArrayList<>(List.of(
                    "train",
                    "--quiet",
                    "--task",
                    "adding",
                    "--steps",
                    "8",
                    "--hidden",
                    "8",
                    "--batch",
                    "8",
                    "--iterations",
                    "60",
                    "--lr",
                    "0.05",
                    "--eval-every",
                    "10",
                    "-o",
                    run.toString()));
            if (run == early) {
                args.addAll(List.of("--early-stop", "100"));
            }
            CliRunner r = CliRunner.run(args.toArray(String[]::new));
            assertEquals(0, r.code, r.err);
        }
        x = dir.resolve("x.npy");
        float[] v = new float[3 * 8 * 2];
        for (int i = 0; i < v.length; i++) {
            v[i] = i % 2 == 1 ? (i % 6 == 1 ? 1 : 0) : (float) Math.sin(i);
        }
        try (OutputStream o = Files.newOutputStream(x)) {
            Npy.writeFloats(o, new long[] {3, 8, 2}, v);
        }
    }

    /** The iteration of the lowest held-out loss the run recorded: what best.bin must hold. */
    private static long bestIteration(Path run) {
        List<Evaluation> ev = Evaluation.read(run.resolve("diagnostics.json"));
        Evaluation best = ev.get(0);
        for (Evaluation e : ev) {
            if (e.get("loss") < best.get("loss")) {
                best = e;
            }
        }
        return best.iteration();
    }

    @Test
    void evaluateBestEvaluatesTheModelOfTheLowestHeldOutLoss() {
        CliRunner best = CliRunner.run("evaluate", early.toString(), "--best", "--json", "--sequences", "200");
        assertEquals(0, best.code, best.err);
        JsonNode b = parse(best.out);
        assertEquals(bestIteration(early), b.get("iteration").asLong());
        assertEquals(
                Checkpoint.read(early.resolve("best.bin")).iteration(),
                b.get("iteration").asLong());
        CliRunner last =
                CliRunner.run("evaluate", early.resolve("checkpoint.bin").toString(), "--json", "--sequences", "200");
        assertEquals(60, parse(last.out).get("iteration").asLong());
        // Given the checkpoint rather than the folder, --best finds best.bin beside it.
        CliRunner viaFile = CliRunner.run(
                "evaluate", early.resolve("checkpoint.bin").toString(), "--best", "--json", "--sequences", "200");
        assertEquals(parse(best.out).get("metrics"), parse(viaFile.out).get("metrics"));
    }

    @Test
    void predictAndExportBestReadBestBin() throws IOException {
        Path viaOption = dir.resolve("best-option.npy");
        Path viaFile = dir.resolve("best-file.npy");
        Path lastOut = dir.resolve("last.npy");
        assertEquals(
                0,
                CliRunner.run("predict", early.toString(), "--best", "--data", x.toString(), "-o", viaOption.toString())
                        .code);
        assertEquals(
                0,
                CliRunner.run(
                                "predict",
                                early.resolve("best.bin").toString(),
                                "--data",
                                x.toString(),
                                "-o",
                                viaFile.toString())
                        .code);
        assertEquals(
                0, CliRunner.run("predict", early.toString(), "--data", x.toString(), "-o", lastOut.toString()).code);
        assertArrayEquals(Files.readAllBytes(viaFile), Files.readAllBytes(viaOption));
        // This run's held-out loss is lowest at iteration 40 of 60 (seeded): the best model is another than the last.
        assertEquals(40, bestIteration(early));
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(lastOut), Files.readAllBytes(viaOption)));
        Path st1 = dir.resolve("best-option.safetensors");
        Path st2 = dir.resolve("best-file.safetensors");
        assertEquals(
                0,
                CliRunner.run("export", early.toString(), "--best", "--format", "safetensors", "-o", st1.toString())
                        .code);
        assertEquals(
                0,
                CliRunner.run(
                                "export",
                                early.resolve("best.bin").toString(),
                                "--format",
                                "safetensors",
                                "-o",
                                st2.toString())
                        .code);
        assertArrayEquals(Files.readAllBytes(st2), Files.readAllBytes(st1));
    }

    @Test
    void aRunWithoutBestBinIsRefusedInOneSentenceWritingNothing() {
        Path out = dir.resolve("nothing.npy");
        for (String[] args : List.of(
                new String[] {"predict", plain.toString(), "--best", "--data", x.toString(), "-o", out.toString()},
                new String[] {"export", plain.toString(), "--best", "--format", "onnx", "-o", out.toString()},
                new String[] {"evaluate", plain.resolve("checkpoint.bin").toString(), "--best"})) {
            CliRunner r = CliRunner.run(args);
            assertEquals(2, r.code, r.err);
            assertTrue(
                    r.err.contains(
                            "has no best.bin (only a run trained with --early-stop keeps its best model); drop --best "
                                    + "to use its last checkpoint"),
                    r.err);
            assertEquals(1, r.err.strip().lines().count(), r.err);
            assertFalse(r.err.contains("Exception"), r.err);
            assertFalse(Files.exists(out));
        }
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new AssertionError(json, e);
        }
    }
}
