package org.bptt.api.cell;

import static java.util.Objects.requireNonNull;

import org.bptt.api.kernel.Kernels;
import org.bptt.api.tensor.ParameterSet;
import org.bptt.api.tensor.ParameterSpec;
import org.bptt.api.tensor.Tensor;

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
public record CellContext(
        int inputSize,
        int hiddenSize,
        int batch,
        int maxSteps,
        ParameterSet params,
        ParameterSet grads,
        Kernels kernels) {
    public CellContext {
        requireNonNull(params, "params is null");
        requireNonNull(grads, "grads is null");
        requireNonNull(kernels, "kernels is null");
        if (inputSize <= 0 || hiddenSize <= 0 || batch <= 0 || maxSteps <= 0) {
            throw new IllegalArgumentException("sizes must be positive: input=" + inputSize + " hidden=" + hiddenSize
                    + " batch=" + batch + " maxSteps=" + maxSteps);
        }
    }

    /**
     * Fails unless {@link #params} and {@link #grads} hold every parameter {@code cell}
     * declares for this context's I and H, in the declared shape. A runner reads parameters as
     * flat arrays, so a wrong shape would otherwise run silently: call it in
     * {@link Cell#bind}.
     *
     * @throws IllegalArgumentException naming the cell, the sizes and the first parameter that differs
     */
    public void requireDeclaredShapes(Cell cell) {
        for (ParameterSpec spec : cell.parameters(inputSize, hiddenSize)) {
            for (ParameterSet set : new ParameterSet[] {params, grads}) {
                Tensor t = set.get(spec.name());
                if (t.rows() != spec.rows() || t.cols() != spec.cols()) {
                    throw new IllegalArgumentException(
                            cell.describe() + " cell bound to I=" + inputSize + ", H=" + hiddenSize + " needs "
                                    + spec.name() + " of " + spec.rows() + "x" + spec.cols() + ", got " + t);
                }
            }
        }
    }
}
