package org.bptt.plugins.task;

import java.util.List;
import java.util.Set;
import org.bptt.api.data.Task;
import org.bptt.api.data.TaskFactory;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.plugin.PluginParameter;

/** {@code sine}: predict the next value of a sine wave of random phase and frequency; see {@link SineTask}. */
public final class SineTaskFactory implements TaskFactory {
    static final int DEFAULT_STEPS = 50;
    /** Periods from about 13 to 63 steps: at least one cycle in the default 50 steps at the fast end. */
    static final double DEFAULT_OMEGA_MIN = 0.1;
    static final double DEFAULT_OMEGA_MAX = 0.5;

    @Override public String name() { return "sine"; }

    @Override
    public String description() {
        return "sine waves of random phase and frequency: predict the next value at every step (mse)";
    }

    @Override
    public List<PluginParameter> parameters() {
        return List.of(
                new PluginParameter("steps", Integer.toString(DEFAULT_STEPS), "sequence length T, at least 1"),
                new PluginParameter("omega-min", Double.toString(DEFAULT_OMEGA_MIN),
                        "lowest angular frequency in radians per step, greater than 0"),
                new PluginParameter("omega-max", Double.toString(DEFAULT_OMEGA_MAX),
                        "highest angular frequency in radians per step, from omega-min up to pi"));
    }

    @Override
    public Task create(PluginOptions options) {
        options.requireOnly(Set.of("steps", "omega-min", "omega-max"));
        int steps = options.atLeast("steps", DEFAULT_STEPS, 1);
        double lo = options.positive("omega-min", DEFAULT_OMEGA_MIN);
        double hi = options.positive("omega-max", DEFAULT_OMEGA_MAX);
        if (hi < lo) {
            throw new ConfigurationException(options.owner() + ": option 'omega-max' (" + hi
                    + ") must be at least option 'omega-min' (" + lo + ")");
        }
        if (hi > Math.PI) {
            throw new ConfigurationException(options.owner() + ": option 'omega-max' must be at most pi (3.14159…), "
                    + "beyond which one sample per step cannot tell the frequency apart, got " + hi);
        }
        return new SineTask(steps, lo, hi);
    }
}
