package org.bptt.training.plugin;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;

/**
 * Where a plugin came from: the platform's own class path (or module path), or an outside
 * plugin — one jar, or one folder of jars — loaded in a class loader of its own.
 *
 * @param id      a short name: the jar's name without ".jar", or the folder's name; for the
 *                class path, the jar or module the factory was found in
 * @param version the plugin's version as its jar declares it (Maven's pom.properties, else the
 *                manifest's Implementation-Version), or "unknown"
 * @param files   the plugin's jars (empty for the class path)
 * @param outside whether it was loaded from the plugin path
 */
public record PluginOrigin(String id, String version, List<Path> files, boolean outside) {
    public PluginOrigin {
        requireNonNull(id, "id is null");
        requireNonNull(version, "version is null");
        files = List.copyOf(files);
    }

    /** One line: {@code gated-cells 0.1.0 (plugins/gated-cells.jar)} or {@code class path: rnn-plugins 0.1.0}. */
    public String describe() {
        if (!outside) {
            return "platform: " + id + (version.equals("unknown") ? "" : " " + version);
        }
        String where = files.size() == 1
                ? files.get(0).toString()
                : files.isEmpty() ? "" : files.get(0).getParent() + " (" + files.size() + " jars)";
        return id + " " + version + " (" + where + ")";
    }
}
