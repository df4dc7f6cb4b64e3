package org.bptt.training;

/**
 * An independent double-precision twin of the vanilla RNN written straight from the
 * reference README's equations, one sequence at a time, with no shared code. Gradients come
 * from central finite differences of its loss, so they check the trainer's backward pass
 * against nothing but the forward definition.
 */
final class ReferenceRnn {
    final int in;
    final int hid;
    final int out;
    final boolean relu;
    final boolean ce;

    ReferenceRnn(int in, int hid, int out, boolean relu, boolean ce) {
        this.in = in;
        this.hid = hid;
        this.out = out;
        this.relu = relu;
        this.ce = ce;
    }

    /** Parameters as double arrays in the order U, W, b, V, c. */
    static double[][] copy(double[][] p) {
        double[][] c = new double[p.length][];
        for (int i = 0; i < p.length; i++) {
            c[i] = p[i].clone();
        }
        return c;
    }

    /**
     * Batch loss: mean over sequences of the summed loss of steps in [lossFrom, lossTo) that
     * are loss steps, where the state entering step {@code start} is {@code entering[b]}
     * (constant) and steps before {@code start} are not recomputed.
     *
     * @param x        [b][t][i]
     * @param classes  [b][t] for ce
     * @param targets  [b][t][o] for mse
     * @param entering [b][h] state before step {@code start}
     */
    double loss(
            double[][] p,
            double[][][] x,
            int[][] classes,
            double[][][] targets,
            boolean[] lossSteps,
            double[][] entering,
            int start,
            int lossFrom,
            int lossTo,
            double scale) {
        double total = 0;
        for (int b = 0; b < x.length; b++) {
            double[] h = entering[b].clone();
            for (int t = start; t < lossTo; t++) {
                h = step(p, x[b][t], h);
                if (t >= lossFrom && lossSteps[t]) {
                    total += stepLoss(p, h, ce ? classes[b][t] : -1, ce ? null : targets[b][t]);
                }
            }
        }
        return total * scale;
    }

    /** States h_t for t = 0..T-1 of one sequence. */
    double[][] states(double[][] p, double[][] x, double[] h0) {
        double[][] hs = new double[x.length][];
        double[] h = h0.clone();
        for (int t = 0; t < x.length; t++) {
            h = step(p, x[t], h);
            hs[t] = h;
        }
        return hs;
    }

    double[] step(double[][] p, double[] x, double[] hPrev) {
        double[] u = p[0];
        double[] w = p[1];
        double[] bias = p[2];
        double[] h = new double[hid];
        for (int j = 0; j < hid; j++) {
            double z = bias[j];
            for (int i = 0; i < in; i++) {
                z += u[j * in + i] * x[i];
            }
            for (int k = 0; k < hid; k++) {
                z += w[j * hid + k] * hPrev[k];
            }
            h[j] = relu ? Math.max(0, z) : Math.tanh(z);
        }
        return h;
    }

    double stepLoss(double[][] p, double[] h, int cls, double[] target) {
        return readoutLoss(p[3], p[4], h, hid, out, ce, cls, target);
    }

    /** The loss of o = V·h + c (V out×w over h's first w values), in float64: cross-entropy on class cls, or ½ squared error. */
    static double readoutLoss(
            double[] v, double[] c, double[] h, int w, int out, boolean ce, int cls, double[] target) {
        double[] o = new double[out];
        for (int j = 0; j < out; j++) {
            o[j] = c[j];
            for (int k = 0; k < w; k++) {
                o[j] += v[j * w + k] * h[k];
            }
        }
        if (ce) {
            double max = Double.NEGATIVE_INFINITY;
            for (double d : o) {
                max = Math.max(max, d);
            }
            double s = 0;
            for (double d : o) {
                s += Math.exp(d - max);
            }
            return Math.log(s) + max - o[cls];
        }
        double l = 0;
        for (int j = 0; j < out; j++) {
            l += (o[j] - target[j]) * (o[j] - target[j]);
        }
        return 0.5 * l;
    }
}
