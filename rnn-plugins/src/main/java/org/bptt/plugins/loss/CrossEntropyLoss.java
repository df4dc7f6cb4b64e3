package org.bptt.plugins.loss;

import org.bptt.api.data.Targets;
import org.bptt.api.loss.Loss;

/**
 * Softmax cross-entropy L = −log softmax(o)[target], with gradient softmax(o) − onehot.
 * Log-sum-exp is taken after subtracting the row maximum, in double, so large logits
 * neither overflow nor lose the target's share.
 */
public final class CrossEntropyLoss implements Loss {

    @Override
    public boolean wantsClassTargets() { return true; }

    @Override
    public double evaluate(int rows, int width, float[] outputs, int outOff, Targets targets, int targetRow,
                           float scale, float[] grad, int gradOff, double[] rowLoss, int rowLossOff) {
        int[] classes = targets.classes();
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int o = outOff + r * width;
            int g = gradOff + r * width;
            int y = classes[targetRow + r];
            if (y < 0 || y >= width) {
                throw new IllegalArgumentException("target class " + y + " at row " + (targetRow + r)
                        + " is outside [0, " + width + ")");
            }
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < width; j++) {
                max = Math.max(max, outputs[o + j]);
            }
            double sum = 0;
            for (int j = 0; j < width; j++) {
                sum += Math.exp(outputs[o + j] - max);
            }
            double logSum = Math.log(sum);
            for (int j = 0; j < width; j++) {
                double p = Math.exp(outputs[o + j] - max - logSum);
                grad[g + j] = (float) (scale * (j == y ? p - 1.0 : p));
            }
            double l = logSum - (outputs[o + y] - max);
            rowLoss[rowLossOff + r] = l;
            total += l;
        }
        return total;
    }

    @Override
    public String describe() { return "ce"; }
}
