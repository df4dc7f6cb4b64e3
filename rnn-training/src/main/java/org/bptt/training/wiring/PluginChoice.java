package org.bptt.training.wiring;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.plugin.PluginOptions;

/**
 * A plugin picked by name with its options, as a configuration file stores it:
 * {@code {"name": "adam", "options": {"lr": "0.002"}}}, or just {@code "adam"}.
 *
 * @param name    the plugin's name
 * @param options its options as strings, sorted by name
 */
public record PluginChoice(String name, Map<String, String> options) {
    public PluginChoice {
        requireNonNull(name, "name is null");
        options = options == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(options));
        // Every reader of a choice takes its values as text (a file may write "lr": null).
        for (Map.Entry<String, String> e : options.entrySet()) {
            if (e.getValue() == null) {
                throw new ConfigurationException("plugin '" + name + "': option '" + e.getKey()
                        + "' has no value (null); give it as text, or leave it out for its default");
            }
        }
    }

    /** A plugin with its defaults; also how a configuration file's bare {@code "adam"} reads. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static PluginChoice of(String name) {
        return new PluginChoice(name, Map.of());
    }

    /** The same plugin with one more option (replacing one of that name). */
    public PluginChoice with(String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(options);
        m.put(key, value);
        return new PluginChoice(name, m);
    }

    /** The same plugin with these options added (replacing those of the same names). */
    public PluginChoice withAll(Map<String, String> more) {
        Map<String, String> m = new LinkedHashMap<>(options);
        m.putAll(more);
        return new PluginChoice(name, m);
    }

    public PluginOptions pluginOptions() {
        return new PluginOptions(name, options);
    }

    @Override
    public String toString() {
        return options.isEmpty() ? name : name + options;
    }
}
