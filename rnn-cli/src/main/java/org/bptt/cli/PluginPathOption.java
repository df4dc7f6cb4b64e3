package org.bptt.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.plugin.Plugins;
import picocli.CommandLine.Option;

/**
 * {@code --plugins PATH} for every command: where outside plugins come from. The path list is
 * {@code --plugins} (or, without it, the environment variable {@code RNN_PLUGINS}), then the
 * installation's {@code plugins/} folder when it exists, then the folder of plugins the build
 * bundles (GRU and LSTM; {@value #BUNDLED_PROPERTY}, set by the repository's ./rnn).
 */
public final class PluginPathOption {
    /** Set by ./rnn to the installation folder, whose plugins/ folder is always on the path. */
    static final String HOME_PROPERTY = "rnn.home";

    static final String ENV = "RNN_PLUGINS";
    /** Set by ./rnn in the repository to rnn-cli/target/plugins, where the build puts the bundled plugins. */
    static final String BUNDLED_PROPERTY = "rnn.bundled.plugins";
    /** For the help of commands that read runs: the run's plugins must be found again. */
    public static final String NEEDED_TO_READ =
            "A run made with outside plugins is read only with them on the plugin path " + "(--plugins PATH, or $" + ENV
                    + ").";

    @Option(
            names = "--plugins",
            paramLabel = "PATH",
            description = "Plugin jars and folders of plugins, separated by ':' (default: $" + ENV
                    + "); the installation's plugins/ folder is always added.")
    String path;

    private Plugins loaded;

    /** The plugins of the class path and the plugin path, loaded once per command. */
    public Plugins plugins() {
        if (loaded == null) {
            loaded = Plugins.load(entries());
        }
        return loaded;
    }

    /** The plugin path: the given entries, then the installation's plugins/ folder when it has any. */
    public List<Path> entries() {
        List<Path> l = new ArrayList<>();
        String given = path != null ? path : System.getenv(ENV);
        String source = path != null ? "--plugins" : ENV;
        if (given != null) {
            for (String part : given.split(java.util.regex.Pattern.quote(File.pathSeparator), -1)) {
                if (part.isBlank()) {
                    if (given.isBlank()) {
                        throw new ConfigurationException(source
                                + " is empty; give plugin jars or folders separated by '" + File.pathSeparator + "'");
                    }
                    continue;
                }
                try {
                    l.add(Path.of(part.strip()));
                } catch (InvalidPathException e) {
                    throw new ConfigurationException(source + ": '" + part + "' is not a valid path");
                }
            }
        }
        String home = System.getProperty(HOME_PROPERTY);
        if (home != null) {
            addFolder(l, Path.of(home, "plugins"));
        }
        String bundled = System.getProperty(BUNDLED_PROPERTY);
        if (bundled != null) {
            addFolder(l, Path.of(bundled));
        }
        return l;
    }

    private static void addFolder(List<Path> l, Path folder) {
        if (Files.isDirectory(folder) && !l.contains(folder) && hasEntries(folder)) {
            l.add(folder);
        }
    }

    private static boolean hasEntries(Path folder) {
        try (var s = Files.list(folder)) {
            return s.anyMatch(p -> !p.getFileName().toString().startsWith("."));
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
