package org.bptt.plugins.optim;

/**
 * Adam with bias correction: m = β1 m + (1−β1) g; v = β2 v + (1−β2) g²;
 * θ −= lr · m̂ / (√v̂ + ε) with m̂ = m/(1−β1^t), v̂ = v/(1−β2^t). With a weight decay λ > 0 it
 * is AdamW (Loshchilov &amp; Hutter): θ −= lr·λ·θ first, decoupled from the gradient, as
 * PyTorch's AdamW does, on every parameter.
 */
final class Adam extends ElementwiseOptimizer {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private double correction1;
    private double correction2;

    Adam(double lr, double beta1, double beta2, double eps) {
        this(lr, beta1, beta2, eps, 0);
    }

    Adam(double lr, double beta1, double beta2, double eps, double weightDecay) {
        super(lr, "m", "v");
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    @Override
    protected void beginStep(long step) {
        correction1 = 1 - Math.pow(beta1, step);
        correction2 = 1 - Math.pow(beta2, step);
    }

    @Override
    protected void update(float[] theta, float[] g, float[][] slots, int n) {
        float[] m = slots[0];
        float[] v = slots[1];
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        if (weightDecay > 0) {
            float keep = (float) (1 - lr * weightDecay);
            for (int i = 0; i < n; i++) {
                theta[i] *= keep;
            }
        }
        for (int i = 0; i < n; i++) {
            float gi = g[i];
            m[i] = b1 * m[i] + (1 - b1) * gi;
            v[i] = b2 * v[i] + (1 - b2) * gi * gi;
            double mHat = m[i] / correction1;
            double vHat = v[i] / correction2;
            theta[i] -= (float) (lr * mHat / (Math.sqrt(vHat) + eps));
        }
    }

    @Override
    public String describe() {
        return (weightDecay > 0 ? "adamw" : "adam") + "(lr=" + lr + ", beta1=" + beta1 + ", beta2=" + beta2 + ", eps="
                + eps + (weightDecay > 0 ? ", weight-decay=" + weightDecay : "") + ")";
    }
}
