package org.bptt.training.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bptt.api.internal.io.AtomicFile;
import org.bptt.training.RunTimings;
import org.bptt.training.RunTimings.Phase;
import org.bptt.training.config.Json;

/**
 * {@code timings.json}: where the last training session of a run spent its time (start-up, each
 * phase, the JIT's warm-up, the steady time of an update) and the process's peak resident
 * memory, written at the end of the session. What `rnn bench --end-to-end` reads.
 */
public final class TimingsFile {
    public static final String FILE = "timings.json";

    private TimingsFile() {}

    /** The session's figures as written to the file. */
    public static ObjectNode of(RunTimings t) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        double total = ManagementFactory.getRuntimeMXBean().getUptime() / 1e3;
        o.put("total_seconds", total);
        putFinite(o, "startup_seconds", t.startupSeconds());
        ObjectNode phases = o.putObject("phases");
        double accounted = Double.isNaN(t.startupSeconds()) ? 0 : t.startupSeconds();
        for (Phase p : Phase.values()) {
            ObjectNode n = phases.putObject(p.key());
            n.put("seconds", t.seconds(p));
            n.put("cpu_seconds", t.cpuSeconds(p));
            accounted += t.seconds(p);
        }
        o.put("other_seconds", Math.max(0, total - accounted));
        o.put("updates", t.updates());
        putFinite(o, "steady_ms_per_update", t.steadyMillisPerUpdate());
        putFinite(o, "jit_warmup_seconds", t.warmupSeconds());
        putFinite(o, "first_1000_updates_seconds", t.updates() >= 1000 ? t.updateSeconds(0, 1000) : Double.NaN);
        long rss = peakResidentBytes();
        if (rss > 0) {
            o.put("peak_rss_bytes", rss);
        }
        o.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
        o.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
        o.put("processors", Runtime.getRuntime().availableProcessors());
        return o;
    }

    /** A figure that is not measured (too few updates, no training) is left out. */
    private static void putFinite(ObjectNode o, String key, double value) {
        if (Double.isFinite(value)) {
            o.put(key, value);
        }
    }

    static void write(Path dir, RunTimings t) throws IOException {
        AtomicFile.writeString(dir.resolve(FILE), Json.write(of(t)) + "\n");
    }

    /** Reads a run's timings file. */
    public static JsonNode read(Path dir) throws IOException {
        return Json.MAPPER.readTree(Files.readString(dir.resolve(FILE)));
    }

    /** The process's peak resident set size in bytes (Linux's VmHWM), or -1 where the system does not say. */
    public static long peakResidentBytes() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/self/status"));
            for (String line : lines) {
                if (line.startsWith("VmHWM:")) {
                    String[] words = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(words[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or a /proc without VmHWM: the figure is simply absent.
        }
        return -1;
    }
}
