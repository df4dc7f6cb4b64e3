package org.bptt.plugins.cell;

import static java.util.Objects.requireNonNull;

import java.util.List;

import org.bptt.api.cell.Cell;
import org.bptt.api.cell.CellContext;
import org.bptt.api.cell.CellRunner;
import org.bptt.api.kernel.Activation;
import org.bptt.api.kernel.Kernels;
import org.bptt.api.tensor.ParameterSpec;
import org.bptt.api.tensor.ParameterSpec.Role;

/**
 * The classic recurrent cell h_t = act(U x_t + W h_{t-1} + b), batched: per window the input
 * projection X·Uᵀ is one product over all its steps, and each step adds H_{t-1}·Wᵀ and
 * applies bias and activation in place in the state buffer, so no scratch is needed forward.
 * Backward keeps dZ per step to form dW and dU as single products over the window.
 */
public final class VanillaCell implements Cell {
    private final Activation activation;

    public VanillaCell(Activation activation) {
        this.activation = requireNonNull(activation, "activation is null");
    }

    public Activation activation() { return activation; }

    @Override
    public List<ParameterSpec> parameters(int inputSize, int hiddenSize) {
        return List.of(
                new ParameterSpec("U", hiddenSize, inputSize, Role.INPUT_WEIGHTS, inputSize, hiddenSize),
                new ParameterSpec("W", hiddenSize, hiddenSize, Role.RECURRENT_WEIGHTS, hiddenSize, hiddenSize),
                new ParameterSpec("b", 1, hiddenSize, Role.BIAS, 1, hiddenSize));
    }

    @Override
    public CellRunner bind(CellContext ctx) {
        return new Runner(ctx, activation);
    }

    @Override
    public String describe() { return "vanilla(" + activation.id() + ")"; }

    private static final class Runner implements CellRunner {
        private final Activation act;
        private final Kernels k;
        private final int in;
        private final int hid;
        private final int batch;
        private final float[] u;
        private final float[] w;
        private final float[] b;
        private final float[] gu;
        private final float[] gw;
        private final float[] gb;
        /** dZ of every step of the current window, time-major like the states. */
        private final float[] dz;
        /**
         * Wᵀ, refreshed once per forward window: the per-step product H·Wᵀ then runs as a plain
         * H·(Wᵀ) product, the kernels' fastest form for a small batch.
         */
        private final float[] wT;

        Runner(CellContext ctx, Activation act) {
            this.act = act;
            this.k = ctx.kernels();
            this.in = ctx.inputSize();
            this.hid = ctx.hiddenSize();
            this.batch = ctx.batch();
            this.u = ctx.params().get("U").data();
            this.w = ctx.params().get("W").data();
            this.b = ctx.params().get("b").data();
            this.gu = ctx.grads().get("U").data();
            this.gw = ctx.grads().get("W").data();
            this.gb = ctx.grads().get("b").data();
            this.dz = new float[Math.multiplyExact(ctx.maxSteps(), batch * hid)];
            this.wT = new float[hid * hid];
        }

        @Override
        public void forward(int from, int to, float[] x, float[] states) {
            int slot = batch * hid;
            int rows = (to - from) * batch;
            int first = (from + 1) * slot;
            k.fill(rows * hid, 0f, states, first);
            k.multAddTransB(rows, hid, in, x, from * batch * in, in, u, 0, in, states, first, hid);
            k.transpose(hid, hid, w, 0, hid, wT, 0);
            for (int t = from; t < to; t++) {
                int prev = t * slot;
                int cur = prev + slot;
                k.multAdd(batch, hid, hid, states, prev, hid, wT, 0, hid, states, cur, hid);
                k.addBiasActivate(act, batch, hid, states, cur, hid, b, 0);
            }
        }

        @Override
        public void backward(int from, int to, float[] x, float[] states, float[] dStates) {
            int slot = batch * hid;
            for (int t = to - 1; t >= from; t--) {
                int cur = (t + 1) * slot;
                int dzOff = (t - from) * slot;
                k.activationBackward(act, slot, states, cur, dStates, cur, dz, dzOff);
                k.multAdd(batch, hid, hid, dz, dzOff, hid, w, 0, hid, dStates, t * slot, hid);
            }
            int rows = (to - from) * batch;
            k.multAddTransA(hid, hid, rows, dz, 0, hid, states, from * slot, hid, gw, 0, hid);
            k.multAddTransA(hid, in, rows, dz, 0, hid, x, from * batch * in, in, gu, 0, in);
            k.addColumnSums(rows, hid, dz, 0, hid, gb, 0);
        }
    }
}
