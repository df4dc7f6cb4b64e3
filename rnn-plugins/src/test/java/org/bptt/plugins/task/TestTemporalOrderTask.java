package org.bptt.plugins.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.bptt.api.data.Batch;
import org.bptt.api.data.Task;
import org.junit.jupiter.api.Test;

/** Temporal order: symbol layout, relevant positions, class balance. */
final class TestTemporalOrderTask {

    @Test
    void windowsScaleThePapersLayout() {
        TemporalOrderTask t100 = (TemporalOrderTask) TaskTesting.task("temporal-order", Map.of("steps", "100"));
        assertArrayEquals(new int[] {10, 20}, t100.firstWindow());
        assertArrayEquals(new int[] {50, 60}, t100.secondWindow());
        TemporalOrderTask t50 = (TemporalOrderTask) TaskTesting.task("temporal-order");
        assertArrayEquals(new int[] {5, 10}, t50.firstWindow());
        assertArrayEquals(new int[] {25, 30}, t50.secondWindow());
        TemporalOrderTask t10 = (TemporalOrderTask) TaskTesting.task("temporal-order", Map.of("steps", "10"));
        assertArrayEquals(new int[] {1, 2}, t10.firstWindow());
        assertArrayEquals(new int[] {5, 6}, t10.secondWindow());
        assertEquals(Math.log(4), t50.baselineLoss(), 1e-15);
    }

    @Test
    void layoutPositionsAndClassBalance() {
        int steps = 50, nb = 500, fills = 40;
        Task task = TaskTesting.task("temporal-order");
        Batch batch = task.newBatch(nb);
        SplittableRandom random = new SplittableRandom(99);
        long[] classCounts = new long[4];
        long[] firstAt = new long[steps];
        long[] secondAt = new long[steps];
        long[] distractors = new long[4];
        for (int f = 0; f < fills; f++) {
            task.fill(batch, random);
            for (int b = 0; b < nb; b++) {
                assertEquals(TemporalOrderTask.START, TaskTesting.hot(batch, 0, b));
                assertEquals(TemporalOrderTask.END, TaskTesting.hot(batch, steps - 1, b));
                int relevant = 0;
                int code = 0;
                for (int t = 1; t < steps - 1; t++) {
                    int s = TaskTesting.hot(batch, t, b);
                    if (s == TemporalOrderTask.X || s == TemporalOrderTask.Y) {
                        if (relevant == 0) {
                            assertTrue(t >= 5 && t <= 10, "first relevant symbol at " + t);
                            firstAt[t]++;
                        } else {
                            assertTrue(t >= 25 && t <= 30, "second relevant symbol at " + t);
                            secondAt[t]++;
                        }
                        code = 2 * code + (s - TemporalOrderTask.X);
                        relevant++;
                    } else {
                        assertTrue(s >= 0 && s < 4, "distractor expected at " + t + ", got " + s);
                        distractors[s]++;
                    }
                }
                assertEquals(2, relevant, "relevant symbols in sequence " + b);
                assertEquals(code, batch.targets().classes()[(steps - 1) * nb + b]);
                classCounts[code]++;
            }
        }
        double n = (double) nb * fills;
        for (int c = 0; c < 4; c++) {
            assertEquals(n / 4, classCounts[c], 5 * Math.sqrt(n * 0.25 * 0.75), "class " + c);
        }
        // 6 equally likely positions per window.
        for (int t = 5; t <= 10; t++) {
            assertEquals(n / 6, firstAt[t], 5 * Math.sqrt(n / 6 * 5 / 6), "first position " + t);
        }
        for (int t = 25; t <= 30; t++) {
            assertEquals(n / 6, secondAt[t], 5 * Math.sqrt(n / 6 * 5 / 6), "second position " + t);
        }
        double d = n * (steps - 4);
        for (int s = 0; s < 4; s++) {
            assertEquals(d / 4, distractors[s], 5 * Math.sqrt(d * 0.25 * 0.75), "distractor " + s);
        }
    }
}
