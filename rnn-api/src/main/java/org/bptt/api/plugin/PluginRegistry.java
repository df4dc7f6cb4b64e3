package org.bptt.api.plugin;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The plugins of one family, by name, as the Guice map binders hold them (filled from
 * {@link java.util.ServiceLoader}, where duplicate names fail). An unknown name gets an error
 * listing the names that exist.
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

    /** Builds a registry from factories already in hand (Guice's map binder hands them over this way). */
    public static <F extends PluginFactory<?>> PluginRegistry<F> of(String family, Map<String, F> byName) {
        return new PluginRegistry<>(family, new LinkedHashMap<>(new TreeMap<>(byName)));
    }

    public String family() {
        return family;
    }

    public Map<String, F> all() {
        return byName;
    }

    public F get(String name) {
        F f = byName.get(name);
        if (f == null) {
            throw new ConfigurationException("unknown " + family + " '" + name + "'; known: "
                    + (byName.isEmpty()
                            ? "none (no plugin of this kind is on the class path)"
                            : String.join(", ", byName.keySet())));
        }
        return f;
    }
}
