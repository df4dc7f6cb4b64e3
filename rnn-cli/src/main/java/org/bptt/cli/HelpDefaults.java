package org.bptt.cli;

import java.util.List;
import java.util.Map;
import org.bptt.api.plugin.PluginFactory;
import org.bptt.api.plugin.PluginParameter;
import org.bptt.api.plugin.PluginRegistry;
import org.bptt.training.config.RunSetting;
import org.bptt.training.config.RunSettings;
import org.bptt.training.plugin.Plugins;

/**
 * Publishes the defaults that help texts show as system properties ({@code ${sys:rnn.default.hidden}}),
 * read from their one source: {@link RunSettings} for run settings, the plugins'
 * declarations for plugin options.
 */
final class HelpDefaults {
    private HelpDefaults() {}

    static void publish(String[] args) {
        for (RunSetting<?> s : RunSettings.all()) {
            String shown = shown(s);
            set(s.key(), shown == null ? "none" : shown);
        }
        boolean help = List.of(args).stream().anyMatch(a -> a.equals("-h") || a.equals("--help") || a.equals("help"));
        System.setProperty("rnn.help.plugins", help ? listing() : "");
        if (help) {
            publishPluginOptions();
        }
    }

    /**
     * Each plugin option's default as {@code rnn.default.PLUGIN.OPTION} (e.g. {@code
     * ${sys:rnn.default.adam.lr}}), for help texts that name the default of a short flag.
     */
    private static void publishPluginOptions() {
        try {
            for (var f : Plugins.discover().families().values()) {
                for (PluginFactory<?> p : f.all().values()) {
                    for (PluginParameter x : p.parameters()) {
                        set(p.name() + "." + x.name(), x.defaultValue() == null ? "required" : x.defaultValue());
                    }
                }
            }
        } catch (RuntimeException e) {
            // The listing says that the plugins cannot be listed; the help still prints.
        }
    }

    private static <T> String shown(RunSetting<T> s) {
        return s.show(s.defaultValue());
    }

    private static void set(String key, String value) {
        System.setProperty("rnn.default." + key, value);
    }

    /** Widest line of the listing: within picocli's narrowest usage width, so that it never rewraps a line mid-word. */
    static final int WIDTH = 78;

    /**
     * Every family's plugins with their options' defaults, one plugin a line, the family's name
     * before its first, e.g. {@code "  optimizers:  adam(lr=0.001, beta1=0.9, …)"}; a plugin with
     * more options than fit is continued on the next line after a comma.
     */
    static String listing() {
        Plugins plugins;
        try {
            // With the installation's plugins (GRU and LSTM are bundled) and $RNN_PLUGINS, as a command loads them.
            plugins = Plugins.load(new PluginPathOption().entries());
        } catch (RuntimeException e) {
            return "  (the plugins cannot be listed: " + e.getMessage() + ")";
        }
        Map<String, PluginRegistry<? extends PluginFactory<?>>> families = plugins.families();
        int label = families.keySet().stream().mapToInt(String::length).max().orElse(0) + 4;
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, PluginRegistry<? extends PluginFactory<?>>> f : families.entrySet()) {
            String head = "  " + f.getKey() + ":";
            boolean first = true;
            for (PluginFactory<?> p : f.getValue().all().values()) {
                String prefix = first ? head + " ".repeat(label - head.length()) : " ".repeat(label);
                first = false;
                List<String> parts = new java.util.ArrayList<>();
                List<PluginParameter> ps = p.parameters();
                for (int i = 0; i < ps.size(); i++) {
                    PluginParameter x = ps.get(i);
                    parts.add(x.name() + "=" + (x.defaultValue() == null ? "required" : x.defaultValue())
                            + (i < ps.size() - 1 ? "," : ")"));
                }
                StringBuilder line = new StringBuilder(prefix).append(p.name()).append(parts.isEmpty() ? "" : "(");
                String indent = " ".repeat(label + p.name().length() + 1);
                boolean fresh = true;
                for (String part : parts) {
                    if (!fresh && line.length() + 1 + part.length() > WIDTH) {
                        b.append(line).append("%n");
                        line = new StringBuilder(indent);
                        fresh = true;
                    }
                    line.append(fresh ? "" : " ").append(part);
                    fresh = false;
                }
                b.append(line).append("%n");
            }
        }
        return b.toString().replace("%n", System.lineSeparator());
    }
}
