package org.bptt.cli.train;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Map;

import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.LossMean;
import org.bptt.training.NonFinitePolicy;
import org.bptt.training.TrainerSettings;
import org.bptt.training.wiring.PluginChoice;
import org.bptt.training.wiring.TrainingConfig;

/**
 * Everything a training run is made from, saved as {@code config.json} beside its results so
 * that {@code train --config FILE} repeats it exactly. The output folder is not part of it.
 *
 * @param task             the data
 * @param hidden           H
 * @param cell             the cell and its options
 * @param loss             ce or mse; null takes the task's own
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
 */
public record RunConfig(PluginChoice task, int hidden, PluginChoice cell, String loss, PluginChoice optimizer,
                        PluginChoice policy, PluginChoice truncation, PluginChoice initializer, int batch,
                        long iterations, long seed, int threads, String backend, String lossMean,
                        boolean updatePerWindow, String nonFinite, long checkpointEvery, long diagnosticsEvery) {

    public RunConfig {
        requireNonNull(task, "task is null");
        requireNonNull(cell, "cell is null");
        requireNonNull(optimizer, "optimizer is null");
        requireNonNull(policy, "policy is null");
        requireNonNull(truncation, "truncation is null");
        requireNonNull(initializer, "initializer is null");
        requireNonNull(backend, "backend is null");
        requireNonNull(lossMean, "lossMean is null");
        requireNonNull(nonFinite, "nonFinite is null");
    }

    /** The embedded default: the adding problem, which a vanilla RNN visibly learns in about a minute. */
    public static RunConfig defaults() {
        return new RunConfig(new PluginChoice("adding", Map.of("steps", "40")), 64,
                new PluginChoice("vanilla", Map.of("activation", "tanh")), null,
                new PluginChoice("adam", Map.of("lr", "0.002")), new PluginChoice("clip-norm", Map.of("threshold", "1.0")),
                PluginChoice.of("full"), PluginChoice.of("orthogonal"), 32, 8000, 1, 1, "auto", "sequence", true, "stop",
                1000, 20);
    }

    /** Checks what the plugins themselves cannot: sizes and counts. */
    public RunConfig validate() {
        positive("hidden size (--hidden)", hidden);
        positive("batch size (--batch)", batch);
        if (iterations < 1) {
            throw new ConfigurationException("iterations (--iterations) must be at least 1, got " + iterations);
        }
        positive("threads (--threads)", threads);
        if (checkpointEvery < 0) {
            throw new ConfigurationException("--checkpoint-every must be 0 (only at the end) or more, got " + checkpointEvery);
        }
        if (diagnosticsEvery < 1) {
            throw new ConfigurationException("--diagnostics-every must be at least 1, got " + diagnosticsEvery);
        }
        lossMeanValue();
        nonFiniteValue();
        return this;
    }

    private static void positive(String what, long v) {
        if (v < 1) {
            throw new ConfigurationException(what + " must be at least 1, got " + v);
        }
    }

    LossMean lossMeanValue() {
        return switch (lossMean.toLowerCase(Locale.ROOT)) {
            case "sequence" -> LossMean.SEQUENCE;
            case "step" -> LossMean.STEP;
            default -> throw new ConfigurationException("--loss-mean must be sequence or step, got '" + lossMean + "'");
        };
    }

    NonFinitePolicy nonFiniteValue() {
        return switch (nonFinite.toLowerCase(Locale.ROOT)) {
            case "stop" -> NonFinitePolicy.STOP;
            case "skip" -> NonFinitePolicy.SKIP;
            default -> throw new ConfigurationException("--non-finite must be stop or skip, got '" + nonFinite + "'");
        };
    }

    /** The trainer's part, once the task's sizes are known. */
    TrainingConfig trainingConfig(int inputSize, int outputSize, String taskLoss) {
        return new TrainingConfig(inputSize, hidden, outputSize, cell, PluginChoice.of(loss == null ? taskLoss : loss),
                optimizer, policy, truncation, initializer, seed, backend, threads,
                new TrainerSettings(lossMeanValue(), updatePerWindow, nonFiniteValue(), true));
    }

    /** The clip threshold to draw in reports, NaN when the policy does not clip by norm. */
    double clipThreshold() {
        if (!policy.name().equals("clip-norm")) {
            return Double.NaN;
        }
        return Double.parseDouble(policy.options().getOrDefault("threshold", "1.0"));
    }
}
