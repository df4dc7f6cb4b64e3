package org.bptt.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.bptt.api.tensor.ParameterSet;
import org.bptt.api.tensor.Tensor;
import org.bptt.training.config.RunConfig;
import org.bptt.training.diag.Spectral;
import org.bptt.training.diag.Spectrum;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.run.RunListener;
import org.bptt.training.run.RunSummary;
import org.bptt.training.run.TrainingRun;
import org.bptt.training.wiring.PluginChoice;

/**
 * An imported model as an ordinary run folder: its configuration (the model's cell and sizes;
 * the user's data as the task, or {@code gaussian} sample inputs without data), a checkpoint
 * of the imported parameters at iteration 0 and the gradient flow measured on them, so that
 * everything that reads a run (analysis, prediction, reports, further training) reads it.
 */
public final class ImportedRuns {
    private ImportedRuns() {}

    /**
     * Writes the run; {@code data} (may be null) is a .npz or .csv file whose sequences become
     * the run's task. {@code listener} hears the run as a zero-iteration training run.
     */
    public static RunSummary create(TorchModels.Imported m, Path dir, Path data, Plugins plugins, RunListener listener)
            throws IOException {
        TorchModels.Architecture a = m.architecture();
        PluginChoice task = data != null
                ? new PluginChoice("data", Map.of("file", data.toAbsolutePath().toString()))
                : new PluginChoice(
                        "gaussian",
                        Map.of("inputs", Integer.toString(a.inputSize()), "outputs", Integer.toString(a.outputSize())));
        RunConfig config = TorchModels.configFor(
                a, RunConfig.defaults().toBuilder().task(task).iterations(0).build());
        TrainingRun run = TrainingRun.create(config, dir, plugins, "csv");
        if (run.network().inputSize() != a.inputSize() || run.network().outputSize() != a.outputSize()) {
            run.close();
            throw new DataFileException(
                    data,
                    "has " + run.network().inputSize() + " inputs and "
                            + run.network().outputSize() + " outputs, but the model " + a.inputSize() + " and "
                            + a.outputSize());
        }
        ParameterSet ps = run.network().model().params();
        for (var e : m.parameters().entrySet()) {
            Tensor t = ps.get(e.getKey());
            System.arraycopy(e.getValue(), 0, t.data(), 0, t.size());
        }
        // The run measured its starting spectrum on the initializer's weights, before they were replaced.
        Spectral s = run.network().spectral();
        run.history().spectrumStart(s == null ? null : new Spectrum(s.real(), s.imag()));
        return run.run(listener);
    }
}
