package org.bptt.cli.data;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.cli.PluginPathOption;
import org.bptt.data.ImportedRuns;
import org.bptt.data.TorchModels;
import org.bptt.report.RunReport;
import org.bptt.training.run.ExistingRunException;
import org.bptt.training.run.RunSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rnn import FILE.safetensors -o RUN}: a PyTorch model as a run folder. */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = {
            "Import a PyTorch model: the state_dict (saved with safetensors) of a module holding an nn.RNN, nn.GRU "
                    + "or nn.LSTM and an nn.Linear readout, under any attribute names. The result is an ordinary run folder: "
                    + "analyze, predict, export, the report and the dashboard work on it.",
            "Save one in PyTorch with:",
            "  safetensors.torch.save_file(model.state_dict(), 'model.safetensors')"
        })
public final class ImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The state_dict, a .safetensors file.")
    Path file;

    @Option(
            names = {"-o", "--output"},
            required = true,
            paramLabel = "RUN",
            description = "The run folder to create.")
    Path output;

    @Option(
            names = "--activation",
            paramLabel = "tanh|relu",
            description =
                    "nn.RNN's nonlinearity, which a state_dict does not record (default: the file's metadata, else tanh).")
    String activation;

    @Option(
            names = "--recurrent",
            paramLabel = "PREFIX",
            description =
                    "The recurrent module's prefix in the state_dict (such as encoder.rnn), when it holds several.")
    String recurrent;

    @Option(
            names = "--readout",
            paramLabel = "PREFIX",
            description = "The readout nn.Linear's prefix (such as head), when several fit.")
    String readout;

    @Option(
            names = "--data",
            paramLabel = "FILE",
            description =
                    "Your sequences (.npz or .csv) as the run's data; without it the model is analyzed on N(0, 1) inputs.")
    Path data;

    @Mixin
    PluginPathOption pluginPath;

    @Override
    public Integer call() throws IOException {
        if (activation != null && !activation.equals("tanh") && !activation.equals("relu")) {
            throw new ConfigurationException("--activation must be tanh or relu, got '" + activation + "'");
        }
        if (Files.exists(output) && !(Files.isDirectory(output) && isEmpty(output))) {
            throw new ConfigurationException("the output folder " + output + " already exists; choose a new folder");
        }
        PrintWriter out = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        TorchModels.Imported m;
        try {
            m = TorchModels.read(file, new TorchModels.Choices(recurrent, readout, activation));
        } catch (TorchModels.AmbiguousModelException e) {
            throw new ConfigurationException(
                    e.getMessage() + " with " + (e.recurrent() ? "--recurrent" : "--readout") + " PREFIX");
        }
        out.println("found " + m.architecture().describe());
        long t1 = System.nanoTime();
        RunSummary s;
        try {
            s = ImportedRuns.create(m, output, data, pluginPath.plugins(), new RunReport());
        } catch (ExistingRunException e) {
            throw new ConfigurationException(
                    "the output folder " + output + " already holds a run; choose a new folder");
        }
        out.printf(
                Locale.ROOT,
                "imported in %.2f s (read %.2f s) -> %s (checkpoint.bin, report.html); next: rnn analyze %s%n",
                (System.nanoTime() - t0) / 1e9,
                (t1 - t0) / 1e9,
                output,
                output);
        return s == null ? 1 : 0;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}
