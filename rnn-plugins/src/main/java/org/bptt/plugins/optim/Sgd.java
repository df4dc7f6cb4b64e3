package org.bptt.plugins.optim;

/** SGD with momentum: v = μv + g; θ −= lr·v (plain SGD when μ = 0). */
final class Sgd extends ElementwiseOptimizer {
    private final float momentum;

    Sgd(double lr, double momentum) {
        super(lr, momentum == 0 ? new String[0] : new String[] {"velocity"});
        this.momentum = (float) momentum;
    }

    @Override
    protected void update(float[] theta, float[] g, float[][] slots, int n) {
        float rate = (float) lr;
        if (slots.length == 0) {
            for (int i = 0; i < n; i++) {
                theta[i] -= rate * g[i];
            }
            return;
        }
        float[] v = slots[0];
        for (int i = 0; i < n; i++) {
            v[i] = momentum * v[i] + g[i];
            theta[i] -= rate * v[i];
        }
    }

    @Override
    public String describe() {
        return "sgd(lr=" + lr + ", momentum=" + momentum + ")";
    }
}
