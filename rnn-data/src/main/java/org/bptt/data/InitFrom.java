package org.bptt.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.bptt.api.data.Task;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.tensor.Tensor;
import org.bptt.training.Network;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.run.RunConfig;

/**
 * A new network that starts from earlier weights: an imported or trained run (a run folder or
 * its checkpoint) or a PyTorch state_dict in safetensors. The architecture (cell, its options,
 * hidden size) comes from the source; everything else (optimizer, batch, seed…) from
 * {@code base}; the task must have the source's input and output sizes.
 */
public final class InitFrom {
    private InitFrom() {}

    public static Network network(Path source, Task task, RunConfig base, Plugins plugins) {
        if (source.getFileName() != null && source.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".safetensors")) {
            return TorchModels.network(TorchModels.read(source, TorchModels.Choices.NONE), task, base, plugins);
        }
        if (!Files.exists(source)) {
            throw new ConfigurationException(source + ": no such run folder, checkpoint or .safetensors file");
        }
        Network from = Network.load(source, plugins);
        if (from.inputSize() != task.inputSize() || from.outputSize() != task.outputSize()) {
            throw new ConfigurationException(source + " holds a model of " + from.inputSize() + " inputs and " + from.outputSize()
                    + " outputs, but the task '" + task.describe() + "' has " + task.inputSize() + " and " + task.outputSize());
        }
        RunConfig config = base.toBuilder().cell(from.config().cell()).hidden(from.model().hiddenSize()).build();
        Network n = Network.create(config, task, plugins);
        for (Tensor t : from.model().params()) {
            System.arraycopy(t.data(), 0, n.model().params().get(t.name()).data(), 0, t.size());
        }
        return n;
    }
}
