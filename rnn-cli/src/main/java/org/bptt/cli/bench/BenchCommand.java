package org.bptt.cli.bench;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.StepResult;
import org.bptt.training.bench.JitWarmup;
import org.bptt.training.bench.ReferenceStep;
import org.bptt.training.bench.ReferenceStep.Workload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.bptt.cli.PluginPathOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rnn bench}: the training step of {@code ../shared/bench/torch_rnn_step.py}, timed. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Time the training step that ../shared/bench/torch_rnn_step.py times.",
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
                "Exit code 0 on success, 2 on a bad flag."})
public final class BenchCommand implements Callable<Integer> {
    /** A run expected to last longer than this shows progress on stderr (text output only). */
    private static final long PROGRESS_AFTER_NANOS = 3_000_000_000L;
    private static final long PROGRESS_EVERY_NANOS = 1_000_000_000L;

    @Spec
    CommandSpec spec;

    @Mixin
    PluginPathOption pluginPath;

    @Option(names = "--input", defaultValue = "64", description = "Input size I (default: ${DEFAULT-VALUE}).")
    int input;

    @Option(names = "--hidden", defaultValue = "256", description = "Hidden size H (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--output", defaultValue = "64", description = "Output size O, the number of classes (default: ${DEFAULT-VALUE}).")
    int output;

    @Option(names = "--batch", defaultValue = "32", description = "Sequences per batch B (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--steps", defaultValue = "100", description = "Time steps T (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--iterations", defaultValue = "20", description = "Timed training steps (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--warmup", defaultValue = "5", description = "Untimed training steps first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--jit-warmup", defaultValue = "2", paramLabel = "SECONDS",
            description = "Least seconds of training on a twin model before --warmup, for the JIT; it goes on until the JIT is idle (default: ${DEFAULT-VALUE}; 0 to skip).")
    double jitWarmup;

    @Option(names = "--cell", defaultValue = "vanilla", paramLabel = "NAME",
            description = "Cell plugin, found by ServiceLoader on the class path (default: ${DEFAULT-VALUE}, with tanh).")
    String cell;

    @Option(names = "--layers", defaultValue = "1", description = "Layers of the cell, as nn.RNN's num_layers (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--bidirectional", description = "A backward direction in every layer, as nn.RNN's bidirectional=True.")
    boolean bidirectional;

    @Option(names = "--threads", defaultValue = "1", description = "Kernel threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--one-hot", description = "One-hot inputs of a random index (min-char-rnn), instead of normal ones.")
    boolean oneHot;

