package org.bptt.api.tensor;

/**
 * How a recurrent parameter acts on the state, as its cell declares it
 * ({@link org.bptt.api.cell.Cell#structure}): what an initializer needs to know to give it a
 * recurrence with the properties it promises, and what the spectrum is taken of.
 */
public enum Structure {
    /** k square H×H blocks stacked (k = 1: one square W; k = gates: W_hr, W_hz, W_hn …), rows = k·cols. */
    BLOCKS,
    /** A 1×H vector w: the recurrence is diag(w) (IndRNN's h_t = act(U x_t + w ⊙ h_{t−1} + b)). */
    DIAGONAL,
    /** Anything else: a scheme that needs to know the structure refuses it. */
    OTHER;

    /**
     * What a parameter's shape alone suggests, for cells that declare nothing: {@link #BLOCKS}
     * when its rows are a multiple of its columns, else {@link #OTHER}.
     */
    public static Structure inferred(ParameterSpec spec) {
        return spec.rows() % spec.cols() == 0 ? BLOCKS : OTHER;
    }
}
