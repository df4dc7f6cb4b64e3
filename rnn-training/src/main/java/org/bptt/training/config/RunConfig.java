package org.bptt.training.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.LossMean;
import org.bptt.training.NonFinitePolicy;
import org.bptt.training.TrainerSettings;
import org.bptt.training.wiring.PluginChoice;
import org.bptt.training.wiring.TrainingConfig;

/**
 * Everything a training run is made from, saved as {@code config.json} beside its results so
 * that it can be repeated exactly: one value for each setting of {@link RunSettings}, the schema
 * that declares each setting's key, type, default and limits. The output folder is not part of
 * it. A plugin's options that are not given take the plugin's declared defaults.
 *
 * <p>Immutable. {@link #get} reads any setting; the named accessors ({@link #hidden()}, …) are
 * shorthands for the settings the platform itself reads most.
 */
public final class RunConfig {
    private final Map<RunSetting<?>, Object> values;

    private RunConfig(Map<RunSetting<?>, Object> values) {
        this.values = values;
    }

    /**
     * The embedded default: the adding problem, which a vanilla tanh RNN visibly learns in
     * seconds, with Adam and clipping by global norm. Plugin options are the plugins' defaults.
     */
    public static RunConfig defaults() {
        Map<RunSetting<?>, Object> v = new LinkedHashMap<>();
        for (RunSetting<?> s : RunSettings.all()) {
            v.put(s, s.defaultValue());
        }
        return new RunConfig(v);
    }

    /** The value of a setting (null only for a plugin setting that is none unless named, such as the loss). */
    public <T> T get(RunSetting<T> setting) {
        if (!values.containsKey(setting)) {
            throw new IllegalArgumentException(setting.key() + " is not a setting of RunSettings");
        }
        return setting.type().cast(values.get(setting));
    }

    /** Checks every setting against its declared limits; messages name the setting by its key. */
    public RunConfig validate() {
        for (RunSetting<?> s : values.keySet()) {
            checkOne(s, s.key());
        }
        return this;
    }

    private <T> void checkOne(RunSetting<T> s, String what) {
        s.requireValid(get(s), what);
    }

    public PluginChoice task() {
        return get(RunSettings.TASK);
    }

    public int hidden() {
        return get(RunSettings.HIDDEN);
    }

    public PluginChoice cell() {
        return get(RunSettings.CELL);
    }
    /** Null: the task's own loss. */
    public PluginChoice loss() {
        return get(RunSettings.LOSS);
    }

    public PluginChoice optimizer() {
        return get(RunSettings.OPTIMIZER);
    }

    public PluginChoice policy() {
        return get(RunSettings.POLICY);
    }

    public PluginChoice truncation() {
        return get(RunSettings.TRUNCATION);
    }

    public PluginChoice initializer() {
        return get(RunSettings.INITIALIZER);
    }

    public int batch() {
        return get(RunSettings.BATCH);
    }

    public long iterations() {
        return get(RunSettings.ITERATIONS);
    }

    public long seed() {
        return get(RunSettings.SEED);
    }

    public int threads() {
        return get(RunSettings.THREADS);
    }

    public String backend() {
        return get(RunSettings.BACKEND);
    }

    public LossMean lossMean() {
        return get(RunSettings.LOSS_MEAN);
    }

    public boolean updatePerWindow() {
        return get(RunSettings.UPDATE_PER_WINDOW);
    }

    public NonFinitePolicy nonFinite() {
        return get(RunSettings.NON_FINITE);
    }

    public long checkpointEvery() {
        return get(RunSettings.CHECKPOINT_EVERY);
    }

    public long diagnosticsEvery() {
        return get(RunSettings.DIAGNOSTICS_EVERY);
    }
    /** See {@link RunSettings#STATEFUL}; the task must {@linkplain org.bptt.api.data.Task#canStream stream}. */
    public boolean stateful() {
        return get(RunSettings.STATEFUL);
    }

    /** Every plugin setting that holds a plugin (the loss only when one is named), in the schema's order. */
    public Map<RunSetting<PluginChoice>, PluginChoice> plugins() {
        Map<RunSetting<PluginChoice>, PluginChoice> m = new LinkedHashMap<>();
        for (RunSetting<?> s : values.keySet()) {
            if (s.kind() == RunSetting.Kind.PLUGIN && values.get(s) != null) {
                m.put(RunSettings.plugin(s), (PluginChoice) values.get(s));
            }
        }
        return m;
    }

    /** The trainer's part, once the task's sizes are known. */
    public TrainingConfig trainingConfig(int inputSize, int outputSize, String taskLoss) {
        return new TrainingConfig(
                inputSize,
                hidden(),
                outputSize,
                cell(),
                loss() == null ? PluginChoice.of(taskLoss) : loss(),
                optimizer(),
                policy(),
                truncation(),
                initializer(),
                seed(),
                backend(),
                threads(),
                new TrainerSettings(lossMean(), updatePerWindow(), nonFinite(), true));
    }

    public RunConfig withIterations(long n) {
        return toBuilder().iterations(n).build();
    }

    public RunConfig withThreads(int n) {
        return toBuilder().threads(n).build();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** As {@code config.json} holds it: every setting by its key, in the schema's order. */
    @JsonValue
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        values.forEach((s, v) -> m.put(s.key(), toJson(s, v)));
        return m;
    }

    private static <T> Object toJson(RunSetting<T> s, Object v) {
        return s.toJson(s.type().cast(v));
    }

