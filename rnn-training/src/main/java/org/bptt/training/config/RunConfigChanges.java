package org.bptt.training.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.plugin.PluginParameter;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.wiring.PluginChoice;

/**
 * Changes to a run configuration as a user types them, by the names of {@link RunSettings}: a
 * setting's value ({@code hidden} 128), a plugin's name ({@code optimizer} sgd), a plugin's option
 * ({@code opt} beta2=0.99) or a shorthand ({@code lr} 0.01), applied to a base configuration. A
 * plugin named anew starts from its own defaults (the base's options belonged to another plugin);
 * each option is given once. Values are parsed and checked by their declarations; messages name
 * what was typed as the caller's {@code naming} says (a command line: "--hidden").
 */
public final class RunConfigChanges {
    private final UnaryOperator<String> naming;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, List<String>> options = new LinkedHashMap<>();

    /** @param naming how a message names a setting, shorthand or options name that was typed */
    public RunConfigChanges(UnaryOperator<String> naming) {
        this.naming = naming;
    }

    /** A copy to add more changes to. */
    public RunConfigChanges copy() {
        RunConfigChanges c = new RunConfigChanges(naming);
        c.values.putAll(values);
        options.forEach((k, v) -> c.options.put(k, new ArrayList<>(v)));
        return c;
    }

    /** True when {@code name} is a setting or a shorthand (a value {@link #set} takes). */
    public static boolean isSetting(String name) {
        return RunSettings.named(name) != null || RunSettings.shorthand(name) != null;
    }

    /** True when {@code name} is the name under which a plugin's options are given. */
    public static boolean isOptionsName(String name) {
        return RunSettings.withOptionsNamed(name) != null;
    }

    /** A setting's value, a plugin's name or a shorthand's value, as typed. */
    public RunConfigChanges set(String name, String text) {
        if (!isSetting(name)) {
            throw new IllegalArgumentException(name + " is neither a run setting nor a shorthand");
        }
        if (values.put(name, text) != null) {
            throw new ConfigurationException(naming.apply(name) + " is given twice; give it once");
        }
        return this;
    }

    /** The names of the settings and shorthands given values (not the plugins' options). */
    public java.util.Set<String> given() {
        return java.util.Set.copyOf(values.keySet());
    }

    /** One option of a plugin, {@code KEY=VALUE}, under its options name ({@code opt} for the optimizer). */
    public RunConfigChanges option(String optionsName, String keyValue) {
        if (!isOptionsName(optionsName)) {
            throw new IllegalArgumentException(optionsName + " is not the options name of a plugin setting");
        }
        options.computeIfAbsent(optionsName, k -> new ArrayList<>()).add(keyValue);
        return this;
    }

    /** {@code base} with every change applied, checked. */
    public RunConfig applyTo(RunConfig base, Plugins plugins) {
        RunConfig.Builder c = base.toBuilder();
        for (RunSetting<?> s : RunSettings.all()) {
            if (s.kind() == RunSetting.Kind.PLUGIN) {
                RunSetting<PluginChoice> p = RunSettings.plugin(s);
                c.set(p, choice(p, base.get(p), plugins));
            } else if (values.containsKey(s.name())) {
                parseInto(c, s, values.get(s.name()));
            }
        }
        return c.build();
    }

    private <T> void parseInto(RunConfig.Builder c, RunSetting<T> s, String text) {
        c.set(s, s.parse(text, naming.apply(s.name())));
    }

    /**
     * The choice of one plugin setting: the base's, or the plugin named (with its own defaults),
     * then its options and shorthands, each key given once.
     */
    private PluginChoice choice(RunSetting<PluginChoice> s, PluginChoice base, Plugins plugins) {
        String name = values.get(s.name());
        List<RunSettings.Shorthand> shorts = RunSettings.shorthands().stream()
                .filter(h -> h.plugin() == s && values.containsKey(h.name()))
                .toList();
        for (RunSettings.Shorthand h : shorts) {
            name = name == null && h.implies() != null ? h.implies() : name;
        }
        List<String> keyValues = options.getOrDefault(s.optionsName(), List.of());
        String optionsFlag = naming.apply(s.optionsName());
        if (base == null && name == null) {
            if (!keyValues.isEmpty() || !shorts.isEmpty()) {
                throw new ConfigurationException(optionsFlag + " needs " + naming.apply(s.name()) + ": the "
                        + s.family().singular() + " is chosen only when one is named");
            }
            return null;
        }
        PluginChoice choice = name == null || (base != null && name.equals(base.name()))
                ? base
                : s.parse(name, naming.apply(s.name()));
        var factory = plugins.registry(s.family()).get(choice.name());
        Map<String, String> given = new LinkedHashMap<>();
        Map<String, String> from = new LinkedHashMap<>();
        for (String kv : keyValues) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new ConfigurationException(optionsFlag + " takes KEY=VALUE, got " + PluginOptions.shown(kv));
            }
            String key = kv.substring(0, eq).strip();
            if (from.containsKey(key)) {
                throw new ConfigurationException(optionsFlag + " sets '" + key + "' twice; give each option once");
            }
            given.put(key, kv.substring(eq + 1));
            from.put(key, optionsFlag + " " + key + "=");
        }
        for (RunSettings.Shorthand h : shorts) {
            List<PluginParameter> params = factory.parameters();
            String key = h.options().stream()
                    .filter(n -> params.stream().anyMatch(p -> p.name().equals(n)))
                    .findFirst()
                    .orElseThrow(() -> new ConfigurationException(naming.apply(h.name()) + " sets the option '"
                            + h.options().get(0) + "' of the " + s.family().singular() + ", but '" + factory.name()
                            + "' has no such option; its options: "
                            + (params.isEmpty()
                                    ? "none"
                                    : String.join(
                                                    ", ",
                                                    params.stream()
                                                            .map(PluginParameter::name)
                                                            .toList()) + " (use " + optionsFlag + " KEY=VALUE)")));
            if (from.containsKey(key)) {
                throw new ConfigurationException(
                        naming.apply(h.name()) + " and " + from.get(key) + " both set '" + key + "'; give it once");
            }
            given.put(key, values.get(h.name()));
            from.put(key, naming.apply(h.name()));
        }
        PluginChoice result = choice.withAll(given);
        plugins.check(s.family(), result);
        return result;
    }
}
