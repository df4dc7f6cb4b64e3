package org.bptt.api.tensor;

import static java.util.Objects.requireNonNull;

/**
 * Declares one parameter a cell or the readout owns: its name, shape and role. Initializers
 * decide by role (a recurrent matrix gets orthogonal or identity initialization, a bias zeros).
 *
 * @param name   stable, unique within the model (for example "U", "W", "b", or "W_z" in a GRU)
 * @param rows   rows of the row-major matrix (1 for a vector)
 * @param cols   columns
 * @param role   what the parameter does
 * @param fanIn  inputs feeding one unit through this parameter (for Xavier-style scaling)
 * @param fanOut units fed by one input through this parameter
 */
public record ParameterSpec(String name, int rows, int cols, Role role, int fanIn, int fanOut) {

    /** What a parameter does in the model. */
    public enum Role {
        /** Maps the input x_t into the cell (U in the vanilla cell). */
        INPUT_WEIGHTS,
        /** Maps the previous state into the cell (W); one square H×H block per gate. */
        RECURRENT_WEIGHTS,
        /** An additive bias of the cell (b). */
        BIAS,
        /** The readout matrix V. */
        OUTPUT_WEIGHTS,
        /** The readout bias c. */
        OUTPUT_BIAS
    }

    public ParameterSpec {
        requireNonNull(name, "name is null");
        requireNonNull(role, "role is null");
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException(
                    "parameter " + name + " must have positive sizes, got " + rows + "x" + cols);
        }
    }

    public Tensor newTensor() {
        return new Tensor(name, rows, cols);
    }
}
