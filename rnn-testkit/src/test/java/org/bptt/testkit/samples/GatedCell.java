package org.bptt.testkit.samples;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.IntConsumer;
import org.bptt.api.cell.Cell;
import org.bptt.api.cell.CellContext;
import org.bptt.api.cell.CellRunner;
import org.bptt.api.kernel.Kernels;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.tensor.ParameterSet;
import org.bptt.api.tensor.ParameterSpec;
import org.bptt.api.tensor.ParameterSpec.Role;
import org.bptt.api.tensor.Tensor;

/**
 * A small gated cell with a two-part state [h, c] (state width 2H), written with plain loops:
 * <pre>
 * f = σ(Uf x + Wf h' + bf)     g = tanh(Ug x + Wg h' + bg)
 * c = f ⊙ c' + (1 − f) ⊙ g     h = tanh(c)
 * </pre>
 * Correct with {@link Flaw#NONE}: the batch is split into parts that run whole windows through
 * {@link Kernels#parallelFor}, each row computed the same way whatever the split, and the
 * parameter gradients are summed after the parallel region in a fixed order. Supports H up to
 * {@value #MAX_HIDDEN} (a stand-in for any size limit a real cell has). Each other flaw breaks
 * one thing, as a plugin author might.
 */
public final class GatedCell implements Cell {
    public static final int MAX_HIDDEN = 16;

    /** One deliberate mistake. */
    public enum Flaw {
        NONE,
        /** σ′ taken as σ instead of σ(1 − σ). */
        WRONG_GATE_DERIVATIVE,
        /** The biases are declared but neither added nor differentiated. */
        IGNORES_BIAS,
        /** backward zeroes its own gradients first instead of adding to what it finds. */
        CLEARS_GRADIENTS,
        /** backward runs from step 0 whatever window it is given. */
        BACKWARD_FROM_ZERO,
        /** forward records gates by position within the call, backward reads them by position within its window. */
        SCRATCH_PER_CALL,
        /** forward(from, to) reads the state before step {@code from} from slot 0. */
        READS_SLOT_ZERO,
        /** The bias gradients are summed per thread, so they depend on which thread ran which part. */
        THREAD_DEPENDENT,
        /** Each row's forget gate sees the batch's mean state. */
        MIXES_SEQUENCES,
        /** The recurrent weights are copied at bind and never read again. */
        CACHES_WEIGHTS,
        /** An unseeded random offset on the candidate's pre-activation, drawn at bind. */
        UNSEEDED_JITTER,
        /** Multiplies the candidate by ‖z‖/‖z‖, a row norm divided without an epsilon: 0/0 on a zero row. */
        NORM_WITHOUT_EPSILON,
        /** A new array per step. */
        ALLOCATES,
        /** Binds to any hidden size, though it supports only {@value #MAX_HIDDEN}. */
        ACCEPTS_LARGE_HIDDEN,
        /** Never checks the shapes of the parameters it is given. */
        IGNORES_PARAMETER_SHAPES,
        /** Calls the candidate's bias "c", the readout's name. */
        NAMES_READOUT_BIAS,
        /** The forget gates kept for backward live in one static array that every runner shares. */
        STATIC_SCRATCH,
        /** The recurrent forget weights are read through a static field that the last bind set. */
        STATIC_WEIGHT
    }

    /** STATIC_SCRATCH's shared gate record and STATIC_WEIGHT's shared weight: the mistakes themselves. */
    private static float[] sharedGates = new float[0];

    private static float[] sharedWeight;

    private final Flaw flaw;

    public GatedCell(Flaw flaw) {
        this.flaw = flaw;
    }

    private String candidateBias() {
        return flaw == Flaw.NAMES_READOUT_BIAS ? "c" : "bg";
    }

