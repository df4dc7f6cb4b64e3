package org.bptt.plugins.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.bptt.api.data.Batch;
import org.junit.jupiter.api.Test;

/** Sine: the target is the next input, and the two documented reference losses. */
final class TestSineTask {

    @Test
    void targetIsTheNextInputOfOneSineWave() {
        SineTask task = (SineTask) TaskTesting.task("sine", Map.of("steps", "30"));
        int nb = 20;
        Batch batch = TaskTesting.filled(task, nb, 4);
        float[] x = batch.x();
        float[] y = batch.targets().values();
        for (int b = 0; b < nb; b++) {
            for (int t = 0; t + 1 < 30; t++) {
                assertEquals(x[(t + 1) * nb + b], y[t * nb + b], 0f, "target " + t + " is input " + (t + 1));
            }
            // Recover ω from three consecutive samples: x₀ + x₂ = 2cos ω · x₁; pick t where x₁ is not small.
            for (int t = 1; t + 1 < 30; t++) {
                double x1 = x[t * nb + b];
                if (Math.abs(x1) > 0.5) {
                    double cosOmega = (x[(t - 1) * nb + b] + x[(t + 1) * nb + b]) / (2 * x1);
                    double omega = Math.acos(Math.max(-1, Math.min(1, cosOmega)));
                    assertTrue(omega > 0.1 - 1e-3 && omega < 0.5 + 1e-3, "omega " + omega + " in sequence " + b);
                    break;
                }
            }
        }
    }

    @Test
    void empiricalBaselineAndPersistenceMatch() {
        SineTask task = (SineTask) TaskTesting.task("sine");
        assertEquals(0.25, task.baselineLoss(), 0);
        double meanCos = (Math.sin(0.5) - Math.sin(0.1)) / 0.4;
        assertEquals(0.5 * (1 - meanCos), task.persistenceLoss(), 1e-15);
        assertEquals(0.0255, task.persistenceLoss(), 1e-4);
        int steps = 50, nb = 1000, fills = 40;
        Batch batch = task.newBatch(nb);
        SplittableRandom random = new SplittableRandom(77);
        // Steps of one sequence are correlated, so the unit of independence is the sequence.
        double s0 = 0, s0Sq = 0, sp = 0, spSq = 0;
        for (int f = 0; f < fills; f++) {
            task.fill(batch, random);
            for (int b = 0; b < nb; b++) {
                double zero = 0, persist = 0;
                for (int t = 0; t < steps; t++) {
                    double target = batch.targets().values()[t * nb + b];
                    double e = target - batch.x()[t * nb + b];
                    zero += 0.5 * target * target;
                    persist += 0.5 * e * e;
                }
                zero /= steps;
                persist /= steps;
                s0 += zero;
                s0Sq += zero * zero;
                sp += persist;
                spSq += persist * persist;
            }
        }
        double n = (double) nb * fills;
        double m0 = s0 / n, mp = sp / n;
        double se0 = Math.sqrt((s0Sq / n - m0 * m0) / (n - 1));
        double sep = Math.sqrt((spSq / n - mp * mp) / (n - 1));
        assertEquals(0.25, m0, 5 * se0, "predict-zero loss per step");
        assertEquals(task.persistenceLoss(), mp, 5 * sep, "persistence loss per step");
    }
}
