package org.bptt.plugins.task;

import java.util.List;
import java.util.Set;
import org.bptt.api.data.Task;
import org.bptt.api.data.TaskFactory;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.plugin.PluginParameter;

/** What the adding and multiplication factories share: one option, one task class. */
abstract class MarkedPairTaskFactory implements TaskFactory {
    static final int DEFAULT_STEPS = 50;

    private final String name;
    private final String description;
    private final MarkedPairTask.Combine combine;

    MarkedPairTaskFactory(String name, String description, MarkedPairTask.Combine combine) {
        this.name = name;
        this.description = description;
        this.combine = combine;
    }

    @Override public String name() { return name; }

    @Override public String description() { return description; }

    @Override
    public List<PluginParameter> parameters() {
        return List.of(new PluginParameter("steps", Integer.toString(DEFAULT_STEPS),
                "sequence length T, at least " + MarkedPairTask.MIN_STEPS));
    }

    @Override
    public Task create(PluginOptions options) {
        options.requireOnly(Set.of("steps"));
        return new MarkedPairTask(combine, options.atLeast("steps", DEFAULT_STEPS, MarkedPairTask.MIN_STEPS));
    }
}