    @Override
    public List<ParameterSpec> parameters(int in, int hid) {
        return List.of(
                new ParameterSpec("Uf", hid, in, Role.INPUT_WEIGHTS, in, hid),
                new ParameterSpec("Wf", hid, hid, Role.RECURRENT_WEIGHTS, hid, hid),
                new ParameterSpec("bf", 1, hid, Role.BIAS, 1, hid),
                new ParameterSpec("Ug", hid, in, Role.INPUT_WEIGHTS, in, hid),
                new ParameterSpec("Wg", hid, hid, Role.RECURRENT_WEIGHTS, hid, hid),
                new ParameterSpec(candidateBias(), 1, hid, Role.BIAS, 1, hid));
    }

    @Override
    public int stateWidth(int hid) {
        return 2 * hid;
    }

    @Override
    public CellRunner bind(CellContext ctx) {
        if (ctx.hiddenSize() > MAX_HIDDEN && flaw != Flaw.ACCEPTS_LARGE_HIDDEN) {
            throw new ConfigurationException(
                    "gated: hidden size " + ctx.hiddenSize() + " is above the " + MAX_HIDDEN + " this cell supports");
        }
        if (flaw != Flaw.IGNORES_PARAMETER_SHAPES) {
            for (ParameterSpec s : parameters(ctx.inputSize(), ctx.hiddenSize())) {
                Tensor t = ctx.params().get(s.name());
                if (t.rows() != s.rows() || t.cols() != s.cols()) {
                    throw new IllegalArgumentException("gated: parameter " + s.name() + " is " + t.rows() + "x"
                            + t.cols()
                            + " but I=" + ctx.inputSize() + ", H=" + ctx.hiddenSize() + " need " + s.rows() + "x"
                            + s.cols());
                }
            }
        }
        return new Runner(ctx);
    }

    @Override
    public String describe() {
        return flaw == Flaw.NONE ? "gated" : "gated(" + flaw.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }

    private final class Runner implements CellRunner {
        private final Kernels k;
        private final int in;
        private final int hid;
        private final int batch;
        private final int width;
        private final float[] uf;
        private final float[] wf;
        private final float[] bf;
        private final float[] ug;
        private final float[] wg;
        private final float[] bg;
        private final float[] guf;
        private final float[] gwf;
        private final float[] gbf;
        private final float[] gug;
        private final float[] gwg;
        private final float[] gbg;
        /** Gate values and pre-activation gradients per (t, row, unit), for backward. */
        private final float[] fs;

        private final float[] gs;
        private final float[] dzf;
        private final float[] dzg;
        /** Per part: the row's pre-activations. */
        private final float[][] zRow;
        /** THREAD_DEPENDENT: bias-gradient sums of the calling thread and of the others. */
        private final float[][] partial;

        private final float jitter;
        private final int parts;
        private final IntConsumer forwardPart = this::forwardPart;
        private final IntConsumer backwardPart = this::backwardPart;
        private int winFrom;
        private int winTo;
        private int callFrom;
        private float[] x;
        private float[] states;
        private float[] dStates;
        private Thread caller;

        @SuppressWarnings("unused")
        private float[] escaped;

        Runner(CellContext ctx) {
            k = ctx.kernels();
            in = ctx.inputSize();
            hid = ctx.hiddenSize();
            batch = ctx.batch();
            width = 2 * hid;
            ParameterSet p = ctx.params();
            ParameterSet g = ctx.grads();
            uf = p.get("Uf").data();
            wf = flaw == Flaw.CACHES_WEIGHTS
                    ? p.get("Wf").data().clone()
                    : p.get("Wf").data();
            if (flaw == Flaw.STATIC_WEIGHT) {
                sharedWeight = wf;
            }
            bf = p.get("bf").data();
            ug = p.get("Ug").data();
            wg = flaw == Flaw.CACHES_WEIGHTS
                    ? p.get("Wg").data().clone()
                    : p.get("Wg").data();
            bg = p.get(candidateBias()).data();
            guf = g.get("Uf").data();
            gwf = g.get("Wf").data();
            gbf = g.get("bf").data();
            gug = g.get("Ug").data();
            gwg = g.get("Wg").data();
            gbg = g.get(candidateBias()).data();
            int n = Math.multiplyExact(ctx.maxSteps(), batch * hid);
            if (flaw == Flaw.STATIC_SCRATCH) {
                if (sharedGates.length < n) {
                    sharedGates = new float[n];
                }
                fs = sharedGates;
            } else {
                fs = new float[n];
            }
            gs = new float[n];
            dzf = new float[n];
            dzg = new float[n];
            parts = Math.max(1, Math.min(k.threads(), batch / 4));
            zRow = new float[parts][2 * hid];
            partial = new float[2][2 * hid];
            jitter = flaw == Flaw.UNSEEDED_JITTER ? (float) (1e-3 * new Random().nextGaussian()) : 0f;
        }

