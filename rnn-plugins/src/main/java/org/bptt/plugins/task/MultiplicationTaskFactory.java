package org.bptt.plugins.task;

/** {@code multiplication}: the product of two marked values far apart; see {@link MarkedPairTask}. */
public final class MultiplicationTaskFactory extends MarkedPairTaskFactory {
    public MultiplicationTaskFactory() {
        super(
                "multiplication",
                "multiplication problem: product of the two marked values of a U(0,1) sequence, read at the last step (mse)",
                MarkedPairTask.Combine.PRODUCT);
    }
}
