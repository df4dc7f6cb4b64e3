package org.bptt.plugins.task;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.bptt.api.data.Batch;
import org.bptt.api.data.SuccessCriterion;
import org.bptt.api.data.Task;

/**
 * The temporal-order problem (Hochreiter &amp; Schmidhuber 1997, task 6a), on a fixed length T.
 * Inputs are one-hot over 8 symbols, channel order {@code a b c d X Y B E}: step 0 is B (start),
 * step T−1 is E (end), and every other step is a random distractor a–d, except two relevant
 * symbols (each X or Y, independently and with equal odds) at t₁ ∈ [⌊T/10⌋, ⌊T/5⌋] and
 * t₂ ∈ [⌊T/2⌋, ⌊3T/5⌋] (the paper's [10, 20] and [50, 60] for 100 steps, scaled). The class,
 * read at the last step only (cross-entropy), is their order:
 * {@code 0 = XX, 1 = XY, 2 = YX, 3 = YY}, i.e. 2·[first is Y] + [second is Y]. Target rows
 * of the other steps are 0 and carry no loss. Baseline: ln 4 nats.
 *
 * <p>Success: Pascanu, Mikolov &amp; Bengio 2013 count a run as solved when none of 10,000 fresh
 * test sequences is misclassified (their code, pascanur/trainingRNNs: test error below 0.0001%).
 */
public final class TemporalOrderTask implements Task {
    /** Input channels, in order. */
    public static final int A = 0, X = 4, Y = 5, START = 6, END = 7, SYMBOLS = 8, DISTRACTORS = 4;
    /** Smallest T for which the two windows lie strictly between B and E and do not overlap. */
    public static final int MIN_STEPS = 10;

    private final int steps;
    private final int t1Lo, t1Hi, t2Lo, t2Hi;
    private final boolean[] lossSteps;

    public TemporalOrderTask(int steps) {
        if (steps < MIN_STEPS) {
            throw new IllegalArgumentException(
                    "temporal-order: steps must be at least " + MIN_STEPS + ", got " + steps);
        }
        this.steps = steps;
        this.t1Lo = steps / 10;
        this.t1Hi = steps / 5;
        this.t2Lo = steps / 2;
        this.t2Hi = 3 * steps / 5;
        this.lossSteps = Batch.lastStep(steps);
    }

    /** Inclusive range of the first relevant position: {@code {lo, hi}}. */
    public int[] firstWindow() {
        return new int[] {t1Lo, t1Hi};
    }

    /** Inclusive range of the second relevant position: {@code {lo, hi}}. */
    public int[] secondWindow() {
        return new int[] {t2Lo, t2Hi};
    }

    @Override
    public int inputSize() {
        return SYMBOLS;
    }

    @Override
    public int outputSize() {
        return 4;
    }

    @Override
    public int steps() {
        return steps;
    }
    /** The first relevant symbol may sit at step ⌊T/10⌋ and is read at the last step. */
    @Override
    public int longestLag() {
        return steps - 1 - t1Lo;
    }

    @Override
    public String defaultLoss() {
        return "ce";
    }

    @Override
    public double baselineLoss() {
        return Math.log(4);
    }

    @Override
    public SuccessCriterion successCriterion() {
        return SuccessCriterion.argMax(1.0, "Pascanu, Mikolov & Bengio 2013: no misclassified test sequence");
    }

    @Override
    public Batch newBatch(int batchSize) {
        return TaskSupport.allocate("temporal-order", batchSize, steps, SYMBOLS, true, 1, lossSteps);
    }

    @Override
    public void fill(Batch batch, RandomGenerator random) {
        TaskSupport.requireShape(batch, "temporal-order", steps, SYMBOLS, true, 1);
        int nb = batch.batch();
        float[] x = batch.x();
        int[] classes = batch.targets().classes();
        System.arraycopy(lossSteps, 0, batch.lossSteps(), 0, steps);
        Arrays.fill(x, 0f);
        Arrays.fill(classes, 0);
        for (int b = 0; b < nb; b++) {
            x[b * SYMBOLS + START] = 1f;
            x[((steps - 1) * nb + b) * SYMBOLS + END] = 1f;
            int t1 = t1Lo + random.nextInt(t1Hi - t1Lo + 1);
            int t2 = t2Lo + random.nextInt(t2Hi - t2Lo + 1);
            int first = random.nextInt(2);
            int second = random.nextInt(2);
            for (int t = 1; t < steps - 1; t++) {
                int symbol = t == t1 ? X + first : t == t2 ? X + second : A + random.nextInt(DISTRACTORS);
                x[(t * nb + b) * SYMBOLS + symbol] = 1f;
            }
            classes[(steps - 1) * nb + b] = 2 * first + second;
        }
    }

    @Override
    public String describe() {
        return "temporal-order(T=" + steps + ")";
    }

    @Override
    public String toString() {
        return describe();
    }
}