        private int rowStart(int part) {
            return part * batch / parts;
        }

        private int at(int t, int r) {
            return (t * batch + r) * hid;
        }

        @Override
        public void forward(int from, int to, float[] x, float[] states) {
            winFrom = from;
            winTo = to;
            callFrom = from;
            this.x = x;
            this.states = states;
            try {
                k.parallelFor(parts, forwardPart);
            } finally {
                this.x = null;
                this.states = null;
            }
        }

        private void forwardPart(int part) {
            float[] z = zRow[part];
            float[] wf = flaw == Flaw.STATIC_WEIGHT ? sharedWeight : this.wf;
            int slot = batch * width;
            for (int t = winFrom; t < winTo; t++) {
                int prevSlot = flaw == Flaw.READS_SLOT_ZERO && t == winFrom ? 0 : t;
                for (int r = rowStart(part); r < rowStart(part + 1); r++) {
                    int prev = prevSlot * slot + r * width;
                    int cur = (t + 1) * slot + r * width;
                    int xo = (t * batch + r) * in;
                    double norm = 0;
                    for (int j = 0; j < hid; j++) {
                        float zf = flaw == Flaw.IGNORES_BIAS ? 0f : bf[j];
                        float zg = (flaw == Flaw.IGNORES_BIAS ? 0f : bg[j]) + jitter;
                        for (int i = 0; i < in; i++) {
                            zf += uf[j * in + i] * x[xo + i];
                            zg += ug[j * in + i] * x[xo + i];
                        }
                        for (int q = 0; q < hid; q++) {
                            zf += wf[j * hid + q] * states[prev + q];
                            zg += wg[j * hid + q] * states[prev + q];
                        }
                        if (flaw == Flaw.MIXES_SEQUENCES) {
                            float mean = 0;
                            for (int o = 0; o < batch; o++) {
                                mean += states[prevSlot * slot + o * width + j];
                            }
                            zf += 0.5f * mean / batch;
                        }
                        z[j] = zf;
                        z[hid + j] = zg;
                        norm += (double) zg * zg;
                    }
                    float unit = flaw == Flaw.NORM_WITHOUT_EPSILON ? (float) (Math.sqrt(norm) / Math.sqrt(norm)) : 1f;
                    int rec = flaw == Flaw.SCRATCH_PER_CALL ? at(t - callFrom, r) : at(t, r);
                    for (int j = 0; j < hid; j++) {
                        float f = (float) (1 / (1 + Math.exp(-z[j])));
                        float g = (float) Math.tanh(z[hid + j]) * unit;
                        float c = f * states[prev + hid + j] + (1 - f) * g;
                        fs[rec + j] = f;
                        gs[rec + j] = g;
                        states[cur + j] = (float) Math.tanh(c);
                        states[cur + hid + j] = c;
                    }
                    if (flaw == Flaw.ALLOCATES) {
                        escaped = new float[hid];
                    }
                }
            }
        }

