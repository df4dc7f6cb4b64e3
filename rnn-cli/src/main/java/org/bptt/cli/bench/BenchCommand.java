package org.bptt.cli.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.cli.PluginPathOption;
import org.bptt.training.bench.ReferenceStep.Workload;
import org.bptt.training.bench.StepBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rnn bench}: the training step of {@code tools/torch_rnn_step.py}, timed. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        subcommands = {EndToEndCommand.class, DashboardBenchCommand.class},
        description = {
            "Time the training step that tools/torch_rnn_step.py times in PyTorch.",
            "The step: vanilla tanh RNN (or --cell NAME, e.g. gru or lstm from examples/gated-cells on the",
            "class path, as the script's --cell gru|lstm; --layers and --bidirectional as nn.RNN's num_layers",
            "and bidirectional, timed against tools/torch_rnn_step.py), h0 = 0, softmax cross-entropy at every step averaged",
            "over batch*steps, full BPTT, clip by global norm 1.0, SGD lr 0.01, float32,",
            "PyTorch's default uniform initialization, one random batch.",
            "First trains a twin for --jit-warmup seconds and on until the JIT has compiled nothing",
            "for a second (at most 20 s more), so the JIT has compiled the hot code (the JVM's own",
            "warm-up, which PyTorch does not need), then runs --warmup steps,",
            "then times --iterations steps on the same batch, and",
            "reports the median step time and GFLOP/s by the script's count:",
            "forward = T*B*(2GH(I+H) + 2OH) with G gates (1 vanilla, 3 GRU, 4 LSTM), step = 3 x forward",
            "(with layers: 2 x every input, recurrent and output weight per row),",
            "and that as a fraction of the machine's peak: one core's FMA peak, measured after",
            "the timed steps with a register-only loop of vector FMAs, times --threads.",
            "Exit code 0 on success, 2 on a bad flag."
        })
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PluginPathOption pluginPath;

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

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Option(
            names = "--no-peak",
            description = "Skip measuring the FMA peak (0.3 s); the fraction of peak is then left out.")
    boolean noPeak;

    @Override
    public Integer call() throws JsonProcessingException {
        double loadBefore = MachineFacts.loadAverage();
        // Checked here, before anything is built, so that the message names the flag.
        FlagLimits.atLeast("--input", input, 1);
        FlagLimits.atLeast("--hidden", hidden, 1);
        FlagLimits.atLeast("--output", output, 1);
        FlagLimits.atLeast("--batch", batch, 1);
        FlagLimits.atLeast("--steps", steps, 1);
        FlagLimits.atLeast("--iterations", iterations, 1);
        FlagLimits.atLeast("--warmup", warmup, 0);
        FlagLimits.atLeast("--threads", threads, 1);
        org.bptt.training.config.RunSettings.LAYERS.requireValid(layers, "--layers");
        FlagLimits.atMost("--threads", threads, org.bptt.training.Network.maxThreads());
        FlagLimits.atMost("--iterations", iterations, FlagLimits.MAX_ITERATIONS);
        FlagLimits.atMost("--warmup", warmup, FlagLimits.MAX_ITERATIONS);
        if (!(jitWarmup >= 0) || jitWarmup > FlagLimits.MAX_JIT_WARMUP) {
            throw new ConfigurationException(
                    "--jit-warmup must be between 0 and " + FlagLimits.MAX_JIT_WARMUP + " seconds, got " + jitWarmup);
        }
        StepBenchmark bench = new StepBenchmark(
                new Workload(input, hidden, output, batch, steps, oneHot),
                cell,
                new org.bptt.training.Layers(layers, bidirectional, 0, false),
                backend,
                threads,
                seed,
                iterations,
                warmup,
                jitWarmup);
        PrintWriter err = spec.commandLine().getErr();
        StepBenchmark.Result r = bench.run(
                pluginPath.plugins(),
                json
                        ? StepBenchmark.Progress.NONE
                        : (done, total, nanos) -> {
                            err.printf(
                                    Locale.ROOT,
                                    "rnn bench: %d/%d steps timed, %.1f ms/step so far%n",
                                    done,
                                    total,
                                    nanos / 1e6);
                            err.flush();
                        });
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode o = bench.result(r, mapper.createObjectNode());
        MachineFacts.put(o, r.step().trainer().kernels(), r.gflops(), threads, noPeak, loadBefore);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(mapper.writeValueAsString(o));
        } else {
            BenchTable.print(out, o);
        }
        out.flush();
        return 0;
    }
}
