package org.bptt.examples.gated;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.bptt.api.data.Batch;
import org.bptt.api.tensor.ParameterSet;

/**
 * An independent double-precision GRU/LSTM network written from the equations of
 * golden/README.md, one sequence and one step at a time with plain loops: the model the
 * finite-difference checks differentiate. Shares no code with the cells or the kernels.
 */
final class ReferenceGated {
    /** The six parameters in the order golden/README.md lists them (and trajectories update them). */
    static final List<String> PARAMS = List.of("weight_ih", "weight_hh", "bias_ih", "bias_hh", "V", "c");

    final boolean lstm;
    final int in;
    final int hid;
    final int out;
    final boolean ce;
    /** weight_ih, weight_hh, bias_ih, bias_hh, V, c as doubles, row-major. */
    final Map<String, double[]> p = new HashMap<>();

    ReferenceGated(String cell, int in, int hid, int out, String loss, ParameterSet params) {
        this.lstm = cell.equals("lstm");
        this.in = in;
        this.hid = hid;
        this.out = out;
        this.ce = loss.equals("ce");
        for (String n : ReferenceGated.PARAMS) {
            float[] f = params.get(n).data();
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                d[i] = f[i];
            }
            p.put(n, d);
        }
    }

    private static double sigmoid(double x) { return 1 / (1 + Math.exp(-x)); }

    /** One step: the state [h] or [h, c] after input x from state s. */
    double[] step(double[] x, double[] s) {
        double[] wih = p.get("weight_ih"), whh = p.get("weight_hh"), bih = p.get("bias_ih"), bhh = p.get("bias_hh");
        int gates = lstm ? 4 : 3;
        double[] gi = new double[gates * hid];
        double[] gh = new double[gates * hid];
        for (int r = 0; r < gates * hid; r++) {
            double a = bih[r];
            for (int i = 0; i < in; i++) {
                a += wih[r * in + i] * x[i];
            }
            double b = bhh[r];
            for (int j = 0; j < hid; j++) {
                b += whh[r * hid + j] * s[j];
            }
            gi[r] = a;
            gh[r] = b;
        }
        double[] next = new double[s.length];
        for (int j = 0; j < hid; j++) {
            if (lstm) {
                double i = sigmoid(gi[j] + gh[j]);
                double f = sigmoid(gi[hid + j] + gh[hid + j]);
                double g = Math.tanh(gi[2 * hid + j] + gh[2 * hid + j]);
                double o = sigmoid(gi[3 * hid + j] + gh[3 * hid + j]);
                double c = f * s[hid + j] + i * g;
                next[hid + j] = c;
                next[j] = o * Math.tanh(c);
            } else {
                double r = sigmoid(gi[j] + gh[j]);
                double z = sigmoid(gi[hid + j] + gh[hid + j]);
                double n = Math.tanh(gi[2 * hid + j] + r * gh[2 * hid + j]);
                next[j] = (1 - z) * n + z * s[j];
            }
        }
        return next;
    }

    /** Loss of one step's readout of h for sequence b at step t. */
    double stepLoss(Batch batch, int t, int b, double[] s) {
        return readoutLoss(batch, t, b, s, hid, p.get("V"), p.get("c"), out, ce);
    }

    /** The loss of o = V·h + c (V out×w, h its first w values) for sequence b at step t: cross-entropy or ½ squared error, in float64. */
    static double readoutLoss(Batch batch, int t, int b, double[] h, int w, double[] v, double[] c, int out, boolean ce) {
        double[] o = new double[out];
        for (int k = 0; k < out; k++) {
            double a = c[k];
            for (int j = 0; j < w; j++) {
                a += v[k * w + j] * h[j];
            }
            o[k] = a;
        }
        int row = t * batch.batch() + b;
        if (ce) {
            double max = Double.NEGATIVE_INFINITY;
            for (double a : o) {
                max = Math.max(max, a);
            }
            double sum = 0;
            for (double a : o) {
                sum += Math.exp(a - max);
            }
            return -(o[batch.targets().classes()[row]] - max - Math.log(sum));
        }
        double l = 0;
        float[] y = batch.targets().values();
        for (int k = 0; k < out; k++) {
            double d = o[k] - y[row * out + k];
            l += 0.5 * d * d;
        }
        return l;
    }

    private double[] x(Batch batch, int t, int b) {
        double[] x = new double[in];
        for (int i = 0; i < in; i++) {
            x[i] = batch.x()[(t * batch.batch() + b) * in + i];
        }
        return x;
    }

    /** The state of sequence b entering step {@code step}, from the batch's initial state. */
    double[] stateBefore(Batch batch, int b, int step) {
        int width = lstm ? 2 * hid : hid;
        double[] s = new double[width];
        for (int j = 0; j < width; j++) {
            s[j] = batch.h0()[b * width + j];
        }
        for (int t = 0; t < step; t++) {
            s = step(x(batch, t, b), s);
        }
        return s;
    }

    /**
     * The batch loss (mean over sequences) of the loss steps in [lossFrom, lossTo), computed
     * from {@code entering[b]}, the state before step {@code start}, held constant.
     */
    double windowLoss(Batch batch, int start, double[][] entering, int lossFrom, int lossTo) {
        double total = 0;
        for (int b = 0; b < batch.batch(); b++) {
            double[] s = entering[b];
            for (int t = start; t < lossTo; t++) {
                s = step(x(batch, t, b), s);
                if (t >= lossFrom && batch.lossSteps()[t]) {
                    total += stepLoss(batch, t, b, s);
                }
            }
        }
        return total / batch.batch();
    }
}
