package org.bptt.api.gradient;

import java.util.OptionalDouble;
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

    /**
     * The global gradient norm above which this policy rescales the gradients, if it has one:
     * pages draw it beside the measured norms, without knowing the plugin by name.
     *
     * @implSpec The default is empty: the policy does not clip by norm.
     * @since 0.2.0
     */
    default OptionalDouble normThreshold() {
        return OptionalDouble.empty();
    }
}
