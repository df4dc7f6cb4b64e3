package org.bptt.training.wiring;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.TreeMap;

import org.bptt.api.plugin.PluginOptions;

/**
 * A plugin picked by name with its options, as a configuration file stores it.
 *
 * @param name    the plugin's name
 * @param options its options as strings
 */
public record PluginChoice(String name, Map<String, String> options) {
    public PluginChoice {
        requireNonNull(name, "name is null");
        options = options == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(options));
    }

    public static PluginChoice of(String name) {
        return new PluginChoice(name, Map.of());
    }

    public PluginOptions pluginOptions() {
        return new PluginOptions(name, options);
    }
}
