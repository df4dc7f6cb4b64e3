package org.example.greeta;

import org.bptt.api.gradient.GradientPolicy;
import org.bptt.api.gradient.GradientPolicyFactory;
import org.bptt.api.plugin.PluginOptions;

/** A policy that says which version of the shared library its class loader gave it. */
public final class GreetAFactory implements GradientPolicyFactory {
    @Override public String name() { return "greet-a"; }
    @Override public String description() { return "says " + org.example.shared.Greeting.text() + ", " + platformLibrary(); }

    /** Whether the platform's own dependencies leak into the plugin: they must not. */
    private static String platformLibrary() {
        try {
            Class.forName("com.google.inject.Guice");
            return "sees the platform's Guice";
        } catch (ClassNotFoundException e) {
            return "sees no platform library";
        }
    }
    @Override public GradientPolicy create(PluginOptions o) { throw new UnsupportedOperationException("listing only"); }
}
