package org.bptt.api.cell;

/**
 * A cell bound to one run: forward and backward over a window of time steps of a batch.
 *
 * <h2>Buffers</h2>
 * All buffers are time-major flat arrays.
 * <ul>
 *   <li>{@code x}: the inputs, step t at offset {@code t·B·I}, a B×I row-major block.</li>
 *   <li>{@code states}: T+1 slots of B×S (S = state width). Slot 0 is the state before the
 *       first step (s_{-1}); slot t+1 is the state after step t. Row r of slot t+1 starts at
 *       {@code (t+1)·B·S + r·S}; its first H floats are h_t.</li>
 *   <li>{@code dStates}: the same geometry as {@code states}, holding gradients of the loss
 *       with respect to the states.</li>
 * </ul>
 * The step index t is absolute within the sequence (0 ≤ from &lt; to ≤ T, T ≤
 * {@link CellContext#maxSteps()}), so a window in the middle of a sequence addresses the same
 * slots as a full pass. Scratch that backward needs from forward (gate activations, say) is
 * best indexed by absolute t too: allocate {@code maxSteps × B × …} in {@link Cell#bind}.
 *
 * <h2>Which calls a runner sees, in order</h2>
 * For each training iteration (one batch), with the truncation's windows w_1 … w_n:
 * <ol>
 *   <li>{@code forward(0, w_1.backTo)}, then {@code backward(w_1.backFrom, w_1.backTo)};</li>
 *   <li>for each later window: {@code forward(previous end, w_i.backTo)} (only the steps not
 *       yet computed; the forward pass is never restarted), then
 *       {@code backward(w_i.backFrom, w_i.backTo)}.</li>
 * </ol>
 * Full BPTT is one window [0, T). With TBPTT(k1, k2), k2 &gt; k1, a backward window reaches
 * back over steps computed by <em>earlier</em> forward calls: TBPTT(5, 15) runs
 * forward(0, 5), backward(0, 5), forward(5, 10), backward(0, 10), forward(10, 15),
 * backward(0, 15), … With per-window updates (online TBPTT, the default) the optimizer
 * changes the parameters after every backward call, so a backward window may cover steps
 * whose forward ran with older parameters: use the states and scratch recorded at forward
 * time together with the parameters as they are now (Williams &amp; Peng's approximation).
 * With the parameters held fixed (per-sequence updates, gradient checks, the reference
 * cases) the result is the exact truncated gradient. Diagnostics and evaluation call
 * {@code forward(0, T)} alone, or a forward followed by any number of backward windows.
 *
 * <p>Both methods are called on the hot path: they must not allocate, log or block, and
 * for the same inputs must give the same bits whatever {@link org.bptt.api.kernel.Kernels#threads()}
 * is. A runner is used by one thread at a time (it may hand parts of a window to
 * {@link org.bptt.api.kernel.Kernels#parallelFor}).
 */
public interface CellRunner {

    /**
     * Computes steps [from, to): reads slot {@code from} of {@code states} and
     * {@code x}, writes slots from+1 … to. Also records whatever {@link #backward} will need
     * for those steps (in the runner's own scratch, indexed by t); that record must survive
     * later forward calls over other steps, since a backward window can reach back to them.
     *
     * @param x      inputs; not modified
     * @param states slots from+1 … to modified
     */
    void forward(int from, int to, float[] x, float[] states);

    /**
     * Back-propagates through steps [from, to), last step first. Every step of the window was
     * computed by an earlier {@link #forward} of the current batch (possibly by several, and
     * possibly before a parameter update; see the class comment).
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

    /**
     * Whether {@link #addInputGradient} works. The platform stacks layers by feeding one
     * layer's h_t to the next as its input, so every layer above the first needs the gradient
     * with respect to its inputs; a cell without it can still be the first (or only) layer.
     *
     * @implSpec The default is {@code false}.
     */
    default boolean hasInputGradient() {
        return false;
    }

    /**
     * Adds ∂L/∂x_t for t in [from, to) to {@code dx} (the geometry of {@code x}: step t at
     * {@code t·B·I}), for the window of the {@link #backward} call just made, with the same
     * {@code from}, {@code to} and the same parameters. Called at most once after each
     * backward call, before any other call; it must not allocate.
     *
     * @param x      inputs; not modified
     * @param states states from the forward pass; not modified
     * @param dx     steps from … to−1 modified (added to)
     * @implSpec The default throws {@link UnsupportedOperationException}: see {@link #hasInputGradient}.
     */
    default void addInputGradient(int from, int to, float[] x, float[] states, float[] dx) {
        throw new UnsupportedOperationException("this cell does not compute the gradient with respect to its inputs");
    }
}
