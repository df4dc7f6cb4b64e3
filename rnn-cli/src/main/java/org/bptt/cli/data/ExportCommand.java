package org.bptt.cli.data;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.cli.BestOption;
import org.bptt.cli.PluginPathOption;
import org.bptt.data.OnnxExport;
import org.bptt.data.TorchModels;
import org.bptt.training.Network;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rnn export RUN --format safetensors|onnx -o FILE}. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = {
            "Export a model: as a PyTorch state_dict in safetensors (PyTorch's names: weight_ih_l0 and the rest under "
                    + "'rnn', weight and bias under 'fc'; its metadata name the recurrent module and its arguments, so "
                    + "load_state_dict into that module and a Linear readout just works), or as an ONNX graph (input x [N, T, I], output y [N, T, O]) for ONNX Runtime."
        })
public final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN", description = "A run folder, or its checkpoint.bin.")
    Path run;

    @Option(names = "--format", required = true, paramLabel = "safetensors|onnx", description = "The file format.")
    String format;

    @Option(
            names = {"-o", "--output"},
            required = true,
            paramLabel = "FILE",
            description = "The file to write.")
    Path output;

    @Mixin
    PluginPathOption pluginPath;

    @Mixin
    BestOption best;

    @Override
    public Integer call() throws IOException {
        if (!format.equals("safetensors") && !format.equals("onnx")) {
            throw new ConfigurationException("--format must be safetensors or onnx, got '" + format + "'");
        }
        long t0 = System.nanoTime();
        Network net = Network.load(best.model(run), pluginPath.plugins());
        if (format.equals("onnx")) {
            OnnxExport.write(net, output);
        } else {
            TorchModels.exportSafetensors(net, output);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "wrote %s (%s, %.2f s)%n", output, format, (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
