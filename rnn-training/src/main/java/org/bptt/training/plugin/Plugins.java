package org.bptt.training.plugin;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bptt.api.cell.CellFactory;
import org.bptt.api.data.TaskFactory;
import org.bptt.api.gradient.GradientPolicyFactory;
import org.bptt.api.init.InitializerFactory;
import org.bptt.api.loss.LossFactory;
import org.bptt.api.optim.OptimizerFactory;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.plugin.PluginFactory;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.plugin.PluginParameter;
import org.bptt.api.plugin.PluginRegistry;
import org.bptt.api.truncation.TruncationFactory;
import org.bptt.training.wiring.PluginChoice;

/**
 * Every plugin the platform can use, by family and name, with where each came from: the
 * platform's class path (or module path) and the outside plugins of a plugin path, each in a
 * class loader of its own ({@link PluginLoader}). Immutable and thread-safe.
 */
public final class Plugins {
    private final Map<PluginFamily, PluginRegistry<? extends PluginFactory<?>>> registries;
    private final Map<PluginFactory<?>, PluginOrigin> origins;
    private final List<PluginOrigin> outside;

    Plugins(
            Map<PluginFamily, Map<String, PluginFactory<?>>> byFamily,
            Map<PluginFactory<?>, PluginOrigin> origins,
            List<PluginOrigin> outside) {
        Map<PluginFamily, PluginRegistry<? extends PluginFactory<?>>> r = new EnumMap<>(PluginFamily.class);
        for (PluginFamily f : PluginFamily.values()) {
            r.put(f, PluginRegistry.of(f.singular(), byFamily.getOrDefault(f, Map.of())));
        }
        this.registries = Collections.unmodifiableMap(r);
        this.origins = Collections.unmodifiableMap(new IdentityHashMap<>(origins));
        this.outside = List.copyOf(outside);
    }

    /** The plugins on the platform's own class path or module path. */
    public static Plugins discover() {
        return PluginLoader.load(List.of());
    }

    /** The platform's plugins and those of the plugin path (jars, and folders of plugins). */
    public static Plugins load(List<java.nio.file.Path> pluginPath) {
        return PluginLoader.load(pluginPath);
    }

    @SuppressWarnings("unchecked")
    public <F extends PluginFactory<?>> PluginRegistry<F> registry(PluginFamily family) {
        return (PluginRegistry<F>) registries.get(family);
    }

    public PluginRegistry<CellFactory> cells() {
        return registry(PluginFamily.CELL);
    }

    public PluginRegistry<LossFactory> losses() {
        return registry(PluginFamily.LOSS);
    }

    public PluginRegistry<OptimizerFactory> optimizers() {
        return registry(PluginFamily.OPTIMIZER);
    }

    public PluginRegistry<GradientPolicyFactory> policies() {
        return registry(PluginFamily.POLICY);
    }

    public PluginRegistry<TruncationFactory> truncations() {
        return registry(PluginFamily.TRUNCATION);
    }

    public PluginRegistry<InitializerFactory> initializers() {
        return registry(PluginFamily.INITIALIZER);
    }

    public PluginRegistry<TaskFactory> tasks() {
        return registry(PluginFamily.TASK);
    }

    public PluginRegistry<org.bptt.api.schedule.ScheduleFactory> schedules() {
        return registry(PluginFamily.SCHEDULE);
    }

    /** Where a factory of this set came from. */
    public PluginOrigin origin(PluginFactory<?> factory) {
        PluginOrigin o = origins.get(factory);
        if (o == null) {
            throw new IllegalArgumentException(factory.name() + " is not one of these plugins");
        }
        return o;
    }

    /** The outside plugins loaded from the plugin path, in path order. */
    public List<PluginOrigin> outside() {
        return outside;
    }

    /** Every plugin of every family, family by family in display order. */
    public List<PluginFactory<?>> all() {
        List<PluginFactory<?>> all = new ArrayList<>();
        for (PluginFamily f : PluginFamily.values()) {
            all.addAll(registries.get(f).all().values());
        }
        return List.copyOf(all);
    }

    /**
     * The plugins named {@code name}, of whatever family (families may share a name), in display
     * order; one sentence listing the known names when there is none.
     */
    public List<PluginFactory<?>> named(String name) {
        List<PluginFactory<?>> all = all();
        List<PluginFactory<?>> match =
                all.stream().filter(f -> f.name().equals(name)).toList();
        if (match.isEmpty()) {
            throw new ConfigurationException("no plugin named '" + name + "'; known: "
                    + String.join(
                            ", ",
                            all.stream()
                                    .map(PluginFactory::name)
                                    .distinct()
                                    .sorted()
                                    .toList()));
        }
        return match;
    }

    /** All families in display order ("cells" → registry), for listings. */
    public Map<String, PluginRegistry<? extends PluginFactory<?>>> families() {
        Map<String, PluginRegistry<? extends PluginFactory<?>>> m = new LinkedHashMap<>();
        for (PluginFamily f : PluginFamily.values()) {
            m.put(f.plural(), registries.get(f));
        }
        return m;
    }

    /**
     * Checks a choice against the plugin's declared parameters: the name exists, every option is
     * declared, and numbers, whole numbers and flags parse. The plugin's own {@code create}
     * checks ranges. Returns the factory.
     */
    public <F extends PluginFactory<?>> F check(PluginFamily family, PluginChoice choice) {
        F factory = this.<F>registry(family).get(choice.name());
        List<PluginParameter> declared = factory.parameters();
        List<String> names = new ArrayList<>();
        for (PluginParameter p : declared) {
            names.add(p.name());
        }
        for (Map.Entry<String, String> e : choice.options().entrySet()) {
            PluginParameter p = declared.stream()
                    .filter(d -> d.name().equals(e.getKey()))
                    .findFirst()
                    .orElse(null);
            if (p == null) {
                throw new ConfigurationException(
                        family.singular() + " '" + choice.name() + "' has no option " + PluginOptions.shown(e.getKey())
                                + "; its options: " + (names.isEmpty() ? "none" : String.join(", ", names)));
            }
            if (!parses(p.type(), e.getValue())) {
                throw new ConfigurationException(family.singular() + " '" + choice.name() + "': option '" + p.name()
                        + "' must be " + (p.accepted().isEmpty() ? "a " + p.type() : p.accepted()) + ", got "
                        + PluginOptions.shown(e.getValue()));
            }
        }
        return factory;
    }

    /**
     * Creates the strategy a choice names, after {@link #check}. A failure inside an outside
     * plugin (not a configuration mistake it reports) becomes a {@link PluginFailure} naming it.
     */
    public <T> T create(PluginFamily family, PluginChoice choice) {
        PluginFactory<?> factory = check(family, choice);
        try {
            @SuppressWarnings("unchecked")
            T made = (T) factory.create(choice.pluginOptions());
            return requireNonNull(made, () -> family.singular() + " '" + choice.name() + "' created nothing");
        } catch (ConfigurationException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            throw PluginFailure.of(this, factory, family, e);
        }
    }

    private static boolean parses(String type, String value) {
        String v = value.strip();
        return switch (type) {
            case "number" ->
                v.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?") && Double.isFinite(Double.parseDouble(v));
            case "integer" -> v.matches("[+-]?\\d{1,10}") && Long.parseLong(v) == (int) Long.parseLong(v);
            case "boolean" -> v.equals("true") || v.equals("false");
            default -> true;
        };
    }
}
