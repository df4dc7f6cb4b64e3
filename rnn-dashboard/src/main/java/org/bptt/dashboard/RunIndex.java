package org.bptt.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.bptt.training.config.Json;
import org.bptt.training.run.MetricsFile;
import org.bptt.training.run.RunOutcome;
import org.bptt.training.run.TrainingRun;

/**
 * The run list's one line per run, cached in memory by folder and re-read only when the folder's
 * {@code config.json} or metrics file changes (modification time and size): a listing of thousands
 * of runs reads each run's small files once, never its diagnostics or checkpoint. A line holds the
 * run's settings flattened ({@code optimizer.lr = 0.003}), for search and grouping, and what the
 * last complete metrics row says. A {@code config.json} that does not parse (one being written) is
 * not taken: the line read before stays, or the run waits for the next listing. Thread-safe.
 */
final class RunIndex {
    /** What the list shows of one run. */
    record Line(
            String id,
            String name,
            Map<String, String> settings,
            long asked,
            long reached,
            double lastLoss,
            long updated) {
        /** "task — cell, H=hidden", as the reports title a run. */
        String title() {
            return settings.getOrDefault("task", "?") + " — " + settings.getOrDefault("cell", "?") + ", H="
                    + settings.getOrDefault("hidden", "?");
        }
    }

    private record Stamp(long config, long metrics) {}

    private record Entry(Stamp stamp, Line line) {}

    private record Judged(long stamp, RunOutcome outcome) {}

    private final Map<Path, Entry> entries = new ConcurrentHashMap<>();
    private final Map<Path, Judged> outcomes = new ConcurrentHashMap<>();

    /**
     * The lines of the runs in {@code folders} (id to folder), in that order; runs whose files do
     * not parse yet are left out, and every run not named is forgotten.
     */
    List<Line> lines(Map<String, Path> folders, String rootName) {
        Set<Path> present = new HashSet<>(folders.values());
        entries.keySet().retainAll(present);
        outcomes.keySet().retainAll(present);
        // Reading is I/O and parsing, independent per run: a first listing of thousands uses every core.
        return folders.entrySet().parallelStream()
                .map(e -> line(e.getKey(), e.getValue(), rootName))
                .filter(java.util.Objects::nonNull)
                .toList();
    }

    private Line line(String id, Path dir, String rootName) {
        Path metrics = metricsFile(dir);
        Stamp stamp = new Stamp(stamp(dir.resolve(TrainingRun.CONFIG)), metrics == null ? 0 : stamp(metrics));
        Entry e = entries.get(dir);
        if (e != null && e.stamp.equals(stamp)) {
            return e.line;
        }
        Line l = read(id, dir, metrics, rootName);
        if (l == null) {
            return e == null ? null : e.line;
        }
        entries.put(dir, new Entry(stamp, l));
        return l;
    }

    /**
     * The outcome of the run in {@code dir}, its file read again only when it changed. A running
     * record is judged anew every time (its process may be gone without a word), and so is a
     * folder without the file (its outcome is derived from files that change).
     */
    RunOutcome outcome(Path dir) {
        long s = stamp(dir.resolve(RunOutcome.FILE));
        Judged j = outcomes.get(dir);
        if (j != null && s != 0 && j.stamp == s && j.outcome.state() != RunOutcome.State.RUNNING) {
            return j.outcome;
        }
        RunOutcome o = RunOutcome.read(dir);
        outcomes.put(dir, new Judged(s, o));
        return o;
    }

    /** How many runs are cached (for tests). */
    int size() {
        return entries.size();
    }

    private static Path metricsFile(Path dir) {
        for (String format : MetricsFile.FORMATS) {
            Path p = dir.resolve(MetricsFile.fileName(format));
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                return p;
            }
        }
        return null;
    }

    private static long stamp(Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.isRegularFile() ? a.lastModifiedTime().toMillis() * 31 + a.size() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static Line read(String id, Path dir, Path metrics, String rootName) {
        JsonNode cfg;
        long updated;
        try {
            Path config = dir.resolve(TrainingRun.CONFIG);
            cfg = Json.MAPPER.readTree(Files.readAllBytes(config));
            updated =
                    Files.getLastModifiedTime(config, LinkOption.NOFOLLOW_LINKS).toMillis();
        } catch (IOException e) {
            return null; // half written, or gone: not taken
        }
        if (cfg == null || !cfg.isObject()) {
            return null;
        }
        Map<String, String> settings = new TreeMap<>();
        flatten("", cfg, settings);
        long reached = 0;
        double lastLoss = Double.NaN;
        if (metrics != null) {
            try {
                updated = Math.max(
                        updated,
                        Files.getLastModifiedTime(metrics, LinkOption.NOFOLLOW_LINKS)
                                .toMillis());
                Map<String, String> row = MetricsFile.lastRow(metrics);
                if (row != null) {
                    reached = Long.parseLong(row.get("iteration")) + 1;
                    lastLoss = number(row.get("loss"));
                }
            } catch (IOException | RuntimeException e) {
                // A metrics file being cut back or rewritten: the run shows no progress until the next listing.
            }
        }
        long asked = cfg.path("iterations").asLong(0);
        String name = id.equals(".") ? rootName : id;
        return new Line(id, name, java.util.Collections.unmodifiableMap(settings), asked, reached, lastLoss, updated);
    }

    /**
     * The settings as flat keys: a plugin choice {@code {"name": n, "options": {k: v}}} becomes
     * {@code key = n} and {@code key.k = v}; nulls are left out.
     */
    static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return;
        }
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> f = it.next();
                String key = f.getKey();
                if (key.equals("name") && node.has("options") && !prefix.isEmpty()) {
                    out.put(prefix, f.getValue().asText());
                } else if (key.equals("options") && node.has("name") && !prefix.isEmpty()) {
                    flatten(prefix, f.getValue(), out);
                } else {
                    flatten(prefix.isEmpty() ? key : prefix + "." + key, f.getValue(), out);
                }
            }
        } else if (node.isArray()) {
            out.put(prefix, node.toString());
        } else {
            out.put(prefix, node.asText());
        }
    }

    private static double number(String s) {
        if (s == null || s.isEmpty() || s.equals("null")) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** The keys whose values differ between {@code lines}: what a sweep varied. */
    static List<String> variedKeys(Collection<Line> lines) {
        Map<String, Set<String>> values = new TreeMap<>();
        for (Line l : lines) {
            l.settings()
                    .forEach((k, v) ->
                            values.computeIfAbsent(k, x -> new HashSet<>()).add(v));
        }
        return values.entrySet().stream()
                .filter(e -> e.getValue().size() > 1
                        || lines.stream().anyMatch(l -> !l.settings().containsKey(e.getKey())))
                .map(Map.Entry::getKey)
                .toList();
    }
}
