package org.bptt.plugins.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.bptt.api.data.Batch;
import org.bptt.api.data.Targets;
import org.bptt.api.kernel.ScalarKernels;
import org.bptt.plugins.loss.CrossEntropyLoss;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Copy memory: the exact documented layout of inputs, targets and loss steps, and the paper's baseline. */
final class TestCopyTask {

    @ParameterizedTest
    @CsvSource({"5, 10, 8", "1, 1, 2", "3, 1, 4", "10, 100, 8"})
    void layout(int symbols, int delay, int alphabet) {
        CopyTask task = (CopyTask) TaskTesting.task(
                "copy",
                Map.of(
                        "symbols",
                        Integer.toString(symbols),
                        "delay",
                        Integer.toString(delay),
                        "alphabet",
                        Integer.toString(alphabet)));
        int steps = 2 * symbols + delay;
        assertEquals(steps, task.steps());
        assertEquals(alphabet + 2, task.inputSize());
        assertEquals(alphabet + 1, task.outputSize());
        assertEquals(alphabet, task.blank());
        assertEquals(alphabet + 1, task.delimiter());
        assertEquals(symbols * Math.log(alphabet) / steps, task.baselineLoss(), 1e-15);
        int nb = 16;
        Batch batch = TaskTesting.filled(task, nb, 8);
        int[] classes = batch.targets().classes();
        int recall = symbols + delay;
        for (int t = 0; t < steps; t++) {
            assertTrue(batch.lossSteps()[t], "every step carries a loss (Arjovsky et al.), step " + t);
        }
        for (int b = 0; b < nb; b++) {
            for (int t = 0; t < steps; t++) {
                int in = TaskTesting.hot(batch, t, b);
                int target = classes[t * nb + b];
                if (t < symbols) {
                    assertTrue(in >= 0 && in < alphabet, "symbol expected at " + t + ", got " + in);
                    assertEquals(in, classes[(recall + t) * nb + b], "recall of symbol " + t);
                } else if (t == recall - 1) {
                    assertEquals(alphabet + 1, in, "delimiter at step " + t);
                } else {
                    assertEquals(alphabet, in, "blank at step " + t);
                }
                if (t < recall) {
                    assertEquals(alphabet, target, "blank target at step " + t);
                } else {
                    assertTrue(target >= 0 && target < alphabet, "symbol target at " + t);
                }
            }
        }
    }

    @Test
    void symbolsAreUniform() {
        CopyTask task = (CopyTask) TaskTesting.task("copy");
        int nb = 1000, fills = 20;
        Batch batch = task.newBatch(nb);
        SplittableRandom random = new SplittableRandom(3);
        long[] counts = new long[8];
        for (int f = 0; f < fills; f++) {
            task.fill(batch, random);
            for (int row = 15 * nb; row < 20 * nb; row++) {
                counts[batch.targets().classes()[row]]++;
            }
        }
        double n = 5.0 * nb * fills;
        for (int s = 0; s < 8; s++) {
            assertEquals(n / 8, counts[s], 5 * Math.sqrt(n / 8 * 7 / 8), "symbol " + s);
        }
    }

    /** Arjovsky et al.'s own setup, T = 100: 10·ln 8 / 120 = 0.173286795139986... nats per step. */
    @Test
    void baselineIsTheirsAtTheirScale() {
        CopyTask task = new CopyTask(10, 100, 8);
        assertEquals(120, task.steps());
        assertEquals(0.17328679513998632, task.baselineLoss(), 1e-15);
    }

    /**
     * Scored by hand on S = 1, D = 1, A = 2 (T = 3) with the platform's cross-entropy over every
     * loss step: a near-memoryless model puts 998/1000 on the blank at steps 0 and 1 (logits 0, 0,
     * ln 998) and 499/999 on each symbol at step 2 (logits ln 499, ln 499, 0), so it scores
     * (2·ln(1000/998) + ln(999/499)) / 3 per step, just above the baseline ln 2 / 3 that the exact
     * memoryless model (1 on the blanks, ½ on each symbol) reaches.
     */
    @Test
    void memorylessScoreByHandIsTheBaseline() {
        CopyTask task = new CopyTask(1, 1, 2);
        Batch batch = TaskTesting.filled(task, 1, 5);
        int[] classes = batch.targets().classes();
        assertEquals(List.of(2, 2), List.of(classes[0], classes[1]));
        float blankLogit = (float) Math.log(998), symbolLogit = (float) Math.log(499);
        CrossEntropyLoss ce = new CrossEntropyLoss();
        double total = 0;
        for (int t = 0; t < task.steps(); t++) {
            assertTrue(batch.lossSteps()[t]);
            float[] logits = t < 2 ? new float[] {0, 0, blankLogit} : new float[] {symbolLogit, symbolLogit, 0};
            total += ce.evaluate(
                    new ScalarKernels(),
                    1,
                    3,
                    logits,
                    0,
                    Targets.classes(new int[] {classes[t]}),
                    0,
                    1f,
                    new float[3],
                    0,
                    new double[1],
                    0);
        }
        double byHand = (2 * Math.log(1000.0 / 998) + Math.log(999.0 / 499)) / 3;
        assertEquals(byHand, total / task.steps(), 1e-6);
        assertEquals(Math.log(2) / 3, task.baselineLoss(), 1e-15);
        assertTrue(byHand > task.baselineLoss() && byHand < task.baselineLoss() + 0.002);
    }
}
