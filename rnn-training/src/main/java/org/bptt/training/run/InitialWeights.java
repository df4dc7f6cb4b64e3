package org.bptt.training.run;

import java.nio.file.Path;
import java.util.ServiceLoader;
import org.bptt.api.data.Task;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.Network;
import org.bptt.training.config.RunConfig;
import org.bptt.training.config.RunSettings;
import org.bptt.training.plugin.Plugins;

/**
 * A run's first weights when {@link RunSettings#INIT_FROM} names a source: a run folder, a
 * checkpoint or a file another module reads (a PyTorch state_dict). The reading lives with the
 * file formats (rnn-data), found by {@link ServiceLoader}, so that this module needs none of them.
 */
public final class InitialWeights {
    /** Reads a source of weights. */
    public interface Source {
        /**
         * {@code config} with the source's architecture (cell, hidden size, layers, directions);
         * a setting that is not its default and contradicts the source is refused in one sentence.
         */
        RunConfig architecture(Path source, RunConfig config, Plugins plugins);

        /** A network of {@code config} (already {@link #architecture given the source's}) holding the source's weights. */
        Network network(Path source, Task task, RunConfig config, Plugins plugins);
    }

    private InitialWeights() {}

    /** The configuration with the source's architecture, or {@code config} itself when it names none. */
    public static RunConfig configure(RunConfig config, Plugins plugins) {
        Path from = sourceOf(config);
        return from == null ? config : source().architecture(from, config, plugins);
    }

    /** The run's first network: from the source's weights, or initialized as {@link Network#create} does. */
    public static Network network(RunConfig config, Task task, Plugins plugins) {
        Path from = sourceOf(config);
        return from == null ? Network.create(config, task, plugins) : source().network(from, task, config, plugins);
    }

    private static Path sourceOf(RunConfig config) {
        String s = config.get(RunSettings.INIT_FROM);
        if (s.isEmpty()) {
            return null;
        }
        try {
            return Path.of(s);
        } catch (java.nio.file.InvalidPathException e) {
            throw new ConfigurationException(
                    "the weights to start from, '" + s + "', are not a path (" + e.getReason() + ")");
        }
    }

    private static Source source() {
        return ServiceLoader.load(Source.class, InitialWeights.class.getClassLoader())
                .findFirst()
                .orElseThrow(
                        () -> new ConfigurationException("starting from earlier weights needs the rnn-data module, "
                                + "which is not on the class path"));
    }
}
