package org.bptt.training.run;

import org.bptt.api.gradient.GradientPolicy;
import org.bptt.training.plugin.PluginFamily;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.wiring.PluginChoice;

/** The gradient-norm threshold a run's policy clips at, asked of the policy itself (never read from its name). */
public final class ClipThreshold {
    private ClipThreshold() {}

    /**
     * The threshold of {@code policy} with its options, or NaN when it does not clip by norm or
     * cannot be made here (a plugin this process lacks, options it refuses).
     */
    public static double of(PluginChoice policy, Plugins plugins) {
        if (policy == null || plugins == null) {
            return Double.NaN;
        }
        try {
            GradientPolicy p = plugins.create(PluginFamily.POLICY, policy);
            return p.normThreshold().orElse(Double.NaN);
        } catch (RuntimeException | LinkageError e) {
            return Double.NaN;
        }
    }
}
