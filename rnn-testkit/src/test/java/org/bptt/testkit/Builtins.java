package org.bptt.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.ServiceLoader;

import org.bptt.api.plugin.PluginFactory;
import org.bptt.testkit.ContractResult.Status;

/** The built-in plugins as ServiceLoader finds them, and the pins of their known contract failures. */
final class Builtins {
    private Builtins() {}

    static <F extends PluginFactory<?>> F load(Class<F> family, String name) {
        return ServiceLoader.load(family).stream().map(ServiceLoader.Provider::get).filter(f -> f.name().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("ServiceLoader finds no " + family.getSimpleName()
                        + " named " + name));
    }

    /**
     * A contract check that a built-in plugin is known to fail (a bug reported, not yet fixed in
     * rnn-plugins). The pin asserts the failure and its reason, so that it fails the build the day
     * the bug is fixed: then delete the override and the check runs as the base class's test again.
     */
    static void knownFailure(PluginFactory<?> factory, Map<String, String> options, ContractSettings settings,
                             String check, String reason) {
        ContractResult r = Contracts.check(factory, options, settings, check);
        assertEquals(Status.FAILED, r.status(), factory.name() + " now passes " + check
                + ": the bug is fixed, remove this known-failure pin. " + r.detail());
        assertTrue(r.detail().contains(reason), factory.name() + " fails " + check + " for another reason than the known"
                + " one (" + reason + "): " + r.detail());
    }
}
