package org.bptt.plugins.task;

import java.util.List;
import org.bptt.api.data.Task;
import org.bptt.api.data.TaskFactory;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.plugin.PluginOption;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.plugin.PluginParameter;

/** {@code sine}: predict the next value of a sine wave of random phase and frequency; see {@link SineTask}. */
public final class SineTaskFactory implements TaskFactory {
    static final PluginOption<Integer> STEPS =
            PluginOption.integer("steps", 50, "sequence length T").atLeast(1);
    /** Periods from about 13 to 63 steps: at least one cycle in the default 50 steps at the fast end. */
    static final PluginOption<Double> OMEGA_MIN = PluginOption.number(
                    "omega-min", 0.1, "lowest angular frequency in radians per step")
            .positive();
    /** Beyond pi, one sample per step cannot tell the frequency apart. */
    static final PluginOption<Double> OMEGA_MAX = PluginOption.number(
                    "omega-max", 0.5, "highest angular frequency in radians per step, from omega-min up to pi")
            .positive()
            .check(
                    v -> v <= Math.PI,
                    "at most pi (3.14159…), beyond which one sample per step cannot tell the frequency apart");

    @Override
    public String name() {
        return "sine";
    }

    @Override
    public String description() {
        return "sine waves of random phase and frequency: predict the next value at every step (mse)";
    }

    @Override
    public List<PluginParameter> parameters() {
        return PluginOption.parameters(STEPS, OMEGA_MIN, OMEGA_MAX);
    }

    @Override
    public Task create(PluginOptions options) {
        PluginOption.requireOnly(options, STEPS, OMEGA_MIN, OMEGA_MAX);
        int steps = STEPS.read(options);
        TaskSupport.requireSteps(options.owner(), steps);
        double lo = OMEGA_MIN.read(options);
        double hi = OMEGA_MAX.read(options);
        if (hi < lo) {
            throw new ConfigurationException(options.owner() + ": option 'omega-max' (" + hi
                    + ") must be at least option 'omega-min' (" + lo + ")");
        }
        return new SineTask(steps, lo, hi);
    }
}
