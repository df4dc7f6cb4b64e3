package org.bptt.plugins.task;

import java.util.List;
import java.util.Set;
import org.bptt.api.data.Task;
import org.bptt.api.data.TaskFactory;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.plugin.PluginParameter;

/** {@code temporal-order}: classify the order of two relevant symbols among distractors; see {@link TemporalOrderTask}. */
public final class TemporalOrderTaskFactory implements TaskFactory {
    static final int DEFAULT_STEPS = 50;

    @Override public String name() { return "temporal-order"; }

    @Override
    public String description() {
        return "temporal order (Hochreiter & Schmidhuber 1997): which of XX, XY, YX, YY appeared among distractors, "
                + "read at the last step (ce)";
    }

    @Override
    public List<PluginParameter> parameters() {
        return List.of(new PluginParameter("steps", Integer.toString(DEFAULT_STEPS),
                "sequence length T, at least " + TemporalOrderTask.MIN_STEPS));
    }

    @Override
    public Task create(PluginOptions options) {
        options.requireOnly(Set.of("steps"));
        return new TemporalOrderTask(options.atLeast("steps", DEFAULT_STEPS, TemporalOrderTask.MIN_STEPS));
    }
}
