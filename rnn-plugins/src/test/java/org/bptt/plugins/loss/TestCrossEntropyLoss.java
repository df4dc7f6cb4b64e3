package org.bptt.plugins.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bptt.api.data.Targets;
import org.bptt.api.kernel.ScalarKernels;
import org.junit.jupiter.api.Test;

/** The cross-entropy loss and gradient against a double-precision log-sum-exp, in every regime. */
final class TestCrossEntropyLoss {

    private static void check(float[] logits, int y) {
        int w = logits.length;
        float[] grad = new float[w];
        double[] rowLoss = new double[1];
        double got = new CrossEntropyLoss()
                .evaluate(
                        new ScalarKernels(),
                        1,
                        w,
                        logits,
                        0,
                        Targets.classes(new int[] {y}),
                        0,
                        0.5f,
                        grad,
                        0,
                        rowLoss,
                        0);
        double max = Double.NEGATIVE_INFINITY;
        for (float f : logits) {
            max = Math.max(max, f);
        }
        double sum = 0;
        for (float f : logits) {
            sum += Math.exp(f - max);
        }
        double ref = Math.log(sum) + max - logits[y];
        assertEquals(ref, got, 1e-5 * Math.max(ref, 1e-3), "loss");
        assertEquals(got, rowLoss[0], 0.0, "the row loss is the returned total for one row");
        for (int j = 0; j < w; j++) {
            double p = Math.exp(logits[j] - max) / sum;
            assertEquals(0.5 * (p - (j == y ? 1 : 0)), grad[j], 1e-6, "grad " + j);
        }
    }

    @Test
    void ordinaryRows() {
        check(new float[] {0.3f, -1.2f, 2.0f, 0.7f, -0.1f}, 3);
        check(new float[] {1f, 1f, 1f, 1f}, 0);
    }

    @Test
    void confidentRowKeepsRelativePrecisionOfATinyLoss() {
        // p_y ≈ 1 − 1e-5: the loss ≈ 1e-5 must still be right to 1e-5 relative.
        check(new float[] {12f, 0.5f, -0.2f, 0.1f}, 0);
    }

    @Test
    void hopelessRowDoesNotOverflow() {
        // p_y underflows in float: the exact path gives the large loss.
        check(new float[] {0f, 150f, -3f}, 0);
    }
}
