package org.bptt.plugins.task;

import java.util.List;
import java.util.Set;
import org.bptt.api.data.Task;
import org.bptt.api.data.TaskFactory;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.plugin.PluginParameter;

/** {@code multiplication}: the product of two marked values far apart; see {@link MarkedPairTask}. */
public final class MultiplicationTaskFactory implements TaskFactory {
    static final int DEFAULT_STEPS = 50;

    @Override public String name() { return "multiplication"; }

    @Override
    public String description() {
        return "multiplication problem: product of the two marked values of a U(0,1) sequence, read at the last step (mse)";
    }

    @Override
    public List<PluginParameter> parameters() {
        return List.of(new PluginParameter("steps", Integer.toString(DEFAULT_STEPS),
                "sequence length T, at least " + MarkedPairTask.MIN_STEPS));
    }

    @Override
    public Task create(PluginOptions options) {
        options.requireOnly(Set.of("steps"));
        return new MarkedPairTask(MarkedPairTask.Combine.PRODUCT,
                options.atLeast("steps", DEFAULT_STEPS, MarkedPairTask.MIN_STEPS));
    }
}
