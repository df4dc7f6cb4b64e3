package org.bptt.plugins.task;

import java.util.List;
import org.bptt.api.data.Task;
import org.bptt.api.data.TaskFactory;
import org.bptt.api.plugin.PluginOption;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.plugin.PluginParameter;

/** What the adding and multiplication factories share: one option, one task class. */
abstract class MarkedPairTaskFactory implements TaskFactory {
    /** T = 40: long enough that the two marks are far apart, short enough to learn in seconds. */
    static final PluginOption<Integer> STEPS =
            PluginOption.integer("steps", 40, "sequence length T").atLeast(MarkedPairTask.MIN_STEPS);

    private final String name;
    private final String description;
    private final MarkedPairTask.Combine combine;

    MarkedPairTaskFactory(String name, String description, MarkedPairTask.Combine combine) {
        this.name = name;
        this.description = description;
        this.combine = combine;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public List<PluginParameter> parameters() {
        return PluginOption.parameters(STEPS);
    }

    @Override
    public Task create(PluginOptions options) {
        PluginOption.requireOnly(options, STEPS);
        return new MarkedPairTask(combine, TaskSupport.requireSteps(options.owner(), STEPS.read(options)));
    }
}
