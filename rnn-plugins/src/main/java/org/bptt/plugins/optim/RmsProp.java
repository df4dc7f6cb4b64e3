package org.bptt.plugins.optim;

/** RMSprop: s = α s + (1−α) g²; θ −= lr · g / (√s + ε). */
final class RmsProp extends ElementwiseOptimizer {
    private final double alpha;
    private final double eps;

    RmsProp(double lr, double alpha, double eps) {
        super(lr, "square_avg");
        this.alpha = alpha;
        this.eps = eps;
    }

    @Override
    protected void update(float[] theta, float[] g, float[][] slots, int n) {
        float[] s = slots[0];
        float a = (float) alpha;
        for (int i = 0; i < n; i++) {
            float gi = g[i];
            s[i] = a * s[i] + (1 - a) * gi * gi;
            theta[i] -= (float) (lr * gi / (Math.sqrt(s[i]) + eps));
        }
    }

    @Override
    public String describe() {
        return "rmsprop(lr=" + lr + ", alpha=" + alpha + ", eps=" + eps + ")";
    }
}
