package org.bptt.plugins.task;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.bptt.api.data.Batch;
import org.bptt.api.data.SuccessCriterion;
import org.bptt.api.data.Task;

/**
 * The adding and the multiplication problems (Hochreiter &amp; Schmidhuber 1997): two input
 * channels per step, a value drawn from U(0, 1) and a marker (0 or 1). Exactly one step of
 * the first half {@code [0, T/2)} and one of the second half {@code [T/2, T)} are marked; the
 * single target, read at the last step only, is the sum (adding) or the product
 * (multiplication) of the two marked values. Output size 1, loss {@code mse}.
 *
 * <p>Layout: {@code x[(t·B + b)·2]} is the value, {@code x[(t·B + b)·2 + 1]} the marker; the
 * target of sequence b is {@code values[(T−1)·B + b]} and the other target rows are 0.
 *
 * <p>Baselines, as ½·squared error per loss step of the best constant prediction:
 * adding, always 1 (the mean of the sum): ½·Var(u₁+u₂) = ½·(1/6) = 1/12 ≈ 0.0833 (the
 * literature's "MSE ≈ 0.167" is the same predictor in plain mean-squared-error terms);
 * multiplication, always 1/4: ½·Var(u₁u₂) = ½·(1/9 − 1/16) = ½·7/144 ≈ 0.0243. A predictor that
 * ignores the first (long-lag) marked value and knows the second scores ½·Var(u₁) = 1/24 (adding,
 * predicting u₂ + ½) and ½·E[u₂²]·Var(u₁) = 1/72 (multiplication, predicting u₂/2).
 *
 * <p>Success: Hochreiter &amp; Schmidhuber 1997 (sections 5.4 and 5.5) count a sequence as
 * processed correctly when the absolute error of its output is below 0.04; a run succeeds here
 * when every held-out sequence is, as Pascanu et al. 2013 count a run solved only when none of
 * their 10,000 test sequences is wrong.
 */
public final class MarkedPairTask implements Task {

    /** How the two marked values make the target. */
    public enum Combine {
        SUM("adding", 1.0 / 12.0, 1.0 / 24.0, 0.08),
        PRODUCT("multiplication", 7.0 / 288.0, 1.0 / 72.0, 0.04);

        private final String taskName;
        private final double baseline;
        private final double memoryless;
        private final double tolerance;

        Combine(String taskName, double baseline, double memoryless, double tolerance) {
            this.taskName = taskName;
            this.baseline = baseline;
            this.memoryless = memoryless;
            this.tolerance = tolerance;
        }

        /** The largest absolute error of a correct output, at Hochreiter &amp; Schmidhuber's scale. */
        public double tolerance() {
            return tolerance;
        }

        /** The task's plugin name. */
        public String taskName() {
            return taskName;
        }
    }

    /** Smallest T: one step per half. */
    public static final int MIN_STEPS = 2;

    private final Combine combine;
    private final int steps;
    private final boolean[] lossSteps;

    public MarkedPairTask(Combine combine, int steps) {
        this.combine = requireNonNull(combine, "combine is null");
        if (steps < MIN_STEPS) {
            throw new IllegalArgumentException(
                    combine.taskName + ": steps must be at least " + MIN_STEPS + ", got " + steps);
        }
        this.steps = steps;
        this.lossSteps = Batch.lastStep(steps);
    }

    @Override
    public int inputSize() {
        return 2;
    }

    @Override
    public int outputSize() {
        return 1;
    }

    @Override
    public int steps() {
        return steps;
    }

    @Override
    public String defaultLoss() {
        return "mse";
    }

    @Override
    public double baselineLoss() {
        return combine.baseline;
    }

    @Override
    public double memorylessLoss() {
        return combine.memoryless;
    }
    /** The first marker may sit at step 0 and is read at the last step. */
    @Override
    public int longestLag() {
        return steps - 1;
    }

    /**
     * Hochreiter &amp; Schmidhuber's 0.04 is on their targets in [0, 1]: the adding target there is
     * 0.5 + (X₁ + X₂)/4 with X in [−1, 1], a quarter of the sum's span. Here the sum of two U(0, 1)
     * values spans [0, 2], so the same rule is an error below 0.08; the product of two U(0, 1)
     * values lies in [0, 1] as theirs does, so it keeps 0.04.
     */
    @Override
    public SuccessCriterion successCriterion() {
        return SuccessCriterion.absoluteError(
                combine.tolerance,
                1.0,
                "Hochreiter & Schmidhuber 1997, section "
                        + (combine == Combine.SUM
                                ? "5.4: absolute error below 0.04 on targets in [0, 1], 0.08 on this task's [0, 2]"
                                : "5.5: absolute error below 0.04")
                        + "; every sequence, as Pascanu et al. 2013 count a run solved");
    }

    @Override
    public Batch newBatch(int batchSize) {
        return TaskSupport.allocate(combine.taskName, batchSize, steps, 2, false, 1, lossSteps);
    }

    @Override
    public void fill(Batch batch, RandomGenerator random) {
        TaskSupport.requireShape(batch, combine.taskName, steps, 2, false, 1);
        int b0 = batch.batch();
        float[] x = batch.x();
        float[] y = batch.targets().values();
        System.arraycopy(lossSteps, 0, batch.lossSteps(), 0, steps);
        Arrays.fill(y, 0f);
        int half = steps / 2;
        for (int b = 0; b < b0; b++) {
            for (int t = 0; t < steps; t++) {
                int i = (t * b0 + b) * 2;
                x[i] = random.nextFloat();
                x[i + 1] = 0f;
            }
            int t1 = random.nextInt(half);
            int t2 = half + random.nextInt(steps - half);
            int i1 = (t1 * b0 + b) * 2;
            int i2 = (t2 * b0 + b) * 2;
            x[i1 + 1] = 1f;
            x[i2 + 1] = 1f;
            // From the stored floats, so that the target is exactly what the inputs imply.
            y[(steps - 1) * b0 + b] = combine == Combine.SUM ? x[i1] + x[i2] : x[i1] * x[i2];
        }
    }

    @Override
    public String describe() {
        return combine.taskName + "(T=" + steps + ")";
    }

    @Override
    public String toString() {
        return describe();
    }
}
