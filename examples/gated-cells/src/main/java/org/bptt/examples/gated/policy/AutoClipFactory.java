package org.bptt.examples.gated.policy;

import java.util.List;
import java.util.Set;

import org.bptt.api.gradient.GradientPolicy;
import org.bptt.api.gradient.GradientPolicyFactory;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.plugin.PluginParameter;

/** {@code autoclip}: options percentile and history. */
public final class AutoClipFactory implements GradientPolicyFactory {
    /** The largest history accepted: two float arrays of it are kept, and one is saved in every checkpoint. */
    static final int MAX_HISTORY = 10_000_000;

    @Override
    public String name() { return "autoclip"; }

    @Override
    public String description() {
        return "clip by global norm to the p-th percentile of the latest gradient norms (AutoClip, Seetharaman et al. 2020)";
    }

    @Override
    public List<PluginParameter> parameters() {
        return List.of(
                new PluginParameter("percentile", "10", "p in [0, 100]: the clip threshold is this percentile of the recorded norms"),
                new PluginParameter("history", "1000", "how many of the latest norms are kept, 1 to " + MAX_HISTORY));
    }

    @Override
    public GradientPolicy create(PluginOptions o) {
        o.requireOnly(Set.of("percentile", "history"));
        double p = o.number("percentile", 10);
        if (p < 0 || p > 100) {
            throw new ConfigurationException("autoclip: option 'percentile' must be in [0, 100], got " + o.string("percentile", ""));
        }
        int history = o.atLeast("history", 1000, 1);
        if (history > MAX_HISTORY) {
            throw new ConfigurationException("autoclip: option 'history' must be at most " + MAX_HISTORY + ", got " + history);
        }
        return new AutoClip(p, history);
    }
}
