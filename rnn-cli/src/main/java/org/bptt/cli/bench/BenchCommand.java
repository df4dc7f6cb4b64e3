package org.bptt.cli.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bptt.cli.PluginPathOption;
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

    @Mixin
    StepBenchmarkOptions step;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Option(
            names = "--no-peak",
            description = "Skip measuring the FMA peak (0.3 s); the fraction of peak is then left out.")
    boolean noPeak;

    @Override
    public Integer call() throws JsonProcessingException {
        double loadBefore = MachineFacts.loadAverage();
        StepBenchmark bench = step.benchmark();
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
        MachineFacts.put(o, r.step().trainer().kernels(), r.gflops(), bench.threads(), noPeak, loadBefore);
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
