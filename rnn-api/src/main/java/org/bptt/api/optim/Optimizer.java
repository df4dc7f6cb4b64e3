package org.bptt.api.optim;

import org.bptt.api.kernel.Kernels;
import org.bptt.api.plugin.Stateful;
import org.bptt.api.tensor.ParameterSet;

/**
 * Updates parameters from gradients: θ ← θ − step(g). One instance per run.
 *
 * <p>Lifecycle: {@link #bind} once with the parameters (allocate moment buffers there), then
 * {@link #step} once per update. Its state (moments, step count) is saved and restored
 * through {@link Stateful} for checkpoints. Not thread-safe.
 */
public interface Optimizer extends Stateful {

    /** Allocates state for these parameters. params not modified. */
    void bind(ParameterSet params, Kernels kernels);

    /**
     * Applies one update. params modified; grads not modified.
     */
    void step(ParameterSet params, ParameterSet grads);

    /** The learning rate now in use. */
    double learningRate();

    /**
     * Sets the learning rate of the next updates (a schedule's doing); the rate the optimizer
     * was created with is the schedule's base.
     *
     * @implSpec The default throws {@link UnsupportedOperationException}: the rate is fixed.
     * @see #hasAdjustableLearningRate()
     */
    default void setLearningRate(double lr) {
        throw new UnsupportedOperationException(describe() + " has a fixed learning rate");
    }

    /**
     * Whether {@link #setLearningRate} works, so that a schedule can apply.
     *
     * @implSpec The default is {@code false}.
     */
    default boolean hasAdjustableLearningRate() {
        return false;
    }

    /** For reports: {@code adam(lr=0.001, betas=0.9/0.999, eps=1e-08)}. */
    String describe();
}
