package org.bptt.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import org.bptt.cli.CliRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code rnn bench}: the JSON it prints and its flag checks. No test asserts a time. */
final class TestBenchCommand {

    private static JsonNode benchJson(String... extra) throws IOException {
        List<String> args = new java.util.ArrayList<>(List.of(
                "bench",
                "--input",
                "8",
                "--hidden",
                "16",
                "--output",
                "10",
                "--batch",
                "4",
                "--steps",
                "25",
                "--iterations",
                "20",
                "--warmup",
                "5",
                "--json"));
        args.addAll(List.of(extra));
        if (!args.contains("--jit-warmup")) {
            args.addAll(List.of("--jit-warmup", "0"));
        }
        CliRunner r = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, r.code, r.err);
        String[] lines = r.out.strip().split("\n");
        assertEquals(1, lines.length, "one JSON object on one line: " + r.out);
        assertFalse(r.err.contains("steps timed"), "no progress lines with --json: " + r.err);
        return new ObjectMapper().readTree(lines[0]);
    }

    @Test
    void jsonHasEveryFieldWithSaneValues() throws IOException {
        JsonNode j = benchJson("--backend", "scalar");
        for (String f : List.of(
                "ms_per_step",
                "ms_min",
                "ms_max",
                "ms_mean",
                "gflops",
                "gflop_per_step",
                "backend",
                "vector_bits",
                "threads",
                "loss_first",
                "loss_last",
                "input",
                "hidden",
                "output",
                "batch",
                "steps",
                "iterations",
                "warmup",
                "one_hot",
                "java_version",
                "jit_warmup_taken_s",
                "jit_settled",
                "jit_compile_ms_while_timed")) {
            assertTrue(j.has(f), "no field " + f + " in " + j);
        }
        assertEquals("vanilla", j.get("cell").asText());
        assertEquals(8, j.get("input").asInt());
        assertEquals(16, j.get("hidden").asInt());
        assertEquals(10, j.get("output").asInt());
        assertEquals(4, j.get("batch").asInt());
        assertEquals(25, j.get("steps").asInt());
        assertEquals(1, j.get("threads").asInt());
        assertEquals("scalar", j.get("backend").asText());
        assertEquals(32, j.get("vector_bits").asInt());
        assertEquals(Runtime.version().toString(), j.get("java_version").asText());

        double ms = j.get("ms_per_step").asDouble();
        assertTrue(ms > 0, "ms_per_step " + ms);
        assertTrue(j.get("ms_min").asDouble() <= ms && ms <= j.get("ms_max").asDouble(), j.toString());
        // forward = T·B·(2H(I+H) + 2OH) = 100 · (2·16·24 + 2·10·16) = 100 · 1088 = 108 800; step = 3 × that.
        assertEquals(326_400e-9, j.get("gflop_per_step").asDouble(), 1e-15);
        assertEquals(
                j.get("gflop_per_step").asDouble() / (ms / 1e3),
                j.get("gflops").asDouble(),
                1e-9 * j.get("gflops").asDouble());

        // At the uniform initialization every logit o_j = V_j·h + c_j has variance at most (H+1)/(3H) (|h_i| < 1,
        // U(-1/sqrt H, 1/sqrt H) entries of variance 1/(3H)). For a uniform random target, Jensen bounds the
        // expected cross-entropy between ln O and ln O + (H+1)/(6H) = ln O + 0.18 here; over the 100 rows the
        // sampling error is about sigma/sqrt(100) < 0.06. So 0.3 either side is ~4 standard errors of slack.
        double lnO = Math.log(10);
        double first = j.get("loss_first").asDouble();
        assertEquals(lnO, first, 0.3, "loss_first");
        // 25 SGD steps on one batch with a small learning rate: the loss must go down.
        double last = j.get("loss_last").asDouble();
        assertTrue(last < first, "loss " + first + " -> " + last);
        assertTrue(last > 0, "loss_last " + last);
    }

    /** --jit-warmup is a minimum: the twin trains at least that long, then on while the JIT compiles, 20 s at most. */
    @Test
    void theJitWarmUpLastsAtLeastItsMinimumAndSaysWhetherTheJitSettled() throws IOException {
        JsonNode none = benchJson("--backend", "scalar");
        assertEquals(0, none.get("jit_warmup_taken_s").asDouble(), none.toString());
        assertFalse(none.get("jit_settled").asBoolean(), none.toString());
        JsonNode j = benchJson("--backend", "scalar", "--jit-warmup", "0.2");
        double taken = j.get("jit_warmup_taken_s").asDouble();
        assertTrue(taken >= 0.2 && taken < 0.2 + 20 + 5, j.toString());
        // Settled means a second without compiling, so it cannot come sooner than that.
        assertTrue(!j.get("jit_settled").asBoolean() || taken >= 1.0, j.toString());
        assertTrue(j.get("jit_compile_ms_while_timed").asLong() >= 0, j.toString());
    }

    /** The fraction of peak is the GFLOP/s over the threads' measured FMA peak; the machine's facts are there. */
    @Test
    void fractionOfPeakIsGflopsOverThePeakOfTheThreads() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                org.bptt.simd.SimdKernelsProvider.vectorApiPresent(), "the peak is measured with the Vector API");
        JsonNode j = benchJson("--backend", "simd", "--threads", "2");
        double perCore = j.get("peak_gflops_per_core").asDouble();
        assertTrue(perCore > 1, j.toString());
        assertEquals(2 * perCore, j.get("peak_gflops").asDouble(), 1e-9 * perCore);
        assertEquals(
                j.get("gflops").asDouble() / (2 * perCore),
                j.get("fraction_of_peak").asDouble(),
                1e-9);
        assertEquals(org.bptt.simd.SimdTuning.cpuModel(), j.get("cpu").asText());
        assertTrue(j.get("kernel_settings").asText().startsWith("tile "), j.toString());
        assertTrue(j.has("load_before") && j.has("load_after") && j.has("tuning"), j.toString());
    }

    @Test
    void oneHotAndAutoBackendWork() throws IOException {
        JsonNode j = benchJson("--one-hot", "--backend", "auto", "--threads", "2");
        assertTrue(j.get("one_hot").asBoolean());
        assertEquals(2, j.get("threads").asInt());
        // Whatever backend auto picked, it reports its name and a sane vector width.
        assertTrue(List.of("scalar", "simd").contains(j.get("backend").asText()), j.toString());
        assertTrue(j.get("vector_bits").asInt() >= 32, j.toString());
        assertEquals(Math.log(10), j.get("loss_first").asDouble(), 0.3);
        assertTrue(j.get("loss_last").asDouble() < j.get("loss_first").asDouble(), j.toString());
    }

    @Test
    void stackedBidirectionalStepsAreTimedAndCountedAsPyTorchCountsThem() throws IOException {
        JsonNode j = benchJson("--layers", "2", "--bidirectional", "--backend", "scalar");
        assertEquals(2, j.get("layers").asInt());
        assertTrue(j.get("bidirectional").asBoolean());
        // Weights per row: layer 0 2·16·(8 + 16), layer 1 2·16·(32 + 16), V 10·32 = 768 + 1536 + 320 = 2624;
        // forward = T·B·2·2624 = 100 · 5248, step = 3 × that (tools/torch_rnn_step.py counts the same).
        assertEquals(3 * 100 * 5248e-9, j.get("gflop_per_step").asDouble(), 1e-15);
        assertEquals(Math.log(10), j.get("loss_first").asDouble(), 0.3);
        assertTrue(j.get("loss_last").asDouble() < j.get("loss_first").asDouble(), j.toString());
        CliRunner table = CliRunner.run(
                "bench",
                "--input",
                "4",
                "--hidden",
                "4",
                "--output",
                "4",
                "--batch",
                "2",
                "--steps",
                "3",
                "--iterations",
                "3",
                "--warmup",
                "0",
                "--jit-warmup",
                "0",
                "--backend",
                "scalar",
                "--layers",
                "3",
                "--bidirectional");
        assertEquals(0, table.code, table.err);
        assertTrue(
                table.out.startsWith("rnn bench: I=4 H=4 O=4 B=2 T=3, 3 layers, bidirectional, scalar backend"),
                table.out);
        CliRunner bad = CliRunner.run("bench", "--layers", "0", "--json");
        assertEquals(2, bad.code, bad.err);
        assertEquals("rnn bench: --layers must be a whole number at least 1 and at most 64, got 0", bad.err.strip());
    }

    @Test
    void withoutJsonItPrintsATable() {
        CliRunner r = CliRunner.run(
                "bench",
                "--input",
                "4",
                "--hidden",
                "4",
                "--output",
                "4",
                "--batch",
                "2",
                "--steps",
                "3",
                "--iterations",
                "3",
                "--warmup",
                "0",
                "--jit-warmup",
                "0",
                "--backend",
                "scalar");
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.startsWith("rnn bench: I=4 H=4 O=4 B=2 T=3, scalar backend"), r.out);
        // step = 3 × 6 × (2·4·8 + 2·4·4) = 3 × 6 × 96 = 1728 flops
        assertTrue(r.out.contains("GFLOP/step             0.0000"), r.out);
        assertTrue(r.out.contains("ms/step median"), r.out);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "--input, 0, 1",
        "--hidden, -3, 1",
        "--output, 0, 1",
        "--batch, 0, 1",
        "--steps, 0, 1",
        "--iterations, 0, 1",
        "--warmup, -1, 0",
        "--threads, 0, 1"
    })
    void badFlagsGiveOneLineAndExit2(String flag, String value, String min) {
        CliRunner r = CliRunner.run("bench", flag, value, "--json");
        assertEquals(2, r.code, r.err);
        assertEquals("", r.out);
        String err = r.err.strip();
        assertFalse(err.contains("\n"), "one line: " + err);
        assertEquals("rnn bench: " + flag + " must be at least " + min + ", got " + value, err);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"--threads, x", "--iterations, 1.5", "--hidden, ''"})
    void malformedNumbersGiveOneLineAndExit2(String flag, String value) {
        CliRunner r = CliRunner.run("bench", flag, value, "--json");
        assertEquals(2, r.code, r.err);
        assertEquals("", r.out);
        String err = r.err.strip();
        assertFalse(err.contains("\n"), "one line: " + err);
        assertTrue(err.startsWith("rnn bench: Invalid value for option '" + flag + "'"), err);
    }

    @Test
    void anUnknownCellIsOneLineListingTheKnownOnes() {
        CliRunner r = CliRunner.run("bench", "--cell", "nope", "--steps", "1", "--json");
        assertEquals(2, r.code, r.err);
        assertEquals("", r.out);
        String err = r.err.strip();
        assertFalse(err.contains("\n"), err);
        assertTrue(err.startsWith("rnn bench: unknown cell 'nope'; known: ") && err.contains("vanilla"), err);
    }

    @Test
    void anUnknownBackendIsOneLine() {
        CliRunner r = CliRunner.run("bench", "--backend", "gpu", "--steps", "1", "--json");
        assertEquals(2, r.code);
        String err = r.err.strip();
        assertFalse(err.contains("\n"), err);
        assertTrue(err.startsWith("rnn bench: unknown backend 'gpu'; known: auto, scalar"), err);
    }
}
