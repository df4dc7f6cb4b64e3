package org.bptt.training;

import java.util.HashMap;
import java.util.Map;
import org.bptt.api.tensor.ParameterSet;
import org.bptt.api.tensor.Tensor;

/**
 * An independent double-precision stacked (and bidirectional) vanilla RNN, written from the
 * definition with plain loops, one sequence at a time: layer l+1 reads [h_forward | h_backward]
 * of layer l at the same step, the backward direction reads the sequence from its end, and
 * the readout reads the top layer. Shares no code with {@link LayerStack} or the cell.
 */
final class ReferenceStack {
    final int in;
    final int hid;
    final int out;
    final int layers;
    final int dirs;
    final boolean relu;
    final boolean ce;
    /** A perturbation added to h_k of layer {@code perturbLayer}, direction 0, unit u, of sequence {@code perturbSeq} (off: −1). */
    int perturbLayer = -1;

    int perturbStep;
    int perturbUnit;
    int perturbSeq;
    double perturbBy;
    private int seq;
    /** The factor on unit u of layer l's output at step t of sequence b as layer l+1 reads it (dropout); null: 1. */
    interface Mask {
        double factor(int l, int t, int b, int u);
    }

    Mask mask;
    /** The valid steps of each sequence (null: all T): a sequence is its first L steps alone, its loss steps the pattern's last L. */
    int[] lengths;

    /** Every parameter by the trainer's name (U_l0, W_l1_reverse, V, c…), as exact doubles. */
    final Map<String, double[]> p = new HashMap<>();

    ReferenceStack(
            int in,
            int hid,
            int out,
            int layers,
            boolean bidirectional,
            boolean relu,
            boolean ce,
            ParameterSet params) {
        this.in = in;
        this.hid = hid;
        this.out = out;
        this.layers = layers;
        this.dirs = bidirectional ? 2 : 1;
        this.relu = relu;
        this.ce = ce;
        for (Tensor t : params) {
            double[] d = new double[t.size()];
            for (int i = 0; i < d.length; i++) {
                d[i] = t.data()[i];
            }
            p.put(t.name(), d);
        }
    }

    private static String name(String base, int l, int d) {
        return base + "_l" + l + (d == 1 ? "_reverse" : "");
    }

    private double[] step(int l, int d, double[] x, double[] h) {
        double[] u = p.get(name("U", l, d));
        double[] w = p.get(name("W", l, d));
        double[] b = p.get(name("b", l, d));
        int n = x.length;
        double[] next = new double[hid];
        for (int j = 0; j < hid; j++) {
            double z = b[j];
            for (int i = 0; i < n; i++) {
                z += u[j * n + i] * x[i];
            }
            for (int k = 0; k < hid; k++) {
                z += w[j * hid + k] * h[k];
            }
            next[j] = relu ? Math.max(0, z) : Math.tanh(z);
        }
        return next;
    }

    /**
     * The outputs of every layer at steps [start, end) of one sequence, from {@code entering[l·D + d]}
     * (the state of each layer and direction before step {@code start}; a backward direction
     * starts at the sequence's end, so it needs start = 0 and end = T). Returns [layer][t][D·H],
     * null rows before {@code start}.
     */
    double[][][] outputs(double[][] x, double[][] entering, int start, int end) {
        double[][][] o = new double[layers][x.length][];
        double[][] input = x;
        for (int l = 0; l < layers; l++) {
            for (int t = start; t < end; t++) {
                o[l][t] = new double[dirs * hid];
            }
            double[] h = entering[l * dirs].clone();
            for (int t = start; t < end; t++) {
                h = step(l, 0, input[t], h);
                if (l == perturbLayer && t == perturbStep && seq == perturbSeq) {
                    h[perturbUnit] += perturbBy;
                }
                System.arraycopy(h, 0, o[l][t], 0, hid);
            }
            if (dirs == 2) {
                h = entering[l * dirs + 1].clone();
                for (int t = end - 1; t >= start; t--) {
                    h = step(l, 1, input[t], h);
                    System.arraycopy(h, 0, o[l][t], hid, hid);
                }
            }
            input = o[l];
            if (mask != null && l + 1 < layers) {
                input = new double[x.length][];
                for (int t = start; t < end; t++) {
                    input[t] = o[l][t].clone();
                    for (int u = 0; u < input[t].length; u++) {
                        input[t][u] *= mask.factor(l, t, seq, u);
                    }
                }
            }
        }
        return o;
    }

    /** The batch loss of the loss steps in [lossFrom, lossTo), every layer's state before {@code start} held at {@code entering[b]}. */
    double loss(Problems pr, double[][][] entering, int start, int lossFrom, int lossTo, double scale) {
        double total = 0;
        for (int b = 0; b < pr.batch; b++) {
            seq = b;
            if (lengths != null) {
                int len = lengths[b];
                double[][][] o = outputs(java.util.Arrays.copyOf(pr.x[b], len), entering[b], 0, len);
                for (int t = 0; t < len; t++) {
                    if (pr.lossSteps[t + pr.steps - len]) {
                        total += stepLoss(
                                o[layers - 1][t], pr.ce ? pr.classes[b][t] : -1, pr.ce ? null : pr.targets[b][t]);
                    }
                }
                continue;
            }
            double[][][] o = outputs(pr.x[b], entering[b], start, dirs == 2 ? pr.steps : lossTo);
            for (int t = lossFrom; t < lossTo; t++) {
                if (pr.lossSteps[t]) {
                    total += stepLoss(o[layers - 1][t], pr.ce ? pr.classes[b][t] : -1, pr.ce ? null : pr.targets[b][t]);
                }
            }
        }
        return total * scale;
    }

    private double stepLoss(double[] h, int cls, double[] target) {
        return ReferenceRnn.readoutLoss(p.get("V"), p.get("c"), h, h.length, out, ce, cls, target);
    }
}
