package org.bptt.api.cell;

import java.util.List;
import java.util.Optional;
import org.bptt.api.kernel.Activation;
import org.bptt.api.tensor.ParameterSpec;
import org.bptt.api.tensor.Structure;

/**
 * A recurrent cell: the map (x_t, s_{t-1}) → s_t applied at every time step with shared
 * weights, and its derivative.
 *
 * <h2>State</h2>
 * A cell's recurrent state is one row of {@link #stateWidth(int) stateWidth} floats per
 * sequence. Its first {@code hidden} floats are h_t, the vector the readout o_t = V h_t + c
 * sees; a cell with more state puts the rest after it. The vanilla cell's state is h_t
 * alone (width H); an LSTM's would be [h_t, c_t] (width 2H); a GRU's is h_t (width H).
 *
 * <h2>Lifecycle, in call order</h2>
 * <ol>
 *   <li>{@link #parameters} declares the parameters and their shapes. The platform
 *       allocates them (and same-shaped gradients) and runs the initializer on each.</li>
 *   <li>{@link #bind} is called once per run with the sizes, the buffers' geometry and the
 *       kernels; the returned {@link CellRunner} allocates all its scratch there.</li>
 *   <li>{@link CellRunner#forward} and {@link CellRunner#backward} are called per window of
 *       time steps, many times; they must not allocate. {@link CellRunner} states exactly
 *       which windows it sees and when parameters change.</li>
 * </ol>
 * A run binds again when the batch size or sequence length changes (evaluation on other
 * sequences, sampling one step at a time), so {@code bind} may be called several times on
 * one cell; each runner is independent.
 *
 * <h2>Writing a gated cell</h2>
 * Declare one {@link ParameterSpec.Role#INPUT_WEIGHTS} matrix per gate (or one stacked
 * G·H×I matrix), {@link ParameterSpec.Role#RECURRENT_WEIGHTS} likewise (H×H blocks), and a
 * {@link ParameterSpec.Role#BIAS} per gate; keep in the runner's own scratch whatever the
 * backward pass needs (gate activations per step: allocate {@code maxSteps × batch × …} in
 * {@code bind}). Nothing in the trainer changes: it only sees the state width, the
 * parameter list and the runner. Register a {@link CellFactory} for {@link java.util.ServiceLoader}.
 *
 * <p>Thread safety: a cell is immutable configuration; its runner belongs to one run and
 * one thread at a time.
 */
public interface Cell {

    /**
     * The parameters this cell owns, in a stable order, for the given sizes. Names must be
     * unique and must not be {@code V} or {@code c}, which the readout owns.
     */
    List<ParameterSpec> parameters(int inputSize, int hiddenSize);

    /**
     * Floats of recurrent state per sequence; the first {@code hiddenSize} are h_t.
     *
     * @implSpec The default is {@code hiddenSize}: the state is h_t alone.
     */
    default int stateWidth(int hiddenSize) {
        return hiddenSize;
    }

    /**
     * How one of this cell's {@link ParameterSpec.Role#RECURRENT_WEIGHTS} parameters acts on the
     * state: square or gate blocks, a diagonal vector (IndRNN), or something else. Initializers
     * shape the recurrence by it and refuse what they do not understand; the spectrum of a
     * diagonal recurrence is its largest |w_i|.
     *
     * @param spec one of {@link #parameters}' recurrent parameters
     * @implSpec The default is {@link Structure#inferred}: blocks when the rows are a multiple of
     *           the columns, else {@link Structure#OTHER}. A cell with a vector recurrence must
     *           declare {@link Structure#DIAGONAL}.
     */
    default Structure structure(ParameterSpec spec) {
        return Structure.inferred(spec);
    }

    /** Creates the runner for one training run, allocating its scratch now. */
    CellRunner bind(CellContext context);

    /** Human-readable description, for reports ({@code vanilla(tanh)}). */
    String describe();

    /**
     * For a cell whose step is h_t = act(U x_t + W h_{t-1} + b) with its one square recurrent
     * matrix W, the element-wise {@code act}: then ∂h_T/∂h_k = ∏ diag(act′(z_t))·W, a formula an
     * analysis checks the measured Jacobian products against.
     *
     * @implSpec The default is empty: the cell's step is not of that form.
     * @since 0.2.0
     */
    default Optional<Activation> elementwiseActivation() {
        return Optional.empty();
    }
}
