package org.bptt.testkit.internal;

/**
 * Derivatives of a function of one float coordinate from its values at a few offsets. The
 * offsets are the ones a float perturbation really made ((float) (θ + e) − θ, computed
 * exactly in double), not the ones asked for, so a coordinate need not lie on a grid.
 */
final class FiniteDifferences {
    private FiniteDifferences() {}

    /**
     * The derivative at 0 of the polynomial through (nodes[i], values[i]): for five nodes
     * −2e, −e, 0, e, 2e it is the fourth-order central difference
     * (−f(2e) + 8f(e) − 8f(−e) + f(−2e)) / 12e.
     */
    static double derivativeAtZero(double[] nodes, double[] values) {
        int n = nodes.length;
        double d = 0;
        for (int i = 0; i < n; i++) {
            // l_i'(0) = Σ_{m≠i} 1/(x_i − x_m) · Π_{j≠i,m} (0 − x_j)/(x_i − x_j)
            double w = 0;
            for (int m = 0; m < n; m++) {
                if (m == i) {
                    continue;
                }
                double term = 1.0 / (nodes[i] - nodes[m]);
                for (int j = 0; j < n; j++) {
                    if (j != i && j != m) {
                        term *= -nodes[j] / (nodes[i] - nodes[j]);
                    }
                }
                w += term;
            }
            d += w * values[i];
        }
        return d;
    }
}
