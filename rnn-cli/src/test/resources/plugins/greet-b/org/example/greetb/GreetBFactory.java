package org.example.greetb;

import org.bptt.api.gradient.GradientPolicy;
import org.bptt.api.gradient.GradientPolicyFactory;
import org.bptt.api.plugin.PluginOptions;

/** A policy that says which version of the shared library its class loader gave it. */
public final class GreetBFactory implements GradientPolicyFactory {
    @Override public String name() { return "greet-b"; }
    @Override public String description() { return "says " + org.example.shared.Greeting.text(); }
    @Override public GradientPolicy create(PluginOptions o) { throw new UnsupportedOperationException("listing only"); }
}
