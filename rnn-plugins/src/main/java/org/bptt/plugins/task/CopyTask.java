package org.bptt.plugins.task;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.bptt.api.data.Batch;
import org.bptt.api.data.SuccessCriterion;
import org.bptt.api.data.Task;

/**
 * The copy-memory problem (after Arjovsky, Shah &amp; Bengio 2016). With S symbols, a delay D
 * and an alphabet of A symbols, T = S + D + S and:
 * <ul>
 *   <li>inputs are one-hot over A + 2 channels: symbol k is channel k, {@link #blank()} is
 *       channel A and {@link #delimiter()} channel A + 1;</li>
 *   <li>steps [0, S) show S symbols drawn uniformly from the alphabet;</li>
 *   <li>steps [S, S + D − 1) show blanks, step S + D − 1 shows the delimiter ("now
 *       reproduce"), and steps [S + D, T) show blanks again;</li>
 *   <li>outputs are A + 1 classes (the alphabet and the blank, class A): the target is blank
 *       for steps [0, S + D) and the k-th shown symbol at step S + D + k;</li>
 *   <li>every step carries a loss (cross-entropy over all T steps, as Arjovsky, Shah &amp; Bengio
 *       2016 score it).</li>
 * </ul>
 * Baseline (theirs): the memoryless model, which predicts the blanks and guesses uniformly over
 * the alphabet at the S recall steps, S·ln A / T nats per step; with S = 10, A = 8 and
 * D = their T, 10·ln 8 / (T + 20).
 *
 * <p>Success: the paper judges by that cross-entropy against the baseline only (the platform's
 * one rule for "learned" does so). The per-sequence rule is the platform's own, stricter one: a
 * sequence is correct when the arg-max is right at every step (every recalled symbol and every
 * blank); a run when every held-out sequence is.
 */
public final class CopyTask implements Task {
    private final int symbols;
    private final int delay;
    private final int alphabet;
    private final int steps;
    private final int inputs;
    private final boolean[] lossSteps;

    public CopyTask(int symbols, int delay, int alphabet) {
        if (symbols < 1 || delay < 1 || alphabet < 2) {
            throw new IllegalArgumentException("copy: needs symbols >= 1, delay >= 1 and alphabet >= 2, got " + symbols
                    + ", " + delay + ", " + alphabet);
        }
        long t = 2L * symbols + delay;
        if (t > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException("copy: symbols + delay + symbols = " + t + " steps is too long");
        }
        this.symbols = symbols;
        this.delay = delay;
        this.alphabet = alphabet;
        this.steps = (int) t;
        this.inputs = alphabet + 2;
        this.lossSteps = new boolean[steps];
        Arrays.fill(lossSteps, true);
    }

    public int symbols() {
        return symbols;
    }

    public int delay() {
        return delay;
    }

    public int alphabet() {
        return alphabet;
    }
    /** The blank's input channel and output class. */
    public int blank() {
        return alphabet;
    }
    /** The delimiter's input channel (it is never a target). */
    public int delimiter() {
        return alphabet + 1;
    }

    @Override
    public int inputSize() {
        return inputs;
    }

    @Override
    public int outputSize() {
        return alphabet + 1;
    }

    @Override
    public int steps() {
        return steps;
    }

    @Override
    public String defaultLoss() {
        return "ce";
    }
    /** Symbol k, shown at step k, is recalled at step S + D + k. */
    @Override
    public int longestLag() {
        return symbols + delay;
    }
    /** Arjovsky, Shah &amp; Bengio 2016's memoryless baseline, S·ln A / T nats per step. */
    @Override
    public double baselineLoss() {
        return symbols * Math.log(alphabet) / steps;
    }

    @Override
    public SuccessCriterion successCriterion() {
        return SuccessCriterion.argMax(
                1.0,
                "the platform's own rule, stricter than the paper's; Arjovsky, Shah & Bengio "
                        + "2016 judge by cross-entropy over all steps against S·ln A / T only");
    }

    @Override
    public Batch newBatch(int batchSize) {
        return TaskSupport.allocate("copy", batchSize, steps, inputs, true, 1, lossSteps);
    }

    @Override
    public void fill(Batch batch, RandomGenerator random) {
        TaskSupport.requireShape(batch, "copy", steps, inputs, true, 1);
        int nb = batch.batch();
        float[] x = batch.x();
        int[] classes = batch.targets().classes();
        System.arraycopy(lossSteps, 0, batch.lossSteps(), 0, steps);
        Arrays.fill(x, 0f);
        Arrays.fill(classes, alphabet);
        int recall = symbols + delay;
        for (int b = 0; b < nb; b++) {
            for (int k = 0; k < symbols; k++) {
                int s = random.nextInt(alphabet);
                x[(k * nb + b) * inputs + s] = 1f;
                classes[(recall + k) * nb + b] = s;
            }
            for (int t = symbols; t < steps; t++) {
                x[(t * nb + b) * inputs + (t == recall - 1 ? alphabet + 1 : alphabet)] = 1f;
            }
        }
    }

    @Override
    public String describe() {
        return "copy(symbols=" + symbols + ", delay=" + delay + ", alphabet=" + alphabet + ", T=" + steps + ")";
    }

    @Override
    public String toString() {
        return describe();
    }
}
