package org.bptt.api.loss;

import org.bptt.api.data.Targets;
import org.bptt.api.kernel.Kernels;

/**
 * A per-step loss L_t(o_t, target_t) on the readout o_t = V h_t + c, and its gradient. The
 * trainer computes the readout, asks the loss for values and gradients of the rows that
 * carry a loss, and sums: L_seq = Σ_t L_t over the loss steps, L_batch = mean over the
 * batch (or over batch × loss steps, as configured), so {@code scale} is 1/B (or
 * 1/(B·steps)).
 *
 * <p>Thread safety: stateless; may be shared. Must not allocate in {@link #evaluate}.
 */
public interface Loss {

    /** Whether targets are class indices (cross-entropy) or vectors (regression). */
    boolean wantsClassTargets();

    /**
     * For rows r in [0, rows) of a rows×width block of outputs: rowLoss[r] = L(o_r, target),
     * grad_r = scale · ∂L/∂o_r.
     *
     * @param kernels   the backend, for the row-wise work (softmax, scaling)
     * @param outputs   o, row-major with row stride {@code width}; not modified
     * @param targets   the batch's targets; row r of this block is target row {@code targetRow + r}; not modified
     * @param grad      receives scale · dL/do (same layout as outputs); modified
     * @param rowLoss   receives the unscaled per-row losses; modified
     * @return Σ_r rowLoss[r]
     */
    double evaluate(
            Kernels kernels,
            int rows,
            int width,
            float[] outputs,
            int outOff,
            Targets targets,
            int targetRow,
            float scale,
            float[] grad,
            int gradOff,
            double[] rowLoss,
            int rowLossOff);

    /** For reports: {@code ce}, {@code mse}. */
    String describe();
}
