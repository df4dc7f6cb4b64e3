package org.example.future;

import org.bptt.api.gradient.GradientPolicy;
import org.bptt.api.gradient.GradientPolicyFactory;
import org.bptt.api.plugin.Novelty;
import org.bptt.api.plugin.PluginOptions;

/** A plugin built against an API this platform does not have. */
public final class FutureFactory implements GradientPolicyFactory {
    @Override public String name() { return Novelty.name(); }
    @Override public String description() { return "needs a newer rnn-api"; }
    @Override public GradientPolicy create(PluginOptions o) { throw new UnsupportedOperationException(); }
}
