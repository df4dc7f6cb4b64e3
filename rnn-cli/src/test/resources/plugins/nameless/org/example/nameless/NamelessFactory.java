package org.example.nameless;

import org.bptt.api.gradient.GradientPolicy;
import org.bptt.api.gradient.GradientPolicyFactory;
import org.bptt.api.plugin.PluginOptions;

/** A policy factory whose name() is null. */
public final class NamelessFactory implements GradientPolicyFactory {
    @Override public String name() { return null; }
    @Override public String description() { return "has no name"; }
    @Override public GradientPolicy create(PluginOptions o) { throw new UnsupportedOperationException(); }
}
