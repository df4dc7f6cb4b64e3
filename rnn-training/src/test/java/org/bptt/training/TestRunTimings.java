package org.bptt.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import org.bptt.training.RunTimings.Phase;
import org.bptt.training.config.RunConfig;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.run.TimingsFile;
import org.bptt.training.run.TrainingRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The time split of a run: the warm-up estimate on known update times, and a real run's timings.json. */
final class TestRunTimings {
    private static final long MS = 1_000_000L;

    @Test
    void theWarmupIsTheTimeBeyondTheSteadyRateOfTheLaterBlocks() {
        RunTimings t = new RunTimings();
        // Two blocks of 50 updates at 10 ms, then eight at 1 ms: 2 x 50 x 9 ms = 0.9 s beyond the steady 1 ms.
        for (int i = 0; i < 10 * RunTimings.BLOCK; i++) {
            t.update(i < 2 * RunTimings.BLOCK ? 10 * MS : MS);
        }
        assertEquals(1.0, t.steadyMillisPerUpdate(), 1e-12);
        assertEquals(0.9, t.warmupSeconds(), 1e-12);
        assertEquals(1.4, t.seconds(Phase.STEPS), 1e-12);
        assertEquals(1.0, t.updateSeconds(0, 2 * RunTimings.BLOCK), 1e-12);
        assertEquals(500, t.updates());
    }

    @Test
    void fewerThanFourBlocksGiveNoSteadyRate() {
        RunTimings t = new RunTimings();
        for (int i = 0; i < 3 * RunTimings.BLOCK + 49; i++) {
            t.update(MS);
        }
        assertTrue(Double.isNaN(t.steadyMillisPerUpdate()));
        assertTrue(Double.isNaN(t.warmupSeconds()));
    }

    @Test
    void aRunWritesItsTimeSplitAndItAddsUp(@TempDir Path dir) throws IOException {
        RunConfig config = RunConfig.defaults().toBuilder()
                .hidden(8)
                .iterations(220)
                .checkpointEvery(100)
                .build();
        Path run = dir.resolve("run");
        try (TrainingRun r = TrainingRun.create(config, run, Plugins.discover(), "csv")) {
            r.run(new org.bptt.training.run.RunListener() {});
        }
        JsonNode t = TimingsFile.read(run);
        assertEquals(220, t.path("updates").asInt());
        double sum =
                t.path("startup_seconds").asDouble() + t.path("other_seconds").asDouble();
        for (Phase p : Phase.values()) {
            double s = t.path("phases").path(p.key()).path("seconds").asDouble(-1);
            assertTrue(s >= 0, p.key());
            sum += s;
        }
        assertTrue(t.path("phases").path("steps").path("seconds").asDouble() > 0);
        assertTrue(
                t.path("phases").path("checkpoints").path("seconds").asDouble() > 0, "three checkpoints were written");
        assertEquals(t.path("total_seconds").asDouble(), sum, 0.05, "the parts add up to the whole");
        // "other" is the remainder, so the sum above holds by construction; what can fail is the accounting itself:
        // a phase counted twice would make start-up and the phases exceed the JVM's whole time.
        double accounted = sum - t.path("other_seconds").asDouble();
        assertTrue(accounted <= t.path("total_seconds").asDouble() + 0.01, "no time counted twice: " + t);
        JsonNode steps = t.path("phases").path("steps");
        assertTrue(
                steps.path("cpu_seconds").asDouble() <= steps.path("seconds").asDouble() + 0.01,
                "one training thread cannot use more CPU than wall time: " + steps);
        assertTrue(t.has("steady_ms_per_update") && t.has("jit_warmup_seconds"));
        if (Path.of("/proc/self/status").toFile().exists()) {
            assertTrue(t.path("peak_rss_bytes").asLong() > 10L << 20, "a JVM's peak resident memory");
        }
    }
}
