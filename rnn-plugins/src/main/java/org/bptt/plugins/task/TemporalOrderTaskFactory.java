package org.bptt.plugins.task;

import java.util.List;
import org.bptt.api.data.Task;
import org.bptt.api.data.TaskFactory;
import org.bptt.api.plugin.PluginOption;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.plugin.PluginParameter;

/** {@code temporal-order}: classify the order of two relevant symbols among distractors; see {@link TemporalOrderTask}. */
public final class TemporalOrderTaskFactory implements TaskFactory {
    static final PluginOption<Integer> STEPS =
            PluginOption.integer("steps", 50, "sequence length T").atLeast(TemporalOrderTask.MIN_STEPS);

    @Override
    public String name() {
        return "temporal-order";
    }

    @Override
    public String description() {
        return "temporal order (Hochreiter & Schmidhuber 1997): which of XX, XY, YX, YY appeared among distractors, "
                + "read at the last step (ce)";
    }

    @Override
    public List<PluginParameter> parameters() {
        return PluginOption.parameters(STEPS);
    }

    @Override
    public Task create(PluginOptions options) {
        PluginOption.requireOnly(options, STEPS);
        return new TemporalOrderTask(TaskSupport.requireSteps(options.owner(), STEPS.read(options)));
    }
}
