package org.bptt.cli.data;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.cli.BestOption;
import org.bptt.cli.PluginPathOption;
import org.bptt.data.DataFiles;
import org.bptt.data.Predictions;
import org.bptt.training.Network;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rnn predict RUN --data FILE -o OUT.npy}: the raw readouts of a trained or imported model. */
@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description =
                "Run a model over sequences and write its raw readouts o_t = V h_t + c, float32 [N, T, O], as a NumPy "
                        + ".npy (for classes these are logits: softmax is yours to apply). Steps past a sequence's length hold 0.")
public final class PredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN", description = "A run folder, or its checkpoint.bin.")
    Path run;

    @Option(
            names = "--data",
            required = true,
            paramLabel = "FILE",
            description = "The inputs: a .npy of x float32 [N, T, I], or the x (and lengths) of a .npz or CSV.")
    Path data;

    @Option(
            names = {"-o", "--output"},
            required = true,
            paramLabel = "OUT.npy",
            description = "The .npy file to write.")
    Path output;

    @Option(names = "--batch", defaultValue = "64", description = "Sequences per batch (default ${DEFAULT-VALUE}).")
    int batch;

    @Mixin
    PluginPathOption pluginPath;

    @Mixin
    BestOption best;

    @Override
    public Integer call() throws IOException {
        if (batch < 1) {
            throw new ConfigurationException("--batch must be at least 1, got " + batch);
        }
        long t0 = System.nanoTime();
        Network net = Network.load(best.model(run), pluginPath.plugins());
        DataFiles.Inputs in = DataFiles.readInputs(data);
        if (in.inputSize() != net.inputSize()) {
            throw new ConfigurationException(data + " has " + in.inputSize() + " inputs per step, but the model in "
                    + run + " takes " + net.inputSize());
        }
        long t1 = System.nanoTime();
        float[] y = Predictions.readouts(net, in.x(), in.sequences(), in.steps(), in.lengths(), batch);
        long t2 = System.nanoTime();
        Predictions.writeNpy(output, y, in.sequences(), in.steps(), net.outputSize());
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                Locale.ROOT,
                "wrote %s: float32 [%d, %d, %d] (load %.2f s, predict %.2f s)%n",
                output,
                in.sequences(),
                in.steps(),
                net.outputSize(),
                (t1 - t0) / 1e9,
                (t2 - t1) / 1e9);
        return 0;
    }
}
