package org.bptt.training.wiring;

import static java.util.Objects.requireNonNull;

import org.bptt.training.LossMean;
import org.bptt.training.NonFinitePolicy;
import org.bptt.training.TrainerSettings;

/**
 * Everything the trainer is assembled from.
 *
 * @param inputSize   I
 * @param hiddenSize  H
 * @param outputSize  O
 * @param cell        e.g. vanilla {activation=tanh}
 * @param loss        ce or mse
 * @param optimizer   e.g. adam {lr=0.001}
 * @param policy      e.g. clip-norm {threshold=1}
 * @param truncation  full or tbptt {k1, k2}
 * @param initializer e.g. orthogonal
 * @param seed        fixes initialization (and, in front ends, data)
 * @param backend     auto, scalar or simd
 * @param threads     kernel threads, ≥ 1
 * @param settings    loss averaging, update schedule, non-finite guard
 */
public record TrainingConfig(int inputSize, int hiddenSize, int outputSize,
                             PluginChoice cell, PluginChoice loss, PluginChoice optimizer, PluginChoice policy,
                             PluginChoice truncation, PluginChoice initializer,
                             long seed, String backend, int threads, TrainerSettings settings) {
    public TrainingConfig {
        requireNonNull(cell, "cell is null");
        requireNonNull(loss, "loss is null");
        requireNonNull(optimizer, "optimizer is null");
        requireNonNull(policy, "policy is null");
        requireNonNull(truncation, "truncation is null");
        requireNonNull(initializer, "initializer is null");
        requireNonNull(backend, "backend is null");
        requireNonNull(settings, "settings is null");
    }

    /** A vanilla tanh network trained by SGD with full BPTT and no clipping, for tests and examples. */
    public static TrainingConfig simple(int inputSize, int hiddenSize, int outputSize, String loss) {
        return new TrainingConfig(inputSize, hiddenSize, outputSize, PluginChoice.of("vanilla"), PluginChoice.of(loss),
                PluginChoice.of("sgd"), PluginChoice.of("none"), PluginChoice.of("full"), PluginChoice.of("xavier"),
                1L, "auto", 1, new TrainerSettings(LossMean.SEQUENCE, true, NonFinitePolicy.STOP));
    }

    public TrainingConfig withOptimizer(PluginChoice o) {
        return new TrainingConfig(inputSize, hiddenSize, outputSize, cell, loss, o, policy, truncation, initializer, seed,
                backend, threads, settings);
    }

    public TrainingConfig withPolicy(PluginChoice p) {
        return new TrainingConfig(inputSize, hiddenSize, outputSize, cell, loss, optimizer, p, truncation, initializer, seed,
                backend, threads, settings);
    }

    public TrainingConfig withTruncation(PluginChoice t) {
        return new TrainingConfig(inputSize, hiddenSize, outputSize, cell, loss, optimizer, policy, t, initializer, seed,
                backend, threads, settings);
    }

    public TrainingConfig withCell(PluginChoice c) {
        return new TrainingConfig(inputSize, hiddenSize, outputSize, c, loss, optimizer, policy, truncation, initializer, seed,
                backend, threads, settings);
    }

    public TrainingConfig withBackend(String b, int t) {
        return new TrainingConfig(inputSize, hiddenSize, outputSize, cell, loss, optimizer, policy, truncation, initializer, seed,
                b, t, settings);
    }
}
