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
 * @param lengths   the valid steps L_b of each sequence (B entries in [1, T]), or null when every
 *                  sequence has T. Steps t ≥ L_b are padding at the end of sequence b: they carry
 *                  no loss, and the trainer zeroes their inputs in {@code x} before its forward
 *                  pass so that whatever they held never reaches an output or a gradient. A shorter
 *                  sequence's loss steps are the last L_b entries of {@code lossSteps}, aligned to
 *                  its end (see {@link #carriesLoss}): every step stays every valid step, the last
 *                  step becomes the sequence's last valid step. Its targets sit at its own rows.
 */
public record Batch(
        int batch,
        int steps,
        int inputSize,
        float[] x,
        Targets targets,
        boolean[] lossSteps,
        float[] h0,
        int[] lengths) {
    public Batch {
        requireNonNull(x, "x is null");
        requireNonNull(targets, "targets is null");
        requireNonNull(lossSteps, "lossSteps is null");
        if (batch <= 0 || steps <= 0 || inputSize <= 0) {
            throw new IllegalArgumentException(
                    "batch sizes must be positive: B=" + batch + " T=" + steps + " I=" + inputSize);
        }
        if (x.length != steps * batch * inputSize) {
            throw new IllegalArgumentException(
                    "x has " + x.length + " floats, expected T·B·I = " + steps * batch * inputSize);
        }
        if (targets.rows() != steps * batch) {
            throw new IllegalArgumentException(
                    "targets have " + targets.rows() + " rows, expected T·B = " + steps * batch);
        }
        if (lossSteps.length != steps) {
            throw new IllegalArgumentException("lossSteps has " + lossSteps.length + " entries, expected T = " + steps);
        }
        if (lengths != null && lengths.length != batch) {
            throw new IllegalArgumentException("lengths has " + lengths.length + " entries, expected B = " + batch);
        }
    }

    /** A batch whose sequences all have T steps (the 0.1.0 constructor, kept for plugins compiled against it). */
    public Batch(int batch, int steps, int inputSize, float[] x, Targets targets, boolean[] lossSteps, float[] h0) {
        this(batch, steps, inputSize, x, targets, lossSteps, h0, null);
    }

    /** Valid steps of sequence {@code b}: {@code lengths[b]}, or T without lengths. */
    public int length(int b) {
        return lengths == null ? steps : lengths[b];
    }

    /**
     * Whether step {@code t} of sequence {@code b} carries a loss: it is a valid step
     * (t &lt; L_b) and {@code lossSteps[t + T − L_b]}, the loss pattern aligned to the sequence's end.
     * Without lengths this is {@code lossSteps[t]}.
     */
    public boolean carriesLoss(int t, int b) {
        int shift = steps - length(b);
        return t + shift < steps && lossSteps[t + shift];
    }

    /** The (step, sequence) rows that carry a loss: B · {@link #lossStepCount()} without lengths. */
    public long lossRowCount() {
        if (lengths == null) {
            return (long) batch * lossStepCount();
        }
        long n = 0;
        for (int b = 0; b < batch; b++) {
            for (int t = steps - lengths[b]; t < steps; t++) {
                n += lossSteps[t] ? 1 : 0;
            }
        }
        return n;
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
