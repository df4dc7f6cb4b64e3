package org.bptt.api.data;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * B sequences of T steps, time-major: the input of step t of sequence b is
 * {@code x[(t·B + b)·I … +I)}. A batch is mutable so that a task can refill the same arrays
 * every iteration without allocating.
 *
 * @param batch     B
 * @param steps     T
 * @param inputSize I
 * @param x         T·B·I inputs
 * @param targets   one target per (step, sequence)
 * @param lossSteps which steps carry a loss (length T)
 * @param h0        the state entering step 0, or null for zeros: either B·H floats (h_{-1} of
 *                  each sequence; the rest of a wider cell state starts at zero) or B·S floats,
 *                  S the cell's {@link org.bptt.api.cell.Cell#stateWidth state width} (the whole
 *                  state row of each sequence, e.g. [h0, c0] for an LSTM)
 */
public record Batch(int batch, int steps, int inputSize, float[] x, Targets targets, boolean[] lossSteps, float[] h0) {
    public Batch {
        requireNonNull(x, "x is null");
        requireNonNull(targets, "targets is null");
        requireNonNull(lossSteps, "lossSteps is null");
        if (batch <= 0 || steps <= 0 || inputSize <= 0) {
            throw new IllegalArgumentException("batch sizes must be positive: B=" + batch + " T=" + steps + " I=" + inputSize);
        }
        if (x.length != steps * batch * inputSize) {
            throw new IllegalArgumentException("x has " + x.length + " floats, expected T·B·I = " + steps * batch * inputSize);
        }
        if (targets.rows() != steps * batch) {
            throw new IllegalArgumentException("targets have " + targets.rows() + " rows, expected T·B = " + steps * batch);
        }
        if (lossSteps.length != steps) {
            throw new IllegalArgumentException("lossSteps has " + lossSteps.length + " entries, expected T = " + steps);
        }
    }

    /** Every step carries a loss. */
    public static boolean[] allSteps(int steps) {
        boolean[] m = new boolean[steps];
        Arrays.fill(m, true);
        return m;
    }

    /** Only the last step carries a loss. */
    public static boolean[] lastStep(int steps) {
        boolean[] m = new boolean[steps];
        m[steps - 1] = true;
        return m;
    }

    public int lossStepCount() {
        int n = 0;
        for (boolean b : lossSteps) {
            if (b) {
                n++;
            }
        }
        return n;
    }
}
