package org.bptt.training.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.bptt.training.RunTimings;

/**
 * A whole training run in a fresh JVM, timed, and its time split by the run's {@code timings.json}:
 * start-up, each phase, the JIT's warm-up, and the rest of the process's wall time.
 */
public final class EndToEndRun {
    private static final String INCUBATOR_NOTICE = "WARNING: Using incubator modules: jdk.incubator.vector";

    private EndToEndRun() {}

    /** How the child process ended: its exit code and its wall time from start to exit. */
    public record Outcome(int exitCode, double wallSeconds) {}

    /**
     * Runs {@code command} with this process's standard input and output, passing its standard
     * error to {@code errors} as it comes (a progress bar redraws without newlines), less the
     * JVM's incubator notice; waits for it to end.
     */
    public static Outcome run(List<String> command, OutputStream errors) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .start();
        Thread passing = Thread.ofVirtual().start(() -> passErrors(p, errors));
        int code = p.waitFor();
        passing.join();
        return new Outcome(code, (System.nanoTime() - start) / 1e9);
    }

    private static void passErrors(Process p, OutputStream errors) {
        try (var in = p.getErrorStream()) {
            byte[] notice = (INCUBATOR_NOTICE + "\n").getBytes(StandardCharsets.UTF_8);
            byte[] head = in.readNBytes(notice.length);
            if (!Arrays.equals(head, notice)) {
                errors.write(head);
            }
            in.transferTo(errors);
            errors.flush();
        } catch (IOException e) {
            // The run's own exit code says whether it failed.
        }
    }

    /** The run's timings with the process's wall time, the CPU and the run's folder beside them. */
    public static ObjectNode json(JsonNode timings, double wall, String cpu, Path run) {
        ObjectNode r = ((ObjectNode) timings).deepCopy();
        r.put("process_wall_seconds", wall);
        r.put("cpu", cpu);
        r.put("run", run.toString());
        return r;
    }

    /** The split as a table: each part's seconds and share of the process's wall time. */
    public static String table(JsonNode t, double wall, String cpu) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                Locale.ROOT,
                "end to end: %.1f s for %d updates on %s%n",
                wall,
                t.path("updates").asInt(),
                cpu));
        row(
                b,
                "start-up (JVM start to the first update)",
                t.path("startup_seconds").asDouble(Double.NaN),
                wall);
        double accounted = t.path("startup_seconds").asDouble(0);
        for (RunTimings.Phase p : RunTimings.Phase.values()) {
            double s = t.path("phases").path(p.key()).path("seconds").asDouble(Double.NaN);
            row(b, p.key(), s, wall);
            if (p == RunTimings.Phase.STEPS && t.has("jit_warmup_seconds")) {
                row(
                        b,
                        "  of which JIT warm-up (beyond the steady rate)",
                        t.path("jit_warmup_seconds").asDouble(),
                        wall);
            }
            accounted += Double.isNaN(s) ? 0 : s;
        }
        row(b, "the rest (JVM exit, summary)", Math.max(0, wall - accounted), wall);
        if (t.has("steady_ms_per_update")) {
            b.append(String.format(
                    Locale.ROOT,
                    "steady update: %.2f ms%n",
                    t.path("steady_ms_per_update").asDouble()));
        }
        if (t.has("first_1000_updates_seconds")) {
            b.append(String.format(
                    Locale.ROOT,
                    "first 1000 updates: %.1f s%n",
                    t.path("first_1000_updates_seconds").asDouble()));
        }
        if (t.has("peak_rss_bytes")) {
            b.append(String.format(
                    Locale.ROOT,
                    "peak resident memory: %d MB (heap at most %d MB)%n",
                    t.path("peak_rss_bytes").asLong() >> 20,
                    t.path("max_heap_bytes").asLong() >> 20));
        }
        return b.toString();
    }

    private static void row(StringBuilder b, String what, double seconds, double wall) {
        if (Double.isNaN(seconds)) {
            return;
        }
        b.append(String.format(Locale.ROOT, "  %-50s %8.2f s  %5.1f%%%n", what, seconds, 100 * seconds / wall));
    }
}
