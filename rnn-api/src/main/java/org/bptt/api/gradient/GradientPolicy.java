package org.bptt.api.gradient;

import org.bptt.api.kernel.Kernels;
import org.bptt.api.plugin.Stateful;
import org.bptt.api.tensor.ParameterSet;

/**
 * Transforms the gradients of all parameters after a backward pass and before the
 * optimizer's update (clipping by global norm, by value, or nothing), and reports what it
 * did so that training can log it.
 *
 * <p>Lifecycle: created once per run, then {@link #apply} once per update. Not thread-safe.
 */
public interface GradientPolicy extends Stateful {

    /**
     * @param params  the parameters; not modified
     * @param grads   their gradients; modified in place
     * @param kernels the backend
     * @param report  filled with what was done; modified
     */
    void apply(ParameterSet params, ParameterSet grads, Kernels kernels, PolicyReport report);

    /** For reports: {@code clip-norm(threshold=1.0)}. */
    String describe();
}
