package org.bptt.cli.bench;

import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.Layers;
import org.bptt.training.Network;
import org.bptt.training.bench.ReferenceStep.Workload;
import org.bptt.training.bench.StepBenchmark;
import org.bptt.training.config.RunSettings;
import picocli.CommandLine.Option;

/** {@code rnn bench}'s options that say which step to time and how: parsed, checked, and made a {@link StepBenchmark}. */
final class StepBenchmarkOptions {
    @Option(names = "--input", defaultValue = "64", description = "Input size I (default: ${DEFAULT-VALUE}).")
    int input;

    @Option(names = "--hidden", defaultValue = "256", description = "Hidden size H (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(
            names = "--output",
            defaultValue = "64",
            description = "Output size O, the number of classes (default: ${DEFAULT-VALUE}).")
    int output;

    @Option(names = "--batch", defaultValue = "32", description = "Sequences per batch B (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--steps", defaultValue = "100", description = "Time steps T (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(
            names = "--iterations",
            defaultValue = "20",
            description = "Timed training steps (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(
            names = "--warmup",
            defaultValue = "5",
            description = "Untimed training steps first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(
            names = "--jit-warmup",
            defaultValue = "2",
            paramLabel = "SECONDS",
            description =
                    "Least seconds of training on a twin model before --warmup, for the JIT; it goes on until the JIT is idle (default: ${DEFAULT-VALUE}; 0 to skip).")
    double jitWarmup;

    @Option(
            names = "--cell",
            defaultValue = "vanilla",
            paramLabel = "NAME",
            description =
                    "Cell plugin, found by ServiceLoader on the class path (default: ${DEFAULT-VALUE}, with tanh).")
    String cell;

    @Option(
            names = "--layers",
            defaultValue = "1",
            description = "Layers of the cell, as nn.RNN's num_layers (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(
            names = "--bidirectional",
            description = "A backward direction in every layer, as nn.RNN's bidirectional=True.")
    boolean bidirectional;

    @Option(names = "--threads", defaultValue = "1", description = "Kernel threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(
            names = "--one-hot",
            description = "One-hot inputs of a random index (min-char-rnn), instead of normal ones.")
    boolean oneHot;

    @Option(
            names = "--backend",
            defaultValue = "auto",
            description = "Kernel backend: auto, scalar or simd (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(
            names = "--seed",
            defaultValue = "0",
            description = "Seed of the initialization and the data (default: ${DEFAULT-VALUE}).")
    long seed;

    /** The benchmark; a flag out of its bounds is refused in one sentence naming it, before anything is built. */
    StepBenchmark benchmark() {
        FlagLimits.atLeast("--input", input, 1);
        FlagLimits.atLeast("--hidden", hidden, 1);
        FlagLimits.atLeast("--output", output, 1);
        FlagLimits.atLeast("--batch", batch, 1);
        FlagLimits.atLeast("--steps", steps, 1);
        FlagLimits.atLeast("--iterations", iterations, 1);
        FlagLimits.atLeast("--warmup", warmup, 0);
        FlagLimits.atLeast("--threads", threads, 1);
        RunSettings.LAYERS.requireValid(layers, "--layers");
        FlagLimits.atMost("--threads", threads, Network.maxThreads());
        FlagLimits.atMost("--iterations", iterations, FlagLimits.MAX_ITERATIONS);
        FlagLimits.atMost("--warmup", warmup, FlagLimits.MAX_ITERATIONS);
        if (!(jitWarmup >= 0) || jitWarmup > FlagLimits.MAX_JIT_WARMUP) {
            throw new ConfigurationException(
                    "--jit-warmup must be between 0 and " + FlagLimits.MAX_JIT_WARMUP + " seconds, got " + jitWarmup);
        }
        return new StepBenchmark(
                new Workload(input, hidden, output, batch, steps, oneHot),
                cell,
                new Layers(layers, bidirectional, 0, false),
                backend,
                threads,
                seed,
                iterations,
                warmup,
                jitWarmup);
    }
}
