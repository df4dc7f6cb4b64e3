package org.bptt.plugins.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.bptt.api.data.Batch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Copy memory: the exact documented layout of inputs, targets and loss steps. */
final class TestCopyTask {

    @ParameterizedTest
    @CsvSource({"5, 10, 8", "1, 1, 2", "3, 1, 4", "10, 100, 8"})
    void layout(int symbols, int delay, int alphabet) {
        CopyTask task = (CopyTask) TaskTesting.task("copy", Map.of(
                "symbols", Integer.toString(symbols), "delay", Integer.toString(delay), "alphabet", Integer.toString(alphabet)));
        int steps = 2 * symbols + delay;
        assertEquals(steps, task.steps());
        assertEquals(alphabet + 2, task.inputSize());
        assertEquals(alphabet + 1, task.outputSize());
        assertEquals(alphabet, task.blank());
        assertEquals(alphabet + 1, task.delimiter());
        assertEquals(Math.log(alphabet), task.baselineLoss(), 1e-15);
        int nb = 16;
        Batch batch = TaskTesting.filled(task, nb, 8);
        int[] classes = batch.targets().classes();
        int recall = symbols + delay;
        for (int t = 0; t < steps; t++) {
            assertEquals(t >= recall, batch.lossSteps()[t], "loss at step " + t);
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
}
