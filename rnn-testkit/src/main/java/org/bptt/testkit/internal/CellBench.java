package org.bptt.testkit.internal;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.bptt.api.cell.Cell;
import org.bptt.api.cell.CellContext;
import org.bptt.api.cell.CellRunner;
import org.bptt.api.kernel.Kernels;
import org.bptt.api.tensor.ParameterSet;
import org.bptt.api.tensor.ParameterSpec;
import org.bptt.api.tensor.ParameterSpec.Role;
import org.bptt.api.tensor.Tensor;

/**
 * One cell at fixed sizes with the kit's own data, readout and loss: the independent side of
 * every cell check. The readout o_t = V h_t + c and the loss ½‖o_t − y_t‖² (every step, mean
 * over the batch) are computed here in double from the cell's float states, so the only code
 * under test is the cell's runner.
 *
 * <p>The parameter set lists the cell's parameters in declaration order, then V and c, as the
 * platform's model does; the cell must leave V, c and their gradients alone.
 */
final class CellBench {
    static final int OUTPUT = 3;

    final Cell cell;
    final int in;
    final int hid;
    final int width;
    final int batch;
    final int steps;
    final List<ParameterSpec> specs;
    final ParameterSet params = new ParameterSet();
    final ParameterSet grads;
    final Kernels kernels;
    /** Inputs, T·B·I, time-major. */
    final float[] x;
    /** The state entering step 0, B·S. */
    final float[] entering;

    private final double[] v;
    private final double[] c;
    /** Targets, T·B·O. */
    private final double[] y;

    private final double[] o = new double[OUTPUT];
    /** The loss is this times the sum over sequences: 1/B, or the parent's for a sub-batch. */
    private final double lossScale;

