package org.bptt.testkit;

import java.util.ServiceLoader;
import org.bptt.api.plugin.PluginFactory;

/** The built-in plugins as ServiceLoader finds them, and the pins of their known contract failures. */
final class Builtins {
    private Builtins() {}

    static <F extends PluginFactory<?>> F load(Class<F> family, String name) {
        return ServiceLoader.load(family).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.name().equals(name))
                .findFirst()
                .orElseThrow(() ->
                        new AssertionError("ServiceLoader finds no " + family.getSimpleName() + " named " + name));
    }
}
