package org.bptt.cli;

import java.util.List;
import java.util.Map;

import org.bptt.api.plugin.PluginFactory;
import org.bptt.api.plugin.PluginParameter;
import org.bptt.api.plugin.PluginRegistry;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.run.RunConfig;

/**
 * Publishes the defaults that help texts show as system properties ({@code ${sys:rnn.default.hidden}}),
 * read from their one source: {@link RunConfig#defaults()} for run settings, the plugins'
 * declarations for plugin options.
 */
final class HelpDefaults {
    private HelpDefaults() {}

    static void publish(String[] args) {
        RunConfig d = RunConfig.defaults();
        set("task", d.task().name());
        set("cell", d.cell().name());
        set("optimizer", d.optimizer().name());
        set("policy", d.policy().name());
        set("truncation", d.truncation().name());
        set("initializer", d.initializer().name());
        set("hidden", Integer.toString(d.hidden()));
        set("batch", Integer.toString(d.batch()));
        set("iterations", Long.toString(d.iterations()));
        set("seed", Long.toString(d.seed()));
        set("threads", Integer.toString(d.threads()));
        set("backend", d.backend());
        set("lossMean", d.lossMean());
        set("nonFinite", d.nonFinite());
        set("update", d.updatePerWindow() ? "per-window" : "per-sequence");
        set("checkpointEvery", Long.toString(d.checkpointEvery()));
        set("diagnosticsEvery", Long.toString(d.diagnosticsEvery()));
        boolean help = List.of(args).stream().anyMatch(a -> a.equals("-h") || a.equals("--help") || a.equals("help"));
        System.setProperty("rnn.help.plugins", help ? listing() : "");
    }

    private static void set(String key, String value) {
        System.setProperty("rnn.default." + key, value);
    }

    /** Every family's plugins with their options' defaults, two lines of text per family at most. */
    private static String listing() {
        Plugins plugins;
        try {
            plugins = Plugins.discover();
        } catch (RuntimeException e) {
            return "  (the plugins cannot be listed: " + e.getMessage() + ")";
        }
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, PluginRegistry<? extends PluginFactory<?>>> f : plugins.families().entrySet()) {
            b.append("  ").append(f.getKey()).append(":");
            for (PluginFactory<?> p : f.getValue().all().values()) {
                b.append(' ').append(p.name());
                List<PluginParameter> ps = p.parameters();
                if (!ps.isEmpty()) {
                    b.append('(');
                    for (int i = 0; i < ps.size(); i++) {
                        PluginParameter x = ps.get(i);
                        b.append(i > 0 ? ", " : "").append(x.name()).append('=').append(x.defaultValue() == null ? "required" : x.defaultValue());
                    }
                    b.append(')');
                }
            }
            b.append("%n");
        }
        return b.toString().replace("%n", System.lineSeparator());
    }
}