    /**
     * What a misspelt field should have been: the known field within two edits, else where every
     * accepted field is shown (a list of all of them grew past a readable sentence).
     */
    static String accepted(String field, List<String> known) {
        String near = null;
        int best = 3;
        for (String k : known) {
            int d = editDistance(field.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT));
            if (d < best) {
                best = d;
                near = k;
            }
        }
        return near != null
                ? "did you mean '" + near + "'?"
                : "the " + known.size() + " accepted fields are those of the config.json a run writes";
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(
                        Math.min(cur[j - 1], prev[j]) + 1, prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /**
     * Reads {@code config.json}'s object: an unknown field, a missing field the file must hold, a
     * value of the wrong type or out of its range is refused in one sentence naming the field. A
     * setting added after the file was written reads as its default.
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static RunConfig fromJson(JsonNode node) {
        if (node == null || node.isNull() || !node.isObject()) {
            throw new ConfigurationException("a run configuration must be a JSON object, got "
                    + (node == null || node.isNull()
                            ? "null"
                            : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        List<String> known = RunSettings.all().stream().map(RunSetting::key).toList();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw new ConfigurationException(
                        "unknown field '" + f + "' in the run configuration; " + accepted(f, known));
            }
        }
        Map<RunSetting<?>, Object> v = new LinkedHashMap<>();
        for (RunSetting<?> s : RunSettings.all()) {
            v.put(s, s.fromJson(node.get(s.key()), "the field '" + s.key() + "'"));
        }
        RunSettings.requireLayers((Integer) v.get(RunSettings.LAYERS), (Double) v.get(RunSettings.DROPOUT), (Boolean)
                v.get(RunSettings.VARIATIONAL_DROPOUT));
        return new RunConfig(v);
    }

    /** The keys of the settings in which two configurations differ, in the schema's order. */
    public List<String> differences(RunConfig other) {
        List<String> d = new ArrayList<>();
        values.forEach((s, v) -> {
            if (!Objects.equals(v, other.values.get(s))) {
                d.add(s.key());
            }
        });
        return d;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunConfig c && values.equals(c.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "RunConfig" + json();
    }

    /**
     * A configuration changed setting by setting: start from {@link #defaults()} or another
     * configuration; {@link #build()} checks every setting's limits.
     */
    public static final class Builder {
        private final Map<RunSetting<?>, Object> values;

        private Builder(RunConfig c) {
            values = new LinkedHashMap<>(c.values);
        }

        /** Sets any setting of {@link RunSettings}. */
        public <T> Builder set(RunSetting<T> setting, T value) {
            if (!values.containsKey(setting)) {
                throw new IllegalArgumentException(setting.key() + " is not a setting of RunSettings");
            }
            values.put(setting, value);
            return this;
        }

        public <T> T get(RunSetting<T> setting) {
            return setting.type().cast(values.get(setting));
        }

        public PluginChoice task() {
            return get(RunSettings.TASK);
        }

        public PluginChoice cell() {
            return get(RunSettings.CELL);
        }

        public PluginChoice loss() {
            return get(RunSettings.LOSS);
        }

        public PluginChoice optimizer() {
            return get(RunSettings.OPTIMIZER);
        }

        public PluginChoice policy() {
            return get(RunSettings.POLICY);
        }

        public PluginChoice truncation() {
            return get(RunSettings.TRUNCATION);
        }

        public PluginChoice initializer() {
            return get(RunSettings.INITIALIZER);
        }

        // Shorthands of set(...) for the settings the platform's own code sets most.
        public Builder task(PluginChoice v) {
            return set(RunSettings.TASK, v);
        }

        public Builder hidden(int v) {
            return set(RunSettings.HIDDEN, v);
        }

        public Builder cell(PluginChoice v) {
            return set(RunSettings.CELL, v);
        }
        /** Null: the task's own loss. */
        public Builder loss(PluginChoice v) {
            return set(RunSettings.LOSS, v);
        }

        public Builder optimizer(PluginChoice v) {
            return set(RunSettings.OPTIMIZER, v);
        }

        public Builder policy(PluginChoice v) {
            return set(RunSettings.POLICY, v);
        }

        public Builder truncation(PluginChoice v) {
            return set(RunSettings.TRUNCATION, v);
        }

        public Builder initializer(PluginChoice v) {
            return set(RunSettings.INITIALIZER, v);
        }

        public Builder batch(int v) {
            return set(RunSettings.BATCH, v);
        }

        public Builder iterations(long v) {
            return set(RunSettings.ITERATIONS, v);
        }

        public Builder seed(long v) {
            return set(RunSettings.SEED, v);
        }

        public Builder threads(int v) {
            return set(RunSettings.THREADS, v);
        }

        public Builder backend(String v) {
            return set(RunSettings.BACKEND, v);
        }

        public Builder lossMean(LossMean v) {
            return set(RunSettings.LOSS_MEAN, v);
        }

        public Builder updatePerWindow(boolean v) {
            return set(RunSettings.UPDATE_PER_WINDOW, v);
        }

        public Builder nonFinite(NonFinitePolicy v) {
            return set(RunSettings.NON_FINITE, v);
        }

        public Builder checkpointEvery(long v) {
            return set(RunSettings.CHECKPOINT_EVERY, v);
        }

        public Builder diagnosticsEvery(long v) {
            return set(RunSettings.DIAGNOSTICS_EVERY, v);
        }

        public Builder stateful(boolean v) {
            return set(RunSettings.STATEFUL, v);
        }

        public RunConfig build() {
            return new RunConfig(new LinkedHashMap<>(values)).validate();
        }
    }
}
