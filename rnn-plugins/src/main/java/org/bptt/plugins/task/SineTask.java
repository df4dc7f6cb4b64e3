package org.bptt.plugins.task;

import java.util.random.RandomGenerator;
import org.bptt.api.data.Batch;
import org.bptt.api.data.Task;

/**
 * Next-value regression on sine waves: each sequence draws a phase φ ~ U(0, 2π) and an
 * angular frequency ω ~ U(ω_min, ω_max) (radians per step); input t is sin(ω·t + φ) and
 * target t is sin(ω·(t+1) + φ). One input, one output, a loss at every step ({@code mse}).
 *
 * <p>Baseline: always predicting 0 costs ½·E[sin²] = ½·½ = 0.25 per step, exactly for any ω
 * because the phase is uniform. The sterner reference is persistence (predict the current
 * input), {@link #persistenceLoss()} = ½·E[1 − cos ω], about 0.0255 for the default range.
 */
public final class SineTask implements Task {
    private static final double TWO_PI = 2 * Math.PI;

    private final int steps;
    private final double omegaMin;
    private final double omegaMax;
    private final boolean[] lossSteps;

    public SineTask(int steps, double omegaMin, double omegaMax) {
        if (steps < 1 || !(omegaMin > 0) || !(omegaMax >= omegaMin) || omegaMax > Math.PI) {
            throw new IllegalArgumentException("sine: needs steps >= 1 and 0 < omega-min <= omega-max <= pi, got "
                    + steps + ", " + omegaMin + ", " + omegaMax);
        }
        this.steps = steps;
        this.omegaMin = omegaMin;
        this.omegaMax = omegaMax;
        this.lossSteps = Batch.allSteps(steps);
    }

    public double omegaMin() {
        return omegaMin;
    }

    public double omegaMax() {
        return omegaMax;
    }

    /** ½·E[(x_{t+1} − x_t)²] = ½·(1 − E[cos ω]) with ω ~ U(ω_min, ω_max): the loss of repeating the input. */
    public double persistenceLoss() {
        double meanCos = omegaMax == omegaMin
                ? Math.cos(omegaMin)
                : (Math.sin(omegaMax) - Math.sin(omegaMin)) / (omegaMax - omegaMin);
        return 0.5 * (1 - meanCos);
    }

    @Override
    public int inputSize() {
        return 1;
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
        return 0.25;
    }

    @Override
    public Batch newBatch(int batchSize) {
        return TaskSupport.allocate("sine", batchSize, steps, 1, false, 1, lossSteps);
    }

    @Override
    public void fill(Batch batch, RandomGenerator random) {
        TaskSupport.requireShape(batch, "sine", steps, 1, false, 1);
        int nb = batch.batch();
        float[] x = batch.x();
        float[] y = batch.targets().values();
        System.arraycopy(lossSteps, 0, batch.lossSteps(), 0, steps);
        for (int b = 0; b < nb; b++) {
            double phase = random.nextDouble() * TWO_PI;
            double omega = omegaMin + (omegaMax - omegaMin) * random.nextDouble();
            double current = Math.sin(phase);
            for (int t = 0; t < steps; t++) {
                double next = Math.sin(omega * (t + 1) + phase);
                x[t * nb + b] = (float) current;
                y[t * nb + b] = (float) next;
                current = next;
            }
        }
    }

    @Override
    public String describe() {
        return "sine(T=" + steps + ", omega=" + omegaMin + ".." + omegaMax + ")";
    }

    @Override
    public String toString() {
        return describe();
    }
}
