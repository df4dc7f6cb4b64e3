package org.bptt.training.run;

import org.bptt.api.data.Task;
import org.bptt.training.Network;

/**
 * Measures a network on held-out data during and at the end of a {@link TrainingRun} (see
 * {@link TrainingRun#evaluateWith}); {@code org.bptt.training.eval.HeldOutEvaluator} is the
 * platform's. Called on the training thread; must not change the network.
 */
@FunctionalInterface
public interface Evaluator {
    /**
     * @param network the network as trained so far (not modified)
     * @param task    the run's task
     * @return the measurement, at iteration {@code network.iteration()}
     */
    Evaluation evaluate(Network network, Task task);
}
