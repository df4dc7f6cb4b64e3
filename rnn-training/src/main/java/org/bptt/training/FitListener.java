package org.bptt.training;

import java.io.IOException;
import org.bptt.training.diag.GradientFlowSnapshot;

/**
 * Told what {@link Network#fit} does, on the training thread, in this order per iteration:
 * {@link #stopRequested}, {@link #onGradientFlow} and {@link #onTrainedFlow} (on diagnostic iterations),
 * {@link #onIteration},
 * and when a checkpoint is due {@link #beforeCheckpoint} then {@link #afterCheckpoint}. Every
 * method has a default that does nothing, so a listener implements what it needs.
 */
public interface FitListener {

    /** A listener that wants nothing. */
    FitListener NONE = new FitListener() {};

    /** Polled before each iteration; true ends the fit early (outcome INTERRUPTED, a checkpoint is saved). */
    default boolean stopRequested() {
        return false;
    }

    /** The measured gradient flow ‖∂L/∂h_k‖ of the iteration's batch, before its update. */
    default void onGradientFlow(Network network, GradientFlowSnapshot snapshot) {}

    /**
     * For a network of several layers or directions, right after {@link #onGradientFlow}: the
     * gradient flow ‖∂L/∂h_k‖ of each layer (element l for layer l; both directions of a
     * bidirectional layer in one norm).
     */
    default void onLayerGradientFlow(Network network, java.util.List<GradientFlowSnapshot> layers) {}

    /**
     * Right after {@link #onGradientFlow} (and {@link #onLayerGradientFlow}): the flow training
     * back-propagates through the same batch, ‖Σ_w ∂L_w/∂h_k‖ over the truncation's windows w —
     * exactly 0 at steps no window reaches; under full BPTT the very snapshot {@link #onGradientFlow} had.
     */
    default void onTrainedFlow(Network network, GradientFlowSnapshot snapshot) {}

    /** What one iteration measured, after its update. */
    default void onIteration(Network network, IterationMetrics metrics) {}

    /**
     * A checkpoint covering iterations before {@code iteration} is about to be written: write
     * whatever it must cover first, so that nothing a checkpoint covers can be missing after a crash.
     */
    default void beforeCheckpoint(Network network, long iteration) throws IOException {}

    /** The checkpoint is written (atomically). */
    default void afterCheckpoint(Network network, long iteration) {}
}
