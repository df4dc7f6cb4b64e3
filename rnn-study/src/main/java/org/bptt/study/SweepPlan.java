package org.bptt.study;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.bptt.api.internal.io.AtomicFile;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.config.Json;
import org.bptt.training.config.RunConfig;
import org.bptt.training.eval.EvaluationSettings;

/**
 * What a sweep trains: every entry's whole run configuration, decided before anything runs and
 * saved as {@code plan.json} in the sweep folder. The plan is the truth a sweep is resumed,
 * sharded, collected or run elsewhere from: the same plan gives the same runs, bit for bit,
 * whoever runs it. Immutable.
 *
 * @param title      what the sweep is about, one line
 * @param varied     the names of the settings that vary, in column order (the seed is separate)
 * @param evaluation how every run is evaluated on held-out data
 * @param entries    the trainings, in plan order (entry i has index i)
 */
public record SweepPlan(String title, List<String> varied, EvaluationSettings evaluation, List<PlanEntry> entries) {
    public static final String FILE = "plan.json";
    /** Where run folders live inside a sweep folder. */
    public static final String RUNS = "runs";

    static final int FORMAT = 1;
    /**
     * The most runs one sweep may hold: far more than a machine trains in a week, few enough that
     * the plan, its folders and its locks are small. Checked before any combination is built.
     */
    public static final int MAX_RUNS = 10_000;