    @Option(names = "--backend", defaultValue = "auto", description = "Kernel backend: auto, scalar or simd (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the initialization and the data (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Option(names = "--no-peak", description = "Skip measuring the FMA peak (0.3 s); the fraction of peak is then left out.")
    boolean noPeak;

    @Override
    public Integer call() throws JsonProcessingException {
        double loadBefore = MachineFacts.loadAverage();
        // Checked here, before anything is built, so that the message names the flag.
        atLeast("--input", input, 1);
        atLeast("--hidden", hidden, 1);
        atLeast("--output", output, 1);
        atLeast("--batch", batch, 1);
        atLeast("--steps", steps, 1);
        atLeast("--iterations", iterations, 1);
        atLeast("--warmup", warmup, 0);
        atLeast("--threads", threads, 1);
        org.bptt.training.run.RunSettings.LAYERS.requireValid(layers, "--layers");
        atMost("--threads", threads, org.bptt.training.Network.maxThreads());
        atMost("--iterations", iterations, MAX_ITERATIONS);
        atMost("--warmup", warmup, MAX_ITERATIONS);
        Workload w = new Workload(input, hidden, output, batch, steps, oneHot);
        if (!(jitWarmup >= 0) || jitWarmup > MAX_JIT_WARMUP) {
            throw new ConfigurationException("--jit-warmup must be between 0 and " + MAX_JIT_WARMUP + " seconds, got " + jitWarmup);
        }
        long rows = (long) steps * batch;
        for (long n : new long[] {(long) hidden * hidden, (long) hidden * input, (long) hidden * output, rows * input,
                (rows + batch) * hidden, rows * output,
                // A stack's state row: the top output and every layer's and direction's state.
                (rows + batch) * hidden * (layers + 1L) * (bidirectional ? 2 : 1)}) {
            if (n > Integer.MAX_VALUE - 8) {
                throw new ConfigurationException("the workload (I=" + input + ", H=" + hidden + ", O=" + output + ", B=" + batch
                        + ", T=" + steps + ") needs arrays of " + n + " values, more than a Java array can hold; choose smaller sizes");
            }
        }
        ReferenceStep step;
        try {
            step = ReferenceStep.create(w, cell, shape(), backend, threads, seed, pluginPath.plugins());
        } catch (OutOfMemoryError e) {
            throw new ConfigurationException("the workload (I=" + input + ", H=" + hidden + ", O=" + output + ", B=" + batch
                    + ", T=" + steps + ") does not fit in the " + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MB this JVM may use; choose smaller sizes or give the JVM more memory (RNN_JAVA_OPTS=-Xmx...)");
        }
        PrintWriter err = spec.commandLine().getErr();
        JitWarmup.Result jit = JitWarmup.Result.NONE;
        if (jitWarmup > 0) {
            // A separate instance, so the timed model's first loss and state are untouched.
            ReferenceStep twin = ReferenceStep.create(w, cell, shape(), backend, threads, seed + 1, pluginPath.plugins());
            jit = JitWarmup.run(twin::step, jitWarmup);
        }

        long start = System.nanoTime();
        double lossFirst = Double.NaN;
        for (int i = 0; i < warmup; i++) {
            double l = step.step().loss();
            if (i == 0) {
                lossFirst = l;
            }
        }
        boolean progress = false;
        if (!json && warmup > 0) {
            long perStep = (System.nanoTime() - start) / warmup;
            progress = perStep * (long) iterations > PROGRESS_AFTER_NANOS;
        }
        long compiledBefore = JitWarmup.compilationMillis();
        long[] nanos = new long[iterations];
        double lossLast = Double.NaN;
        long lastReport = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            StepResult r = step.step();
            long t1 = System.nanoTime();
            nanos[i] = t1 - t0;
            lossLast = r.loss();
            if (i == 0 && warmup == 0) {
                lossFirst = lossLast;
                progress = !json && nanos[0] * (long) iterations > PROGRESS_AFTER_NANOS;
            }
            if (progress && t1 - lastReport > PROGRESS_EVERY_NANOS) {
                err.printf(Locale.ROOT, "rnn bench: %d/%d steps timed, %.1f ms/step so far%n", i + 1, iterations, nanos[i] / 1e6);
                err.flush();
                lastReport = t1;
            }
        }

        long compiledWhileTimed = compiledBefore < 0 ? -1 : JitWarmup.compilationMillis() - compiledBefore;
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        // The upper median, as the reference script takes ts[len // 2].
        double msMedian = sorted[iterations / 2] / 1e6;
        double msMean = Arrays.stream(nanos).average().orElseThrow() / 1e6;
        double gflopPerStep = step.stepFlops() / 1e9;

        ObjectMapper mapper = new ObjectMapper();
        ObjectNode o = mapper.createObjectNode();
        o.put("system", "rnn-bptt");
        o.put("cell", cell);
        o.put("input", input);
        o.put("hidden", hidden);
        o.put("output", output);
        o.put("batch", batch);
        o.put("steps", steps);
        o.put("layers", layers);
        o.put("bidirectional", bidirectional);
        o.put("one_hot", oneHot);
        o.put("iterations", iterations);
        o.put("warmup", warmup);
        o.put("jit_warmup_s", jitWarmup);
        o.put("jit_warmup_taken_s", jit.seconds());
        o.put("jit_settled", jit.settled());
        o.put("jit_compile_ms_while_timed", compiledWhileTimed);
        o.put("ms_per_step", msMedian);
        o.put("ms_mean", msMean);
        o.put("ms_min", sorted[0] / 1e6);
        o.put("ms_max", sorted[iterations - 1] / 1e6);
        o.put("gflop_per_step", gflopPerStep);
        o.put("gflops", gflopPerStep / (msMedian / 1e3));
        o.put("timesteps_per_s", (double) batch * steps / (msMedian / 1e3));
        o.put("backend", step.trainer().kernels().name());
        o.put("vector_bits", step.trainer().kernels().vectorBitSize());
        o.put("threads", threads);
        o.put("loss_first", lossFirst);
        o.put("loss_last", lossLast);
        o.put("java_version", Runtime.version().toString());
        o.put("available_processors", Runtime.getRuntime().availableProcessors());
        MachineFacts.put(o, step.trainer().kernels(), gflopPerStep / (msMedian / 1e3), threads, noPeak, loadBefore);

        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(mapper.writeValueAsString(o));
        } else {
            printTable(out, o);
        }
        out.flush();
        return 0;
    }

