package org.bptt.training.eval;

import org.bptt.api.plugin.ConfigurationException;

/** Evaluations during training were asked of a task that holds no sequences out; front ends say how to hold some out. */
public final class NoHeldOutDataException extends ConfigurationException {
    private static final long serialVersionUID = 1L;
    private final String task;

    public NoHeldOutDataException(String task, long every) {
        super("the task '" + task + "' holds no sequences out, so there is nothing to evaluate on every " + every
                + " iterations; hold part of its data out");
        this.task = task;
    }

    /** The task's name. */
    public String task() {
        return task;
    }
}
