package org.bptt.plugins.optim;

/** Adagrad: s += g²; θ −= lr · g / (√s + ε). */
final class Adagrad extends ElementwiseOptimizer {
    private final double eps;

    Adagrad(double lr, double eps) {
        super(lr, "sum");
        this.eps = eps;
    }

    @Override
    protected void update(float[] theta, float[] g, float[][] slots, int n) {
        float[] s = slots[0];
        for (int i = 0; i < n; i++) {
            float gi = g[i];
            s[i] += gi * gi;
            theta[i] -= (float) (lr * gi / (Math.sqrt(s[i]) + eps));
        }
    }

    @Override
    public String describe() {
        return "adagrad(lr=" + lr + ", eps=" + eps + ")";
    }
}
