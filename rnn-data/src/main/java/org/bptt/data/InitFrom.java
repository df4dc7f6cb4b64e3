package org.bptt.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.bptt.api.data.Task;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.tensor.Tensor;
import org.bptt.training.Network;
import org.bptt.training.config.Checkpoint;
import org.bptt.training.config.RunConfig;
import org.bptt.training.config.RunSetting;
import org.bptt.training.config.RunSettings;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.run.InitialWeights;
import org.bptt.training.wiring.PluginChoice;

/**
 * A new network that starts from earlier weights: an imported or trained run (a run folder or
 * its checkpoint) or a PyTorch state_dict in safetensors. The architecture (cell, its options,
 * hidden size, layers, directions) comes from the source; everything else (optimizer, batch,
 * seed…) from {@code base}; the task must have the source's input and output sizes.
 */
public final class InitFrom {
    /** The settings that make the architecture, taken from the source. */
    private static final List<RunSetting<?>> ARCHITECTURE =
            List.of(RunSettings.CELL, RunSettings.HIDDEN, RunSettings.LAYERS, RunSettings.BIDIRECTIONAL);

    private InitFrom() {}

    public static Network network(Path source, Task task, RunConfig base, Plugins plugins) {
        if (isSafetensors(source)) {
            return TorchModels.network(TorchModels.read(source, TorchModels.Choices.NONE), task, base, plugins);
        }
        Network from = Network.load(requireExists(source), plugins);
        if (from.inputSize() != task.inputSize() || from.outputSize() != task.outputSize()) {
            throw new ConfigurationException(source + " holds a model of " + from.inputSize() + " inputs and "
                    + from.outputSize() + " outputs, but the task '" + task.describe() + "' has " + task.inputSize()
                    + " and " + task.outputSize());
        }
        RunConfig.Builder b = base.toBuilder();
        for (RunSetting<?> s : ARCHITECTURE) {
            copy(s, from.config(), b);
        }
        Network n = Network.create(b.build(), task, plugins);
        for (Tensor t : from.model().params()) {
            System.arraycopy(t.data(), 0, n.model().params().get(t.name()).data(), 0, t.size());
        }
        return n;
    }

    /**
     * {@code config} with the source's architecture. A setting given another value than its
     * default that differs from the source's is refused: the weights decide the architecture.
     */
    public static RunConfig architecture(Path source, RunConfig config) {
        RunConfig theirs = architectureOf(source);
        List<String> clashes = new ArrayList<>();
        RunConfig.Builder b = config.toBuilder();
        for (RunSetting<?> s : ARCHITECTURE) {
            Object mine = config.get(s);
            Object given = theirs.get(s);
            boolean clash = s == RunSettings.CELL
                    ? clashes((PluginChoice) mine, (PluginChoice) given)
                    : !Objects.equals(mine, s.defaultValue()) && !Objects.equals(mine, given);
            if (clash) {
                clashes.add("'" + s.key() + "' is " + show(s, mine) + " where it has " + show(s, given));
            }
            copy(s, theirs, b);
        }
        if (!clashes.isEmpty()) {
            throw new ConfigurationException(
                    "the run starts from the weights of " + source + ", whose architecture it takes, but "
                            + String.join(" and ", clashes) + "; leave "
                            + (clashes.size() == 1 ? "that setting" : "those settings")
                            + " out or give the source's");
        }
        return b.build();
    }

    /** A cell named other than the default and other than the source's, or an option of it the source's contradicts. */
    private static boolean clashes(PluginChoice mine, PluginChoice theirs) {
        if (mine.equals(RunSettings.CELL.defaultValue())) {
            return false;
        }
        if (!mine.name().equals(theirs.name())) {
            return true;
        }
        for (Map.Entry<String, String> o : mine.options().entrySet()) {
            String t = theirs.options().get(o.getKey());
            if (t != null && !t.equals(o.getValue())) {
                return true;
            }
        }
        return false;
    }

    private static RunConfig architectureOf(Path source) {
        if (isSafetensors(source)) {
            TorchModels.Architecture a =
                    TorchModels.read(source, TorchModels.Choices.NONE).architecture();
            return TorchModels.configFor(a, RunConfig.defaults());
        }
        Path p = requireExists(source);
        Path file = Files.isDirectory(p) ? p.resolve("checkpoint.bin") : p;
        return Checkpoint.read(file).config(file.toString());
    }

    private static <T> void copy(RunSetting<T> s, RunConfig from, RunConfig.Builder to) {
        to.set(s, from.get(s));
    }

    @SuppressWarnings("unchecked")
    private static <T> String show(RunSetting<T> s, Object v) {
        return s.show((T) v);
    }

    private static boolean isSafetensors(Path source) {
        return source.getFileName() != null
                && source.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".safetensors");
    }

    private static Path requireExists(Path source) {
        if (!Files.exists(source)) {
            throw new ConfigurationException(source + ": no such run folder, checkpoint or .safetensors file");
        }
        return source;
    }

    /** {@link InitialWeights}' reader of weights, found by ServiceLoader. */
    public static final class Provider implements InitialWeights.Source {
        @Override
        public RunConfig architecture(Path source, RunConfig config, Plugins plugins) {
            return InitFrom.architecture(source, config);
        }

        @Override
        public Network network(Path source, Task task, RunConfig config, Plugins plugins) {
            return InitFrom.network(source, task, config, plugins);
        }
    }
}
