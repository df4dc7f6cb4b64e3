package org.bptt.training.run;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bptt.api.plugin.PluginFactory;
import org.bptt.api.plugin.PluginParameter;
import org.bptt.training.config.RunConfig;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.wiring.PluginChoice;

/**
 * A configuration with every plugin option a run uses written out: the options given, and each
 * other declared option at its declared default, so that {@code config.json} says which learning
 * rate or threshold the run had, not only what was typed (and a later change of a default does
 * not silently change what "the same" configuration means). Giving a declared default explicitly
 * makes the same plugin as leaving it out (the test kit checks every plugin for that), so this
 * changes no run.
 */
public final class ResolvedOptions {
    private ResolvedOptions() {}

    /** {@code config} with each plugin's declared defaults filled in; a plugin that is not loaded is left as it is. */
    public static RunConfig of(RunConfig config, Plugins plugins) {
        RunConfig.Builder b = config.toBuilder();
        config.plugins().forEach((setting, choice) -> {
            PluginFactory<?> factory = plugins.registry(setting.family()).all().get(choice.name());
            if (factory == null) {
                return;
            }
            Map<String, String> all = new LinkedHashMap<>(choice.options());
            for (PluginParameter p : factory.parameters()) {
                if (p.defaultValue() != null) {
                    all.putIfAbsent(p.name(), p.defaultValue());
                }
            }
            b.set(setting, new PluginChoice(choice.name(), all));
        });
        return b.build();
    }
}
