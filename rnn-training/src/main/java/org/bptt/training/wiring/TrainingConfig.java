package org.bptt.training.wiring;

import static java.util.Objects.requireNonNull;

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
public record TrainingConfig(
        int inputSize,
        int hiddenSize,
        int outputSize,
        PluginChoice cell,
        PluginChoice loss,
        PluginChoice optimizer,
        PluginChoice policy,
        PluginChoice truncation,
        PluginChoice initializer,
        long seed,
        String backend,
        int threads,
        TrainerSettings settings) {
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
}
