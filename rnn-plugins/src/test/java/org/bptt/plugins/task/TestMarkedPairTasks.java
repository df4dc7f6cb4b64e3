package org.bptt.plugins.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.bptt.api.data.Batch;
import org.bptt.api.data.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Adding and multiplication: marker layout, targets, and the documented baselines. */
final class TestMarkedPairTasks {

    @ParameterizedTest
    @CsvSource({"adding, 2", "adding, 3", "adding, 50", "multiplication, 7", "multiplication, 50"})
    void exactlyOneMarkerPerHalfAndTheTargetCombinesTheMarkedValues(String name, int steps) {
        Task task = TaskTesting.task(name, Map.of("steps", Integer.toString(steps)));
        int nb = 64;
        Batch batch = TaskTesting.filled(task, nb, 11);
        float[] x = batch.x();
        float[] y = batch.targets().values();
        int half = steps / 2;
        for (int b = 0; b < nb; b++) {
            int firstHalf = 0, secondHalf = 0;
            float v1 = Float.NaN, v2 = Float.NaN;
            for (int t = 0; t < steps; t++) {
                float value = x[(t * nb + b) * 2];
                float marker = x[(t * nb + b) * 2 + 1];
                assertTrue(value >= 0f && value < 1f, "value " + value);
                assertTrue(marker == 0f || marker == 1f, "marker " + marker);
                if (marker == 1f) {
                    if (t < half) {
                        firstHalf++;
                        v1 = value;
                    } else {
                        secondHalf++;
                        v2 = value;
                    }
                }
                if (t < steps - 1) {
                    assertEquals(0f, y[t * nb + b], "target before the last step");
                }
            }
            assertEquals(1, firstHalf, "markers in the first half of sequence " + b);
            assertEquals(1, secondHalf, "markers in the second half of sequence " + b);
            float expected = name.equals("adding") ? v1 + v2 : v1 * v2;
            assertEquals(expected, y[(steps - 1) * nb + b], 0f);
        }
    }

    @Test
    void markerPositionsCoverEachHalfUniformly() {
        int steps = 10, nb = 1000, fills = 20;
        Task task = TaskTesting.task("adding", Map.of("steps", "10"));
        Batch batch = task.newBatch(nb);
        SplittableRandom random = new SplittableRandom(5);
        long[] hits = new long[steps];
        for (int f = 0; f < fills; f++) {
            task.fill(batch, random);
            for (int t = 0; t < steps; t++) {
                for (int b = 0; b < nb; b++) {
                    hits[t] += (long) batch.x()[(t * nb + b) * 2 + 1];
                }
            }
        }
        // Each position of a 5-step half is marked with p = 1/5 per sequence; 5σ band.
        double n = nb * fills, p = 0.2, sigma = Math.sqrt(n * p * (1 - p));
        for (int t = 0; t < steps; t++) {
            assertEquals(n * p, hits[t], 5 * sigma, "position " + t);
        }
    }

    @ParameterizedTest
    @CsvSource({"adding, 1.0, 0.08333333333333333", "multiplication, 0.25, 0.024305555555555556"})
    void empiricalBaselineMatches(String name, double constant, double expected) {
        Task task = TaskTesting.task(name, Map.of("steps", "10"));
        assertEquals(expected, task.baselineLoss(), 1e-15);
        int nb = 1000, fills = 200;
        Batch batch = task.newBatch(nb);
        SplittableRandom random = new SplittableRandom(2024);
        double sum = 0, sumSq = 0;
        for (int f = 0; f < fills; f++) {
            task.fill(batch, random);
            for (int b = 0; b < nb; b++) {
                double e = batch.targets().values()[9 * nb + b] - constant;
                double loss = 0.5 * e * e;
                sum += loss;
                sumSq += loss * loss;
            }
        }
        double n = (double) nb * fills;
        double mean = sum / n;
        double sd = Math.sqrt((sumSq / n - mean * mean) * n / (n - 1));
        // Mean of 200 000 independent sequence losses: 5 standard errors is a 1-in-1.7-million false alarm.
        assertEquals(expected, mean, 5 * sd / Math.sqrt(n), name + " baseline");
    }

    @Test
    void addingBaselineIsHalfTheLiteraturesMse() {
        assertEquals(0.167, 2 * TaskTesting.task("adding").baselineLoss(), 0.0005);
    }
}
