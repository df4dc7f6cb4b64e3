package org.bptt.plugins.loss;

import org.bptt.api.data.Targets;
import org.bptt.api.kernel.Kernels;
import org.bptt.api.loss.Loss;

/**
 * Softmax cross-entropy L = −log softmax(o)[target], with gradient softmax(o) − onehot.
 *
 * <p>The backend computes the row-wise softmax straight into the gradient buffer (one exp
 * per logit, vectorized). The loss is then read off the probabilities without losing
 * precision at either end: for a confident row, −log p_y = −log1p(−Σ_{j≠y} p_j); for a
 * hopeless one (p_y underflowing), an exact log-sum-exp in double.
 */
public final class CrossEntropyLoss implements Loss {
    /** Below this p_y the float probability has too few significant bits left. */
    private static final float TINY = 1e-30f;

    @Override
    public boolean wantsClassTargets() {
        return true;
    }

    @Override
    public double evaluate(
            Kernels kernels,
            int rows,
            int width,
            float[] outputs,
            int outOff,
            Targets targets,
            int targetRow,
            float scale,
            float[] grad,
            int gradOff,
            double[] rowLoss,
            int rowLossOff) {
        int[] classes = targets.classes();
        kernels.softmaxRows(rows, width, outputs, outOff, grad, gradOff);
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int g = gradOff + r * width;
            int y = classes[targetRow + r];
            if (y < 0 || y >= width) {
                throw new IllegalArgumentException(
                        "target class " + y + " at row " + (targetRow + r) + " is outside [0, " + width + ")");
            }
            float py = grad[g + y];
            double l;
            if (py > 0.5f) {
                double others = 0;
                for (int j = 0; j < width; j++) {
                    others += j == y ? 0 : grad[g + j];
                }
                l = -Math.log1p(-others);
            } else if (py > TINY) {
                l = -Math.log(py);
            } else {
                l = exactLoss(outputs, outOff + r * width, width, y);
            }
            rowLoss[rowLossOff + r] = l;
            total += l;
            grad[g + y] -= 1f;
        }
        kernels.scale(rows * width, scale, grad, gradOff);
        return total;
    }

    /** log Σ exp(o_j) − o_y, shifted by the maximum, in double. */
    private static double exactLoss(float[] o, int off, int width, int y) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < width; j++) {
            max = Math.max(max, o[off + j]);
        }
        double sum = 0;
        for (int j = 0; j < width; j++) {
            sum += Math.exp(o[off + j] - max);
        }
        return Math.log(sum) - (o[off + y] - max);
    }

    @Override
    public String describe() {
        return "ce";
    }
}