    private static void printTable(PrintWriter out, ObjectNode o) {
        out.printf(Locale.ROOT, "rnn bench: %sI=%d H=%d O=%d B=%d T=%d%s%s, %s backend (%d-bit vectors), %d thread(s), Java %s%n",
                o.get("cell").asText().equals(ReferenceStep.VANILLA) ? "" : o.get("cell").asText() + " ", o.get("input").asInt(), o.get("hidden").asInt(), o.get("output").asInt(), o.get("batch").asInt(),
                o.get("steps").asInt(), o.get("one_hot").asBoolean() ? " one-hot" : "",
                (o.get("layers").asInt() > 1 ? ", " + o.get("layers").asInt() + " layers" : "")
                        + (o.get("bidirectional").asBoolean() ? ", bidirectional" : ""), o.get("backend").asText(),
                o.get("vector_bits").asInt(), o.get("threads").asInt(), o.get("java_version").asText());
        out.printf(Locale.ROOT, "  %-16s %12s%n", "timed steps", o.get("iterations").asInt() + " (after " + o.get("warmup").asInt() + " warm-up)");
        out.printf(Locale.ROOT, "  %-16s %12s%n", "JIT warm-up", String.format(Locale.ROOT, "%.1f s", o.get("jit_warmup_taken_s").asDouble())
                + (o.get("jit_warmup_taken_s").asDouble() == 0 ? "" : o.get("jit_settled").asBoolean() ? ", settled" : ", still compiling")
                + (o.get("jit_compile_ms_while_timed").asLong() > 0 ? "; compiled " + o.get("jit_compile_ms_while_timed").asLong() + " ms while timed" : ""));
        out.printf(Locale.ROOT, "  %-16s %12.3f%n", "ms/step median", o.get("ms_per_step").asDouble());
        out.printf(Locale.ROOT, "  %-16s %12.3f%n", "ms/step mean", o.get("ms_mean").asDouble());
        out.printf(Locale.ROOT, "  %-16s %12.3f%n", "ms/step min", o.get("ms_min").asDouble());
        out.printf(Locale.ROOT, "  %-16s %12.3f%n", "ms/step max", o.get("ms_max").asDouble());
        out.printf(Locale.ROOT, "  %-16s %12.4f%n", "GFLOP/step", o.get("gflop_per_step").asDouble());
        out.printf(Locale.ROOT, "  %-16s %12.3f%n", "GFLOP/s", o.get("gflops").asDouble());
        if (o.hasNonNull("fraction_of_peak")) {
            out.printf(Locale.ROOT, "  %-16s %12.3f  (of %.1f GFLOP/s: %d x one core's measured FMA peak)%n", "of peak",
                    o.get("fraction_of_peak").asDouble(), o.get("peak_gflops").asDouble(), o.get("threads").asInt());
        }
        out.printf(Locale.ROOT, "  %-16s %12.0f%n", "time steps/s", o.get("timesteps_per_s").asDouble());
        out.printf(Locale.ROOT, "  %-16s %12.4f%n", "loss first", o.get("loss_first").asDouble());
        out.printf(Locale.ROOT, "  %-16s %12.4f%n", "loss last", o.get("loss_last").asDouble());
        out.printf(Locale.ROOT, "  %-16s %s%n", "CPU", o.get("cpu").asText());
        if (o.hasNonNull("kernel_settings")) {
            out.printf(Locale.ROOT, "  %-16s %s (%s)%n", "kernel settings", o.get("kernel_settings").asText(), o.get("tuning").asText());
        }
        out.printf(Locale.ROOT, "  %-16s %.2f before, %.2f after%n", "load average", o.get("load_before").asDouble(),
                o.get("load_after").asDouble());
    }

    /** The stacking the step times. */
    private org.bptt.training.Layers shape() {
        return new org.bptt.training.Layers(layers, bidirectional, 0, false);
    }

    /** Far beyond any use (a timed step is at least microseconds), and a bound on the timings array. */
    private static final int MAX_ITERATIONS = 10_000_000;
    private static final double MAX_JIT_WARMUP = 3600;

    private static void atMost(String flag, long value, long max) {
        if (value > max) {
            throw new ConfigurationException(flag + " must be at most " + max + ", got " + value);
        }
    }

    private static void atLeast(String flag, long value, long min) {
        if (value < min) {
            throw new ConfigurationException(flag + " must be at least " + min + ", got " + value);
        }
    }
}
