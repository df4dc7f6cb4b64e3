package org.bptt.api.cell;

import static java.util.Objects.requireNonNull;

import org.bptt.api.kernel.Kernels;
import org.bptt.api.tensor.ParameterSet;

/**
 * What a cell is bound to for one run.
 *
 * @param inputSize  I
 * @param hiddenSize H
 * @param batch      B, sequences processed together
 * @param maxSteps   T, the number of time steps of the run's sequences: every step index a
 *                   forward or backward call passes lies in [0, maxSteps). It bounds the
 *                   absolute step, not the window length (a TBPTT window is shorter); size
 *                   per-step scratch by it
 * @param params     the model's parameters (the cell reads its own by name); read at every
 *                   call, since an optimizer updates them in place between calls
 * @param grads      gradients with the same names and shapes; the runner adds to them
 * @param kernels    the backend to compute with
 */
public record CellContext(int inputSize, int hiddenSize, int batch, int maxSteps,
                          ParameterSet params, ParameterSet grads, Kernels kernels) {
    public CellContext {
        requireNonNull(params, "params is null");
        requireNonNull(grads, "grads is null");
        requireNonNull(kernels, "kernels is null");
        if (inputSize <= 0 || hiddenSize <= 0 || batch <= 0 || maxSteps <= 0) {
            throw new IllegalArgumentException("sizes must be positive: input=" + inputSize + " hidden=" + hiddenSize
                    + " batch=" + batch + " maxSteps=" + maxSteps);
        }
    }
}
