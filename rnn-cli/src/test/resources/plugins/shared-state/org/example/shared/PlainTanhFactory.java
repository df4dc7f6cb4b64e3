package org.example.shared;

import java.util.List;
import java.util.Set;

import org.bptt.api.cell.Cell;
import org.bptt.api.cell.CellContext;
import org.bptt.api.cell.CellFactory;
import org.bptt.api.cell.CellRunner;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.plugin.PluginParameter;
import org.bptt.api.tensor.ParameterSet;
import org.bptt.api.tensor.ParameterSpec;
import org.bptt.api.tensor.ParameterSpec.Role;

/**
 * A cell written against rnn-api 0.1: h = tanh(U x + W h' + b) with plain loops, correct with
 * flaw=none. The other flaws are the mistakes the test kit must catch from a plugin folder:
 * static-scratch (the tanh derivatives kept for backward in one static array), static-weight
 * (W read through a static field the last bind set), allocates (a new array per step).
 */
public final class PlainTanhFactory implements CellFactory {
    static float[] sharedDerivatives = new float[0];
    static float[] sharedW;

    @Override public String name() { return "plain-tanh"; }
    @Override public String description() { return "h = tanh(U x + W h' + b), with a deliberate flaw"; }
    @Override public List<PluginParameter> parameters() {
        return List.of(new PluginParameter("flaw", "none", "none, static-scratch, static-weight or allocates"));
    }

    @Override
    public Cell create(PluginOptions o) {
        o.requireOnly(Set.of("flaw"));
        String flaw = o.string("flaw", "none");
        if (!List.of("none", "static-scratch", "static-weight", "allocates").contains(flaw)) {
            throw new org.bptt.api.plugin.ConfigurationException("plain-tanh: unknown flaw '" + flaw + "'");
        }
        return new Cell() {
            @Override
            public List<ParameterSpec> parameters(int in, int hid) {
                return List.of(new ParameterSpec("U", hid, in, Role.INPUT_WEIGHTS, in, hid),
                        new ParameterSpec("W", hid, hid, Role.RECURRENT_WEIGHTS, hid, hid),
                        new ParameterSpec("b", 1, hid, Role.BIAS, 1, hid));
            }

            @Override
            public CellRunner bind(CellContext ctx) {
                for (ParameterSpec s : parameters(ctx.inputSize(), ctx.hiddenSize())) {
                    if (ctx.params().get(s.name()).rows() != s.rows() || ctx.params().get(s.name()).cols() != s.cols()) {
                        throw new IllegalArgumentException("plain-tanh: parameter " + s.name() + " has the wrong shape");
                    }
                }
                return new Runner(ctx, flaw);
            }

            @Override public String describe() { return "plain-tanh(flaw=" + flaw + ")"; }
        };
    }

    private static final class Runner implements CellRunner {
        private final String flaw;
        private final int in;
        private final int hid;
        private final int batch;
        private final float[] u;
        private final float[] w;
        private final float[] b;
        private final float[] gu;
        private final float[] gw;
        private final float[] gb;
        private final float[] derivatives;
        private final float[] dz;
        @SuppressWarnings("unused")
        private float[] escaped;

        Runner(CellContext ctx, String flaw) {
            this.flaw = flaw;
            in = ctx.inputSize();
            hid = ctx.hiddenSize();
            batch = ctx.batch();
            ParameterSet p = ctx.params();
            ParameterSet g = ctx.grads();
            u = p.get("U").data();
            w = p.get("W").data();
            b = p.get("b").data();
            gu = g.get("U").data();
            gw = g.get("W").data();
            gb = g.get("b").data();
            int n = ctx.maxSteps() * batch * hid;
            if (flaw.equals("static-scratch")) {
                if (sharedDerivatives.length < n) {
                    sharedDerivatives = new float[n];
                }
                derivatives = sharedDerivatives;
            } else {
                derivatives = new float[n];
            }
            if (flaw.equals("static-weight")) {
                sharedW = w;
            }
            dz = new float[hid];
        }

        @Override
        public void forward(int from, int to, float[] x, float[] states) {
            float[] w = flaw.equals("static-weight") ? sharedW : this.w;
            int slot = batch * hid;
            for (int t = from; t < to; t++) {
                for (int r = 0; r < batch; r++) {
                    int prev = t * slot + r * hid;
                    int cur = prev + slot;
                    int xo = (t * batch + r) * in;
                    for (int j = 0; j < hid; j++) {
                        float z = b[j];
                        for (int i = 0; i < in; i++) {
                            z += u[j * in + i] * x[xo + i];
                        }
                        for (int q = 0; q < hid; q++) {
                            z += w[j * hid + q] * states[prev + q];
                        }
                        float h = (float) Math.tanh(z);
                        states[cur + j] = h;
                        derivatives[(t * batch + r) * hid + j] = 1 - h * h;
                    }
                    if (flaw.equals("allocates")) {
                        escaped = new float[hid];
                    }
                }
            }
        }

        @Override
        public void backward(int from, int to, float[] x, float[] states, float[] dStates) {
            int slot = batch * hid;
            for (int t = to - 1; t >= from; t--) {
                for (int r = 0; r < batch; r++) {
                    int prev = t * slot + r * hid;
                    int cur = prev + slot;
                    int xo = (t * batch + r) * in;
                    for (int j = 0; j < hid; j++) {
                        dz[j] = dStates[cur + j] * derivatives[(t * batch + r) * hid + j];
                        gb[j] += dz[j];
                        for (int i = 0; i < in; i++) {
                            gu[j * in + i] += dz[j] * x[xo + i];
                        }
                        for (int q = 0; q < hid; q++) {
                            gw[j * hid + q] += dz[j] * states[prev + q];
                        }
                    }
                    for (int q = 0; q < hid; q++) {
                        float s = 0;
                        for (int j = 0; j < hid; j++) {
                            s += w[j * hid + q] * dz[j];
                        }
                        dStates[prev + q] += s;
                    }
                }
            }
        }
    }
}
