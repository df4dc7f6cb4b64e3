package org.bptt.plugins.cell;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.function.IntConsumer;
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

    public Activation activation() {
        return activation;
    }

    @Override
    public java.util.Optional<Activation> elementwiseActivation() {
        return java.util.Optional.of(activation);
    }

    @Override
    public List<ParameterSpec> parameters(int inputSize, int hiddenSize) {
        return List.of(
                new ParameterSpec("U", hiddenSize, inputSize, Role.INPUT_WEIGHTS, inputSize, hiddenSize),
                new ParameterSpec("W", hiddenSize, hiddenSize, Role.RECURRENT_WEIGHTS, hiddenSize, hiddenSize),
                new ParameterSpec("b", 1, hiddenSize, Role.BIAS, 1, hiddenSize));
    }

    @Override
    public CellRunner bind(CellContext ctx) {
        ctx.requireDeclaredShapes(this);
        return new Runner(ctx, activation);
    }

    @Override
    public String describe() {
        return "vanilla(" + (activation == Activation.IDENTITY ? "linear" : activation.id()) + ")";
    }

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
        /** Wᵀ and W in the kernels' packed layout, once per window for the T products that share them. */
        private final float[] wTPacked;

        private final float[] wPacked;
        /**
         * The recurrence of each batch row depends on that row alone, so the batch is split
         * into parts that run the whole window on their own threads, one hand-off per window
         * rather than one per step. Row {@code r} of every product is computed the same way
         * whichever part holds it, so results do not depend on the split.
         */
        private final int parts;

        private final IntConsumer forwardPart = this::forwardPart;
        private final IntConsumer backwardPart = this::backwardPart;
        /** The window a region is running; set before {@link Kernels#parallelFor}. */
        private int winFrom;

        private int winTo;
        private float[] winStates;
        private float[] winDStates;

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
            this.wTPacked = new float[k.packedSize(hid, hid)];
            this.wPacked = new float[k.packedSize(hid, hid)];
            // Each part reads all of W every step: the backend knows (or measured) when that pays.
            this.parts = Math.max(1, Math.min(batch, k.recurrenceParts(batch, (long) hid * hid * Float.BYTES)));
        }

        /** First batch row of part {@code p} (p = parts gives the batch), a multiple of 4 inside. */
        private int partStart(int p) {
            return p == parts ? batch : (p * batch / parts) & ~3;
        }

        @Override
        public void forward(int from, int to, float[] x, float[] states) {
            int slot = batch * hid;
            int rows = (to - from) * batch;
            int first = (from + 1) * slot;
            k.fill(rows * hid, 0f, states, first);
            k.multAddTransB(rows, hid, in, x, from * batch * in, in, u, 0, in, states, first, hid);
            k.transpose(hid, hid, w, 0, hid, wT, 0);
            k.packB(hid, hid, wT, 0, hid, wTPacked);
            winFrom = from;
            winTo = to;
            winStates = states;
            try {
                k.parallelFor(parts, forwardPart);
            } finally {
                winStates = null;
            }
        }

        private void forwardPart(int p) {
            int r0 = partStart(p);
            int n = partStart(p + 1) - r0;
            int slot = batch * hid;
            float[] states = winStates;
            for (int t = winFrom; t < winTo; t++) {
                int prev = t * slot + r0 * hid;
                int cur = prev + slot;
                k.multAddPacked(n, hid, hid, states, prev, hid, wTPacked, states, cur, hid);
                k.addBiasActivate(act, n, hid, states, cur, hid, b, 0);
            }
        }

        @Override
        public void backward(int from, int to, float[] x, float[] states, float[] dStates) {
            int slot = batch * hid;
            winFrom = from;
            winTo = to;
            winStates = states;
            winDStates = dStates;
            k.packB(hid, hid, w, 0, hid, wPacked);
            try {
                k.parallelFor(parts, backwardPart);
            } finally {
                winStates = null;
                winDStates = null;
            }
            int rows = (to - from) * batch;
            k.multAddTransA(hid, hid, rows, dz, 0, hid, states, from * slot, hid, gw, 0, hid);
            k.multAddTransA(hid, in, rows, dz, 0, hid, x, from * batch * in, in, gu, 0, in);
            k.addColumnSums(rows, hid, dz, 0, hid, gb, 0);
        }

        @Override
        public boolean hasInputGradient() {
            return true;
        }

        /** dX += dZ·U over the window: dZ still holds the last backward call's steps. */
        @Override
        public void addInputGradient(int from, int to, float[] x, float[] states, float[] dx) {
            k.multAdd((to - from) * batch, in, hid, dz, 0, hid, u, 0, in, dx, from * batch * in, in);
        }

        private void backwardPart(int p) {
            int r0 = partStart(p);
            int n = partStart(p + 1) - r0;
            int slot = batch * hid;
            float[] states = winStates;
            float[] dStates = winDStates;
            for (int t = winTo - 1; t >= winFrom; t--) {
                int cur = (t + 1) * slot + r0 * hid;
                int dzOff = (t - winFrom) * slot + r0 * hid;
                k.activationBackward(act, n * hid, states, cur, dStates, cur, dz, dzOff);
                k.multAddPacked(n, hid, hid, dz, dzOff, hid, wPacked, dStates, t * slot + r0 * hid, hid);
            }
        }
    }
}
