package org.bptt.plugins.task;

/** {@code adding}: the sum of two marked values far apart; see {@link MarkedPairTask}. */
public final class AddingTaskFactory extends MarkedPairTaskFactory {
    public AddingTaskFactory() {
        super(
                "adding",
                "adding problem: sum of the two marked values of a U(0,1) sequence, read at the last step (mse)",
                MarkedPairTask.Combine.SUM);
    }
}