        @Override
        public void backward(int from, int to, float[] x, float[] states, float[] dStates) {
            winFrom = flaw == Flaw.BACKWARD_FROM_ZERO ? 0 : from;
            winTo = to;
            this.x = x;
            this.states = states;
            this.dStates = dStates;
            caller = Thread.currentThread();
            if (flaw == Flaw.CLEARS_GRADIENTS) {
                Arrays.fill(guf, 0f);
                Arrays.fill(gwf, 0f);
                Arrays.fill(gbf, 0f);
                Arrays.fill(gug, 0f);
                Arrays.fill(gwg, 0f);
                Arrays.fill(gbg, 0f);
            }
            try {
                k.parallelFor(parts, backwardPart);
            } finally {
                this.dStates = null;
            }
            accumulate(from);
            this.x = null;
            this.states = null;
        }

        private void backwardPart(int part) {
            int slot = batch * width;
            float[] bias = partial[Thread.currentThread() == caller ? 0 : 1];
            for (int t = winTo - 1; t >= winFrom; t--) {
                for (int r = rowStart(part); r < rowStart(part + 1); r++) {
                    int cur = (t + 1) * slot + r * width;
                    int prev = t * slot + r * width;
                    int rec = flaw == Flaw.SCRATCH_PER_CALL ? at(t - winFrom, r) : at(t, r);
                    int d = at(t, r);
                    for (int j = 0; j < hid; j++) {
                        float h = states[cur + j];
                        float f = fs[rec + j];
                        float g = gs[rec + j];
                        float dc = dStates[cur + hid + j] + dStates[cur + j] * (1 - h * h);
                        float fPrime = flaw == Flaw.WRONG_GATE_DERIVATIVE ? f : f * (1 - f);
                        dzf[d + j] = dc * (states[prev + hid + j] - g) * fPrime;
                        dzg[d + j] = dc * (1 - f) * (1 - g * g);
                        dStates[prev + hid + j] += dc * f;
                        if (flaw == Flaw.THREAD_DEPENDENT) {
                            bias[j] += dzf[d + j];
                            bias[hid + j] += dzg[d + j];
                        }
                    }
                    for (int q = 0; q < hid; q++) {
                        float s = 0;
                        for (int j = 0; j < hid; j++) {
                            s += wf[j * hid + q] * dzf[d + j] + wg[j * hid + q] * dzg[d + j];
                        }
                        dStates[prev + q] += s;
                    }
                }
            }
        }

        /** Parameter gradients over the window, in one fixed order whatever the parts were. */
        private void accumulate(int from) {
            int lo = flaw == Flaw.BACKWARD_FROM_ZERO ? 0 : from;
            int slot = batch * width;
            for (int t = lo; t < winTo; t++) {
                for (int r = 0; r < batch; r++) {
                    int d = at(t, r);
                    int xo = (t * batch + r) * in;
                    int prev = t * slot + r * width;
                    for (int j = 0; j < hid; j++) {
                        float a = dzf[d + j];
                        float b = dzg[d + j];
                        if (flaw != Flaw.IGNORES_BIAS && flaw != Flaw.THREAD_DEPENDENT) {
                            gbf[j] += a;
                            gbg[j] += b;
                        }
                        for (int i = 0; i < in; i++) {
                            guf[j * in + i] += a * x[xo + i];
                            gug[j * in + i] += b * x[xo + i];
                        }
                        for (int q = 0; q < hid; q++) {
                            gwf[j * hid + q] += a * states[prev + q];
                            gwg[j * hid + q] += b * states[prev + q];
                        }
                    }
                }
            }
            if (flaw == Flaw.THREAD_DEPENDENT) {
                for (int j = 0; j < hid; j++) {
                    gbf[j] += partial[0][j] + partial[1][j];
                    gbg[j] += partial[0][hid + j] + partial[1][hid + j];
                }
                Arrays.fill(partial[0], 0f);
                Arrays.fill(partial[1], 0f);
            }
        }
    }
}
