package org.bptt.plugins.loss;

import org.bptt.api.data.Targets;
import org.bptt.api.kernel.Kernels;
import org.bptt.api.loss.Loss;

/** L = ½‖o − t‖², gradient o − t. */
public final class MseLoss implements Loss {

    @Override
    public boolean wantsClassTargets() {
        return false;
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
        float[] t = targets.values();
        if (targets.width() != width) {
            throw new IllegalArgumentException(
                    "targets have width " + targets.width() + " but the outputs have " + width);
        }
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int o = outOff + r * width;
            int g = gradOff + r * width;
            int tt = (targetRow + r) * width;
            double l = 0;
            for (int j = 0; j < width; j++) {
                float d = outputs[o + j] - t[tt + j];
                l += (double) d * d;
                grad[g + j] = scale * d;
            }
            l *= 0.5;
            rowLoss[rowLossOff + r] = l;
            total += l;
        }
        return total;
    }

    @Override
    public String describe() {
        return "mse";
    }
}
