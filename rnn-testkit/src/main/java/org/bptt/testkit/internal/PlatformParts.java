package org.bptt.testkit.internal;

import java.util.List;
import org.bptt.api.data.Targets;
import org.bptt.api.gradient.GradientPolicy;
import org.bptt.api.gradient.PolicyReport;
import org.bptt.api.kernel.Kernels;
import org.bptt.api.loss.Loss;
import org.bptt.api.optim.Optimizer;
import org.bptt.api.tensor.ParameterSet;
import org.bptt.api.tensor.Tensor;
import org.bptt.api.truncation.Truncation;

/**
 * The kit's own minimal strategies for running a plugin under test inside the platform's
 * trainer, so that a check depends on no other plugin.
 */
final class PlatformParts {
    private PlatformParts() {}

    /** ½‖o − y‖² on vector targets, as the kit's reference loss. */
    static final class HalfSquaredError implements Loss {
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
            float[] y = targets.values();
            double total = 0;
            for (int r = 0; r < rows; r++) {
                double l = 0;
                for (int j = 0; j < width; j++) {
                    float d = outputs[outOff + r * width + j] - y[(targetRow + r) * width + j];
                    l += 0.5 * d * d;
                    grad[gradOff + r * width + j] = scale * d;
                }
                rowLoss[rowLossOff + r] = l;
                total += l;
            }
            return total;
        }

        @Override
        public String describe() {
            return "kit-half-squared-error";
        }
    }

    /** θ −= rate · g. */
    static final class Sgd implements Optimizer {
        float rate;

        @Override
        public void bind(ParameterSet params, Kernels kernels) {}

        @Override
        public void step(ParameterSet params, ParameterSet grads) {
            for (Tensor p : params) {
                float[] g = grads.get(p.name()).data();
                float[] d = p.data();
                for (int i = 0; i < d.length; i++) {
                    d[i] -= rate * g[i];
                }
            }
        }

        @Override
        public double learningRate() {
            return rate;
        }

        @Override
        public String describe() {
            return "kit-sgd";
        }
    }

    /** Leaves gradients alone. */
    static final class NoPolicy implements GradientPolicy {
        @Override
        public void apply(ParameterSet params, ParameterSet grads, Kernels kernels, PolicyReport report) {
            double s = 0;
            for (Tensor g : grads) {
                s += kernels.sumOfSquares(g.size(), g.data(), 0);
            }
            report.set(Math.sqrt(s), Math.sqrt(s), 1, false, 0);
        }

        @Override
        public String describe() {
            return "kit-none";
        }
    }

    /** One window over the whole sequence. */
    static final class FullTruncation implements Truncation {
        @Override
        public List<Window> windows(int steps) {
            return List.of(new Window(0, steps, 0, steps));
        }

        @Override
        public String describe() {
            return "kit-full";
        }
    }
}
