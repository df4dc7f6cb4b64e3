package org.bptt.api.cell;

/**
 * A cell bound to one run: forward and backward over a window of time steps of a batch.
 *
 * <h2>Buffers</h2>
 * All buffers are time-major flat arrays.
 * <ul>
 *   <li>{@code x}: the inputs, step t at offset {@code t·B·I}, a B×I row-major block.</li>
 *   <li>{@code states}: T+1 slots of B×S (S = state width). Slot 0 is the state before the
 *       first step (h_{-1}); slot t+1 is the state after step t.</li>
 *   <li>{@code dStates}: the same geometry as {@code states}, holding gradients of the loss
 *       with respect to the states.</li>
 * </ul>
 * The step index t is absolute within the sequence (0 ≤ from &lt; to ≤ T), so a window in
 * the middle of a sequence addresses the same slots as a full pass.
 *
 * <p>Both methods are called on the hot path: they must not allocate, log or block.
 */
public interface CellRunner {

    /**
     * Computes steps [from, to): reads slot {@code from} of {@code states} and
     * {@code x}, writes slots from+1 … to. Also records whatever {@link #backward} will need
     * for those steps (in the runner's own scratch, indexed by t).
     *
     * @param x      inputs; not modified
     * @param states slots from+1 … to modified
     */
    void forward(int from, int to, float[] x, float[] states);

    /**
     * Back-propagates through steps [from, to), last step first, after a {@link #forward}
     * that covered them with the same parameters.
     *
     * <p>On entry, slot t+1 of {@code dStates} (for t in [from, to)) holds ∂L/∂s_t coming
     * directly from the loss at step t (the readout's gradient on h_t, zeros elsewhere) and
     * slot {@code from} holds zeros. On return, slot t+1 holds the total derivative dL/ds_t
     * through every later step of the window, and slot {@code from} holds the gradient with
     * respect to the state that entered the window. Parameter gradients are ADDED to the
     * context's gradient set.
     *
     * @param x       inputs; not modified
     * @param states  states from the forward pass; not modified
     * @param dStates slots from … to modified as described
     */
    void backward(int from, int to, float[] x, float[] states, float[] dStates);
}