    public SweepPlan {
        requireNonNull(title, "title is null");
        requireNonNull(evaluation, "evaluation is null");
        varied = List.copyOf(varied);
        entries = List.copyOf(entries);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            PlanEntry e = entries.get(i);
            if (e.index() != i) {
                throw new IllegalArgumentException("entry " + e.id() + " has index " + e.index() + " at position " + i);
            }
            if (!ids.add(e.id())) {
                throw new IllegalArgumentException("two entries share the id " + e.id());
            }
        }
        if (entries.isEmpty()) {
            throw new ConfigurationException("a sweep needs at least one run");
        }
    }

    /**
     * A plan of every combination (in order) for every seed, each configured by {@code configure}
     * from the combination's values and the seed. Ids are the index, then the values and the seed.
     */
    public static SweepPlan of(
            String title,
            List<String> varied,
            EvaluationSettings evaluation,
            List<Map<String, String>> combinations,
            List<Long> seeds,
            Configurer configure) {
        long total = requireRuns(
                (long) combinations.size() * seeds.size(),
                combinations.size() + " combinations × " + seeds.size() + " seeds");
        List<PlanEntry> entries = new ArrayList<>();
        int width = Math.max(3, Long.toString(total - 1).length());
        for (Map<String, String> combination : combinations) {
            for (long seed : seeds) {
                int index = entries.size();
                RunConfig c = configure.config(combination, seed);
                if (c.seed() != seed) {
                    throw new IllegalStateException(
                            "the configuration of " + combination + " has seed " + c.seed() + ", not " + seed);
                }
                entries.add(new PlanEntry(index, id(index, width, combination, seed), combination, c));
            }
        }
        return new SweepPlan(title, varied, evaluation, entries);
    }

    /**
     * {@code runs} when within {@link #MAX_RUNS}; otherwise one sentence naming the limit and what
     * made the number ({@code how}). A negative number stands for one too large to count.
     */
    public static long requireRuns(long runs, String how) {
        if (runs > MAX_RUNS || runs < 0) {
            throw new ConfigurationException(
                    "the sweep would hold " + (runs < 0 ? "more" : Long.toString(runs)) + " runs (" + how
                            + "), more than the " + MAX_RUNS + " one sweep may hold; split it into several sweeps");
        }
        return runs;
    }

    /** Makes the run configuration of one combination of values and one seed. */
    @FunctionalInterface
    public interface Configurer {
        RunConfig config(Map<String, String> values, long seed);
    }

    /** {@code 007-radius=0.5-policy=none-seed=2}: readable, and a plain folder name on any system. */
    static String id(int index, int width, Map<String, String> values, long seed) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%0" + width + "d", index));
        values.forEach((k, v) -> b.append('-').append(k).append('=').append(v));
        b.append("-seed=").append(seed);
        String s = b.toString().replaceAll("[^A-Za-z0-9._=+,-]", "_");
        return s.length() > 120 ? s.substring(0, 120) : s;
    }

    /** The entries of shard {@code i} of {@code n} (1-based): every n-th entry from the i-th, so slow settings spread. */
    public List<PlanEntry> shard(int i, int n) {
        if (n < 1 || i < 1 || i > n) {
            throw new ConfigurationException("a shard is i/n with 1 <= i <= n, got " + i + "/" + n);
        }
        List<PlanEntry> l = new ArrayList<>();
        for (PlanEntry e : entries) {
            if (e.index() % n == i - 1) {
                l.add(e);
            }
        }
        return l;
    }

    /** The seeds, in first-seen order. */
    public List<Long> seeds() {
        return entries.stream().map(PlanEntry::seed).distinct().toList();
    }

    public String toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("format", FORMAT);
        o.put("title", title);
        ArrayNode v = o.putArray("varied");
        varied.forEach(v::add);
        try {
            o.set("evaluation", Json.MAPPER.readTree(evaluation.toJson()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        ArrayNode es = o.putArray("entries");
        entries.forEach(e -> es.add(e.toTree()));
        return Json.write(o);
    }

    public static SweepPlan parse(String json, String source) {
        try {
            JsonNode o = Json.MAPPER.readTree(json);
            if (o == null
                    || !o.isObject()
                    || o.path("format").asInt(-1) != FORMAT
                    || !o.path("title").isTextual()
                    || !o.path("varied").isArray()
                    || !o.path("evaluation").isObject()
                    || !o.path("entries").isArray()) {
                throw new ConfigurationException(source + ": not a sweep plan of format " + FORMAT
                        + " (it needs 'format', 'title', 'varied', 'evaluation' and 'entries')");
            }
            List<String> varied = new ArrayList<>();
            o.get("varied").forEach(n -> varied.add(n.asText()));
            EvaluationSettings ev = EvaluationSettings.parse(o.get("evaluation").toString(), source);
            List<PlanEntry> entries = new ArrayList<>();
            for (JsonNode e : o.get("entries")) {
                entries.add(PlanEntry.fromTree(e, source));
            }
            return new SweepPlan(o.get("title").asText(), varied, ev, entries);
        } catch (JsonProcessingException e) {
            throw new ConfigurationException(source + ": " + Json.describe(e, "sweep plan"));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(source + ": " + e.getMessage());
        }
    }

    /** The plan saved in a sweep folder. */
    public static SweepPlan read(Path sweepFolder) {
        Path f = sweepFolder.resolve(FILE);
        if (!Files.exists(f)) {
            throw new ConfigurationException(sweepFolder + ": not a sweep folder (it has no " + FILE + ")");
        }
        return parse(Json.readText(f, "sweep plan"), f.toString());
    }

    /**
     * Saves the plan in {@code sweepFolder}, or checks that the plan saved there is this one: a
     * folder holds one sweep, and shards or a resumed sweep must all run the same plan.
     */
    public void writeOrCheck(Path sweepFolder) throws IOException {
        Path f = sweepFolder.resolve(FILE);
        if (Files.exists(f)) {
            SweepPlan saved = parse(Json.readText(f, "sweep plan"), f.toString());
            if (!saved.equals(this)) {
                throw new ConfigurationException(
                        sweepFolder + " holds another sweep (its " + FILE + " differs from this plan); "
                                + "choose another folder, or continue that sweep from its own plan");
            }
            return;
        }
        Files.createDirectories(sweepFolder);
        AtomicFile.writeString(f, toJson());
    }

    /** The run folder of an entry. */
    public static Path runFolder(Path sweepFolder, PlanEntry e) {
        return sweepFolder.resolve(RUNS).resolve(e.id());
    }
}
