package org.bptt.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bptt.cli.CliRunner;
import org.bptt.simd.SimdKernelsProvider;
import org.bptt.simd.SimdSettings;
import org.bptt.simd.SimdTuning;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rnn tune}: a short search writes this machine's cache file, which {@code tune --show}
 * and {@code bench} then report as the settings in use; {@code --reset} removes it; a damaged
 * file is reported and the defaults run; bad flags are refused. The cache lives in a temporary
 * folder, never the user's. No test asserts which setting wins: that is the machine's to say.
 */
final class TestTuneCommand {
    @TempDir
    Path cache;

    @BeforeEach
    void useTempCache() {
        Assumptions.assumeTrue(SimdKernelsProvider.vectorApiPresent(), "jdk.incubator.vector is not in the boot layer");
        System.setProperty(SimdTuning.CACHE_PROPERTY, cache.toString());
        SimdTuning.forget();
    }

    @AfterEach
    void restore() {
        System.clearProperty(SimdTuning.CACHE_PROPERTY);
        SimdTuning.forget();
    }

    private static Path file() {
        return SimdTuning.file(SimdTuning.machine(SimdKernelsProvider.preferredVectorBits()));
    }

    @Test
    void aShortSearchWritesTheCacheThatBenchThenUses() throws IOException {
        CliRunner before = CliRunner.run("tune", "--show");
        assertEquals(0, before.code, before.err);
        assertTrue(before.out.contains("defaults (not tuned"), before.out);

        CliRunner r = CliRunner.run("tune", "--only", "kc_copy", "--rounds", "3", "--no-check", "--threads", "1");
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("saved to " + file()), r.out);
        assertTrue(r.err.contains("kc_copy"), "one line per trial: " + r.err);
        assertTrue(Files.isRegularFile(file()));
        SimdTuning.Stored s = SimdTuning.read(file(), SimdTuning.machine(SimdKernelsProvider.preferredVectorBits()));
        SimdSettings d = SimdSettings.defaults(SimdKernelsProvider.preferredVectorBits());
        // Only kc_copy was searched: every other setting is the default's.
        assertEquals(d, s.settings().withKcCopy(d.kcCopy()));
        assertTrue(s.fmaPeakGflops() > 0, "the peak was measured: " + s.fmaPeakGflops());
        String json = Files.readString(file());
        assertTrue(json.contains("\"trials\""), json);

        CliRunner show = CliRunner.run("tune", "--show");
        assertTrue(show.out.contains("tuned on"), show.out);
        JsonNode bench = new ObjectMapper()
                .readTree(CliRunner.run(
                                "bench",
                                "--hidden",
                                "16",
                                "--input",
                                "8",
                                "--output",
                                "8",
                                "--batch",
                                "4",
                                "--steps",
                                "5",
                                "--iterations",
                                "5",
                                "--warmup",
                                "1",
                                "--jit-warmup",
                                "0",
                                "--backend",
                                "simd",
                                "--json")
                        .out);
        assertEquals(s.settings().describe(), bench.get("kernel_settings").asText());
        assertTrue(bench.get("tuning").asText().startsWith("tuned on"), bench.toString());

        CliRunner reset = CliRunner.run("tune", "--reset");
        assertEquals(0, reset.code, reset.err);
        assertFalse(Files.exists(file()));
        assertTrue(reset.out.contains("defaults (not tuned"), reset.out);
    }

    @Test
    void aDamagedCacheIsReportedAndTheDefaultsRun() throws IOException {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), "{ \"format\": 1, \"machine\": ");
        CliRunner show = CliRunner.run("tune", "--show");
        assertEquals(0, show.code, show.err);
        assertTrue(show.out.contains("ignored"), show.out);
        CliRunner bench = CliRunner.run(
                "bench",
                "--hidden",
                "8",
                "--iterations",
                "3",
                "--warmup",
                "0",
                "--jit-warmup",
                "0",
                "--steps",
                "3",
                "--no-peak",
                "--json");
        assertEquals(0, bench.code, bench.err);
        JsonNode j = new ObjectMapper().readTree(bench.out);
        assertTrue(j.get("tuning").asText().contains("ignored"), j.toString());
        assertTrue(j.get("fraction_of_peak").isNull(), "--no-peak leaves the fraction out: " + j);
    }

    @Test
    void badFlagsAreRefusedInOneSentence() {
        for (List<String> args : List.of(
                List.of("tune", "--only", "tile,nonsense"),
                List.of("tune", "--rounds", "2"),
                List.of("tune", "--margin", "0.7"),
                List.of("tune", "--threads", "0"))) {
            CliRunner r = CliRunner.run(args.toArray(String[]::new));
            assertEquals(2, r.code, args + ": " + r.out + r.err);
            assertEquals(1, r.err.strip().lines().count(), args + ": " + r.err);
            assertFalse(Files.exists(file()), "nothing written for " + args);
        }
    }
}