    CellBench(Cell cell, int in, int hid, int batch, int steps, long seed, Kernels kernels) {
        this.cell = cell;
        this.in = in;
        this.hid = hid;
        this.width = cell.stateWidth(hid);
        this.batch = batch;
        this.steps = steps;
        this.kernels = kernels;
        this.specs = List.copyOf(cell.parameters(in, hid));
        for (ParameterSpec s : specs) {
            if (s.name().equals("V") || s.name().equals("c")) {
                throw Check.fail("the cell declares parameter '" + s.name() + "', a name the readout o = V h + c owns");
            }
            params.add(s.newTensor());
        }
        params.add(new Tensor("V", OUTPUT, hid));
        params.add(new Tensor("c", 1, OUTPUT));
        grads = params.zerosLike();
        SplittableRandom r = new SplittableRandom(seed);
        x = new float[steps * batch * in];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        entering = new float[batch * width];
        for (int i = 0; i < entering.length; i++) {
            entering[i] = (float) r.nextDouble(-0.5, 0.5);
        }
        fillParameters(r.nextLong(), 1.0);
        fill(params.get("V").data(), r, 1.0 / Math.sqrt(hid));
        fill(params.get("c").data(), r, 0.1);
        v = new double[OUTPUT * hid];
        for (int i = 0; i < v.length; i++) {
            v[i] = params.get("V").data()[i];
        }
        c = new double[OUTPUT];
        for (int i = 0; i < c.length; i++) {
            c[i] = params.get("c").data()[i];
        }
        y = new double[steps * batch * OUTPUT];
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextDouble(-0.5, 0.5);
        }
        lossScale = 1.0 / batch;
    }

    /** Sequences [from, to) of {@code parent} as a batch of their own, with the same parameters and loss scale. */
    CellBench(CellBench parent, int from, int to) {
        this.cell = parent.cell;
        this.in = parent.in;
        this.hid = parent.hid;
        this.width = parent.width;
        this.batch = to - from;
        this.steps = parent.steps;
        this.kernels = parent.kernels;
        this.specs = parent.specs;
        for (Tensor t : parent.params) {
            params.add(t.copy());
        }
        grads = params.zerosLike();
        x = new float[steps * batch * in];
        y = new double[steps * batch * OUTPUT];
        for (int t = 0; t < steps; t++) {
            System.arraycopy(parent.x, (t * parent.batch + from) * in, x, t * batch * in, batch * in);
            System.arraycopy(parent.y, (t * parent.batch + from) * OUTPUT, y, t * batch * OUTPUT, batch * OUTPUT);
        }
        entering = Arrays.copyOfRange(parent.entering, from * width, to * width);
        v = parent.v;
        c = parent.c;
        lossScale = parent.lossScale;
    }

    /**
     * Uniform values in ±scale·a, a = 1.2/√fanIn capped at 0.8 (biases ±0.5·scale): the cell
     * works in its nonlinear range without saturating. The readout's V and c stay as they are.
     */
    void fillParameters(long seed, double scale) {
        SplittableRandom r = new SplittableRandom(seed);
        for (ParameterSpec s : specs) {
            double a = s.role() == Role.BIAS ? 0.5 : Math.min(0.8, 1.2 / Math.sqrt(Math.max(1, s.fanIn())));
            fill(params.get(s.name()).data(), r, a * scale);
        }
    }

    private static void fill(float[] d, SplittableRandom r, double a) {
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) r.nextDouble(-a, a);
        }
    }

    /** The targets as the platform's batches hold them, T·B·O floats. */
    float[] targetsAsFloats() {
        float[] f = new float[y.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) y[i];
        }
        return f;
    }

    /** Floats of one state slot, B·S. */
    int slot() {
        return batch * width;
    }

    float[] newStates() {
        return new float[(steps + 1) * slot()];
    }

    CellRunner bind() {
        return bind(params, grads);
    }

    CellRunner bind(ParameterSet p, ParameterSet g) {
        return cell.bind(new CellContext(in, hid, batch, steps, p, g, kernels));
    }

    /** Slot 0 of {@code states} ← the entering state. */
    void loadEntering(float[] states) {
        System.arraycopy(entering, 0, states, 0, entering.length);
    }

    /** Zeros slots [fromSlot, toSlot] of a state-shaped buffer. */
    void zeroSlots(float[] buffer, int fromSlot, int toSlot) {
        Arrays.fill(buffer, fromSlot * slot(), (toSlot + 1) * slot(), 0f);
    }

    /** The loss of steps [from, to), in double from the float states. */
    double loss(float[] states, int from, int to) {
        double total = 0;
        for (int t = from; t < to; t++) {
            for (int b = 0; b < batch; b++) {
                readout(states, t, b);
                int yt = (t * batch + b) * OUTPUT;
                for (int j = 0; j < OUTPUT; j++) {
                    double d = o[j] - y[yt + j];
                    total += 0.5 * d * d;
                }
            }
        }
        return total * lossScale;
    }

    /**
     * Writes ∂L/∂h_t of the loss of steps [from, to) into slots t+1 of {@code dStates} (the
     * h part of each row; the rest of the slot is left as it is).
     */
    void seedLossGradient(float[] states, float[] dStates, int from, int to) {
        for (int t = from; t < to; t++) {
            for (int b = 0; b < batch; b++) {
                readout(states, t, b);
                int yt = (t * batch + b) * OUTPUT;
                int row = (t + 1) * slot() + b * width;
                for (int k = 0; k < hid; k++) {
                    double g = 0;
                    for (int j = 0; j < OUTPUT; j++) {
                        g += v[j * hid + k] * (o[j] - y[yt + j]);
                    }
                    dStates[row + k] = (float) (g * lossScale);
                }
            }
        }
    }

    private void readout(float[] states, int t, int b) {
        int row = (t + 1) * slot() + b * width;
        for (int j = 0; j < OUTPUT; j++) {
            double s = c[j];
            for (int k = 0; k < hid; k++) {
                s += v[j * hid + k] * states[row + k];
            }
            o[j] = s;
        }
    }
}
