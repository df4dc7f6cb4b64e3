package org.bptt.training.run;

import java.util.Locale;

import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.LossMean;
import org.bptt.training.NonFinitePolicy;
import org.bptt.training.TrainerSettings;
import org.bptt.training.wiring.PluginChoice;
import org.bptt.training.wiring.TrainingConfig;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.OptBoolean;

/**
 * Everything a training run is made from, saved as {@code config.json} beside its results so
 * that it can be repeated exactly. The output folder is not part of it. A plugin's options that
 * are not given take the plugin's declared defaults (the one source of every default).
 *
 * @param task             the data
 * @param hidden           H
 * @param cell             the cell and its options
 * @param loss             the loss; null takes the task's own
 * @param optimizer        with its hyper-parameters
 * @param policy           gradient policy
 * @param truncation       full or tbptt
 * @param initializer      initial parameters
 * @param batch            sequences per iteration
 * @param iterations       how many iterations in all
 * @param seed             fixes initialization and every batch
 * @param threads          kernel threads
 * @param backend          auto, scalar or simd
 * @param lossMean         sequence or step
 * @param updatePerWindow  with tbptt: update after every window (Williams &amp; Peng) or once per iteration
 * @param nonFinite        stop or skip
 * @param checkpointEvery  iterations between checkpoints (0: only at the end)
 * @param diagnosticsEvery iterations between spectrum and gradient-flow measurements
 * @param stateful         train the task's data as {@code batch} long streams in consecutive chunks of
 *                         the task's steps, the state carried from each chunk to the next (the task must
 *                         {@linkplain org.bptt.api.data.Task#canStream stream}); false draws independent
 *                         sequences. Absent from a configuration file written before it existed: false.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record RunConfig(PluginChoice task, int hidden, PluginChoice cell, PluginChoice loss, PluginChoice optimizer,
                        PluginChoice policy, PluginChoice truncation, PluginChoice initializer, int batch,
                        long iterations, long seed, int threads, String backend, String lossMean,
                        boolean updatePerWindow, String nonFinite, long checkpointEvery, long diagnosticsEvery,
                        // Optional in files (the strict mapper otherwise requires every field): missing reads as null, then false.
                        @JacksonInject(value = "stateful", useInput = OptBoolean.TRUE, optional = OptBoolean.TRUE)
                        @JsonProperty("stateful") Boolean stateful) {

    public RunConfig {
        stateful = Boolean.TRUE.equals(stateful);
        present("task", task);
        present("cell", cell);
        present("optimizer", optimizer);
        present("policy", policy);
        present("truncation", truncation);
        present("initializer", initializer);
        present("backend", backend);
        present("lossMean", lossMean);
        present("nonFinite", nonFinite);
    }

    private static void present(String field, Object value) {
        if (value == null) {
            throw new ConfigurationException("the run configuration's field '" + field + "' must not be null");
        }
    }

    /**
     * The embedded default: the adding problem, which a vanilla tanh RNN visibly learns in
     * seconds, with Adam and clipping by global norm. Plugin options are the plugins' defaults.
     */
    public static RunConfig defaults() {
        return new RunConfig(PluginChoice.of("adding"), 64, PluginChoice.of("vanilla"), null, PluginChoice.of("adam"),
                PluginChoice.of("clip-norm"), PluginChoice.of("full"), PluginChoice.of("orthogonal"), 32, 8000, 1, 1,
                "auto", "sequence", true, "stop", 1000, 20, false);
    }

    /** Checks what the plugins themselves cannot: sizes and counts. */
    public RunConfig validate() {
        positive("hidden size", hidden);
        positive("batch size", batch);
        if (iterations < 0) {
            throw new ConfigurationException("the number of iterations must be 0 or more, got " + iterations);
        }
        positive("the number of threads", threads);
        if (checkpointEvery < 0) {
            throw new ConfigurationException("the checkpoint interval must be 0 (only at the end) or more, got " + checkpointEvery);
        }
        if (diagnosticsEvery < 1) {
            throw new ConfigurationException("the diagnostics interval must be at least 1, got " + diagnosticsEvery);
        }
        lossMeanValue();
        nonFiniteValue();
        if (!org.bptt.api.kernel.Backends.names().contains(backend)) {
            throw new ConfigurationException("the backend must be " + String.join(", ", org.bptt.api.kernel.Backends.names())
                    + ", got " + org.bptt.api.plugin.PluginOptions.shown(backend));
        }
        return this;
    }

    private static void positive(String what, long v) {
        if (v < 1) {
            throw new ConfigurationException(what + " must be at least 1, got " + v);
        }
    }

    public LossMean lossMeanValue() {
        return switch (lossMean.toLowerCase(Locale.ROOT)) {
            case "sequence" -> LossMean.SEQUENCE;
            case "step" -> LossMean.STEP;
            default -> throw new ConfigurationException("the loss mean must be sequence or step, got '" + lossMean + "'");
        };
    }

    public NonFinitePolicy nonFiniteValue() {
        return switch (nonFinite.toLowerCase(Locale.ROOT)) {
            case "stop" -> NonFinitePolicy.STOP;
            case "skip" -> NonFinitePolicy.SKIP;
            default -> throw new ConfigurationException("the non-finite policy must be stop or skip, got '" + nonFinite + "'");
        };
    }

    /** The trainer's part, once the task's sizes are known. */
    public TrainingConfig trainingConfig(int inputSize, int outputSize, String taskLoss) {
        return new TrainingConfig(inputSize, hidden, outputSize, cell, loss == null ? PluginChoice.of(taskLoss) : loss,
                optimizer, policy, truncation, initializer, seed, backend, threads,
                new TrainerSettings(lossMeanValue(), updatePerWindow, nonFiniteValue(), true));
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

    /** A configuration changed field by field: start from {@link #defaults()} or another configuration. */
    public static final class Builder {
        private PluginChoice task;
        private int hidden;
        private PluginChoice cell;
        private PluginChoice loss;
        private PluginChoice optimizer;
        private PluginChoice policy;
        private PluginChoice truncation;
        private PluginChoice initializer;
        private int batch;
        private long iterations;
        private long seed;
        private int threads;
        private String backend;
        private String lossMean;
        private boolean updatePerWindow;
        private String nonFinite;
        private long checkpointEvery;
        private long diagnosticsEvery;
        private boolean stateful;

        private Builder(RunConfig c) {
            task = c.task;
            hidden = c.hidden;
            cell = c.cell;
            loss = c.loss;
            optimizer = c.optimizer;
            policy = c.policy;
            truncation = c.truncation;
            initializer = c.initializer;
            batch = c.batch;
            iterations = c.iterations;
            seed = c.seed;
            threads = c.threads;
            backend = c.backend;
            lossMean = c.lossMean;
            updatePerWindow = c.updatePerWindow;
            nonFinite = c.nonFinite;
            checkpointEvery = c.checkpointEvery;
            diagnosticsEvery = c.diagnosticsEvery;
            stateful = c.stateful;
        }

        public PluginChoice task() { return task; }
        public PluginChoice cell() { return cell; }
        public PluginChoice loss() { return loss; }
        public PluginChoice optimizer() { return optimizer; }
        public PluginChoice policy() { return policy; }
        public PluginChoice truncation() { return truncation; }
        public PluginChoice initializer() { return initializer; }

        public Builder task(PluginChoice v) { task = v; return this; }
        public Builder hidden(int v) { hidden = v; return this; }
        public Builder cell(PluginChoice v) { cell = v; return this; }
        /** Null: the task's own loss. */
        public Builder loss(PluginChoice v) { loss = v; return this; }
        public Builder optimizer(PluginChoice v) { optimizer = v; return this; }
        public Builder policy(PluginChoice v) { policy = v; return this; }
        public Builder truncation(PluginChoice v) { truncation = v; return this; }
        public Builder initializer(PluginChoice v) { initializer = v; return this; }
        public Builder batch(int v) { batch = v; return this; }
        public Builder iterations(long v) { iterations = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder threads(int v) { threads = v; return this; }
        public Builder backend(String v) { backend = v; return this; }
        public Builder lossMean(LossMean v) { lossMean = v.name().toLowerCase(Locale.ROOT); return this; }
        public Builder updatePerWindow(boolean v) { updatePerWindow = v; return this; }
        public Builder nonFinite(NonFinitePolicy v) { nonFinite = v.name().toLowerCase(Locale.ROOT); return this; }
        public Builder checkpointEvery(long v) { checkpointEvery = v; return this; }
        public Builder diagnosticsEvery(long v) { diagnosticsEvery = v; return this; }
        /** Train the task's data as streams, the state carried across batches (see {@link RunConfig#stateful}). */
        public Builder stateful(boolean v) { stateful = v; return this; }

        public RunConfig build() {
            return new RunConfig(task, hidden, cell, loss, optimizer, policy, truncation, initializer, batch, iterations, seed,
                    threads, backend, lossMean, updatePerWindow, nonFinite, checkpointEvery, diagnosticsEvery, stateful).validate();
        }
    }
}
