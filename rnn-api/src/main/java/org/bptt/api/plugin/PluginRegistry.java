package org.bptt.api.plugin;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The plugins of one family that {@link ServiceLoader} finds, by name. Duplicate names fail
 * loudly; an unknown name gets an error listing the names that exist.
 *
 * @param <F> the family's factory interface
 */
public final class PluginRegistry<F extends PluginFactory<?>> {
    private final String family;
    private final Map<String, F> byName;

    private PluginRegistry(String family, Map<String, F> byName) {
        this.family = family;
        this.byName = Collections.unmodifiableMap(byName);
    }

    /**
     * @param family human name of the family ("gradient policy"), for messages
     * @param type   the family's factory interface
     */
    public static <F extends PluginFactory<?>> PluginRegistry<F> load(String family, Class<F> type, ClassLoader loader) {
        requireNonNull(type, "type is null");
        Map<String, F> found = new TreeMap<>();
        for (F f : ServiceLoader.load(type, loader)) {
            F previous = found.putIfAbsent(f.name(), f);
            if (previous != null && previous.getClass() != f.getClass()) {
                throw new IllegalStateException("two " + family + " plugins are named '" + f.name() + "': "
                        + previous.getClass().getName() + " and " + f.getClass().getName());
            }
        }
        return new PluginRegistry<>(family, new LinkedHashMap<>(found));
    }

    public static <F extends PluginFactory<?>> PluginRegistry<F> load(String family, Class<F> type) {
        return load(family, type, type.getClassLoader());
    }

    /** Builds a registry from factories already in hand (Guice's map binder hands them over this way). */
    public static <F extends PluginFactory<?>> PluginRegistry<F> of(String family, Map<String, F> byName) {
        return new PluginRegistry<>(family, new LinkedHashMap<>(new TreeMap<>(byName)));
    }

    public String family() { return family; }
    public Map<String, F> all() { return byName; }

    public F get(String name) {
        F f = byName.get(name);
        if (f == null) {
            throw new ConfigurationException("unknown " + family + " '" + name + "'; known: "
                    + (byName.isEmpty() ? "none (no plugin of this kind is on the class path)" : String.join(", ", byName.keySet())));
        }
        return f;
    }
}
