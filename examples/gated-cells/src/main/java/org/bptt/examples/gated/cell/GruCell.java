package org.bptt.examples.gated.cell;

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
 * PyTorch's nn.GRU cell, with its parameter names and layout:
 * <pre>
 *   r = σ(W_ir x + b_ir + W_hr h + b_hr)        z = σ(W_iz x + b_iz + W_hz h + b_hz)
 *   n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))          h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 * {@code weight_ih} (3H×I) stacks [W_ir; W_iz; W_in], {@code weight_hh} (3H×H) stacks
 * [W_hr; W_hz; W_hn], {@code bias_ih} and {@code bias_hh} (3H) likewise. The state is h
 * (width H).
 *
 * <p>Batched: a forward window computes X·W_ihᵀ for all its steps as one product into the
 * gate scratch; each step adds H·[W_hr; W_hz]ᵀ onto the r and z columns and H·W_hnᵀ + b_hn
 * into a buffer of its own (kept: the backward pass needs it), both from packed weights, then
 * the gates and the update run through the kernels' element-wise methods. Gates are kept per
 * absolute step, so a TBPTT backward window can reach back over earlier forward calls.
 */
public final class GruCell implements Cell {

    @Override
    public List<ParameterSpec> parameters(int inputSize, int hiddenSize) {
        int g = 3 * hiddenSize;
        // Fan-in and fan-out per gate (I → H, H → H): Xavier and the uniform initializer then
        // scale each gate block as for a vanilla cell, as PyTorch does (U(±1/√H) everywhere).
        return List.of(
                new ParameterSpec("weight_ih", g, inputSize, Role.INPUT_WEIGHTS, inputSize, hiddenSize),
                new ParameterSpec("weight_hh", g, hiddenSize, Role.RECURRENT_WEIGHTS, hiddenSize, hiddenSize),
                new ParameterSpec("bias_ih", 1, g, Role.BIAS, 1, hiddenSize),
                new ParameterSpec("bias_hh", 1, g, Role.BIAS, 1, hiddenSize));
    }

    @Override
    public CellRunner bind(CellContext context) {
        context.requireDeclaredShapes(this);
        return new Runner(context);
    }

    @Override
    public String describe() { return "gru"; }

    private static final class Runner implements CellRunner {
        private final Kernels k;
        private final int in;
        private final int hid;
        private final int batch;
        private final float[] wih;
        private final float[] whh;
        private final float[] bih;
        private final float[] bhh;
        private final float[] gwih;
        private final float[] gwhh;
        private final float[] gbih;
        private final float[] gbhh;
        /**
         * Per absolute step, B rows of [r | z | n] (3H): first X·W_ihᵀ plus the step's
         * recurrent products, then the gates in place. Step t's rows start at t·B·3H.
         */
        private final float[] gates;
        /** Per absolute step, B rows of W_hn h_{t-1} + b_hn (H), which n and its gradient need. */
        private final float[] ghn;
        /** Per step of the backward window (relative), B rows of [da_r | da_z | dghn | da_n] (4H). */
        private final float[] dGates;
        /** W_hhᵀ (H×3H) and W_ihᵀ (I×3H), refreshed once per forward window. */
        private final float[] whhT;
        private final float[] wihT;
        /** W_ihᵀ packed: each step's X·W_ihᵀ is taken just before its recurrent products, while its rows are in cache. */
        private final float[] packedIhT;
        /** [W_hr; W_hz]ᵀ and W_hnᵀ packed for the per-step products of a forward window. */
        private final float[] packedRzT;
        private final float[] packedNT;
        /** W_hh packed for the per-step product dGates·W_hh of a backward window. */
        private final float[] packedW;
        /** b_ir + b_hr and b_iz + b_hz, added when r and z are activated. */
        private final float[] biasRz;
        /** Column sums of a backward window's dGates, [Σda_r | Σda_z | Σdghn | Σda_n]: both biases' gradients. */
        private final float[] biasGrad;
        private final BatchParts parts;
        private final IntConsumer forwardPart = this::forwardPart;
        private final IntConsumer backwardPart = this::backwardPart;
        /** The window a region is running; set before {@link Kernels#parallelFor}. */
        private int winFrom;
        private int winTo;
        private float[] winStates;
        private float[] winX;
        private float[] winDStates;

        Runner(CellContext ctx) {
            this.k = ctx.kernels();
            this.in = ctx.inputSize();
            this.hid = ctx.hiddenSize();
            this.batch = ctx.batch();
            this.wih = ctx.params().get("weight_ih").data();
            this.whh = ctx.params().get("weight_hh").data();
            this.bih = ctx.params().get("bias_ih").data();
            this.bhh = ctx.params().get("bias_hh").data();
            this.gwih = ctx.grads().get("weight_ih").data();
            this.gwhh = ctx.grads().get("weight_hh").data();
            this.gbih = ctx.grads().get("bias_ih").data();
            this.gbhh = ctx.grads().get("bias_hh").data();
            int rows = Math.multiplyExact(ctx.maxSteps(), batch);
            this.gates = new float[Math.multiplyExact(rows, 3 * hid)];
            this.ghn = new float[Math.multiplyExact(rows, hid)];
            this.dGates = new float[Math.multiplyExact(rows, 4 * hid)];
            this.whhT = new float[3 * hid * hid];
            this.wihT = new float[Math.multiplyExact(in, 3 * hid)];
            this.packedIhT = new float[k.packedSize(in, 3 * hid)];
            this.packedRzT = new float[k.packedSize(hid, 2 * hid)];
            this.packedNT = new float[k.packedSize(hid, hid)];
            this.packedW = new float[k.packedSize(3 * hid, hid)];
            this.biasRz = new float[2 * hid];
            this.biasGrad = new float[4 * hid];
            this.parts = new BatchParts(k, batch, 3L * hid * hid);
        }

        @Override
        public void forward(int from, int to, float[] x, float[] states) {
            int h3 = 3 * hid;
            // The parameters may have changed since the last window (online TBPTT): refresh all derived copies.
            for (int j = 0; j < 2 * hid; j++) {
                biasRz[j] = bih[j] + bhh[j];
            }
            k.transpose(h3, hid, whh, 0, hid, whhT, 0);
            k.packB(hid, 2 * hid, whhT, 0, h3, packedRzT);
            k.packB(hid, hid, whhT, 2 * hid, h3, packedNT);
            k.transpose(h3, in, wih, 0, in, wihT, 0);
            k.packB(in, h3, wihT, 0, h3, packedIhT);
            winFrom = from;
            winTo = to;
            winStates = states;
            winX = x;
            try {
                k.parallelFor(parts.count(), forwardPart);
            } finally {
                winStates = null;
                winX = null;
            }
        }

        private void forwardPart(int p) {
            int r0 = parts.start(p);
            int n = parts.start(p + 1) - r0;
            int h3 = 3 * hid;
            int slot = batch * hid;
            float[] states = winStates;
            for (int t = winFrom; t < winTo; t++) {
                int prev = t * slot + r0 * hid;
                int cur = prev + slot;
                int g = (t * batch + r0) * h3;
                int gn = (t * batch + r0) * hid;
                // The step's X·W_ihᵀ, then W_hn h + b_hn apart from it (r multiplies it): written here rather than
                // for the whole window before the loop, they are still in cache when the step reads them.
                k.fill(n * h3, 0f, gates, g);
                k.multAddPacked(n, h3, in, winX, (t * batch + r0) * in, in, packedIhT, gates, g, h3);
                k.fill(n * hid, 0f, ghn, gn);
                k.addRowVector(n, hid, ghn, gn, hid, bhh, 2 * hid);
                k.multAddPacked(n, 2 * hid, hid, states, prev, hid, packedRzT, gates, g, h3);
                k.multAddPacked(n, hid, hid, states, prev, hid, packedNT, ghn, gn, hid);
                k.addBiasActivate(Activation.SIGMOID, n, 2 * hid, gates, g, h3, biasRz, 0);
                k.multiplyAddElements(n, hid, gates, g, h3, ghn, gn, hid, gates, g + 2 * hid, h3);
                k.addBiasActivate(Activation.TANH, n, hid, gates, g + 2 * hid, h3, bih, 2 * hid);
                k.gruUpdate(n, hid, gates, g + hid, h3, gates, g + 2 * hid, h3, states, prev, hid, states, cur, hid);
            }
        }

        @Override
        public void backward(int from, int to, float[] x, float[] states, float[] dStates) {
            int h3 = 3 * hid;
            int h4 = 4 * hid;
            k.packB(h3, hid, whh, 0, hid, packedW);
            winFrom = from;
            winTo = to;
            winStates = states;
            winDStates = dStates;
            try {
                k.parallelFor(parts.count(), backwardPart);
            } finally {
                winStates = null;
                winDStates = null;
            }
            int rows = (to - from) * batch;
            int x0 = from * batch * in;
            // dGates rows are [da_r | da_z | dghn | da_n]: W_ih's gradient takes da_r, da_z and
            // da_n; W_hh's the first three blocks, contiguous.
            k.multAddTransA(2 * hid, in, rows, dGates, 0, h4, x, x0, in, gwih, 0, in);
            k.multAddTransA(hid, in, rows, dGates, h3, h4, x, x0, in, gwih, 2 * hid * in, in);
            k.multAddTransA(h3, hid, rows, dGates, 0, h4, states, from * batch * hid, hid, gwhh, 0, hid);
            // One pass of column sums over dGates; b_ih takes [Σda_r | Σda_z | Σda_n], b_hh the first three blocks.
            k.fill(h4, 0f, biasGrad, 0);
            k.addColumnSums(rows, h4, dGates, 0, h4, biasGrad, 0);
            k.axpy(2 * hid, 1f, biasGrad, 0, gbih, 0);
            k.axpy(hid, 1f, biasGrad, h3, gbih, 2 * hid);
            k.axpy(h3, 1f, biasGrad, 0, gbhh, 0);
        }

        @Override
        public boolean hasInputGradient() { return true; }

        /** dX += [da_r | da_z]·[W_ir; W_iz] + da_n·W_in, from the last backward call's dGates. */
        @Override
        public void addInputGradient(int from, int to, float[] x, float[] states, float[] dx) {
            int rows = (to - from) * batch;
            int x0 = from * batch * in;
            k.multAdd(rows, in, 2 * hid, dGates, 0, 4 * hid, wih, 0, in, dx, x0, in);
            k.multAdd(rows, in, hid, dGates, 3 * hid, 4 * hid, wih, 2 * hid * in, in, dx, x0, in);
        }

        private void backwardPart(int p) {
            int r0 = parts.start(p);
            int n = parts.start(p + 1) - r0;
            int h3 = 3 * hid;
            int h4 = 4 * hid;
            int slot = batch * hid;
            float[] states = winStates;
            float[] dStates = winDStates;
            for (int t = winTo - 1; t >= winFrom; t--) {
                int prev = t * slot + r0 * hid;
                int cur = prev + slot;
                int g = (t * batch + r0) * h3;
                int gn = (t * batch + r0) * hid;
                int dg = ((t - winFrom) * batch + r0) * h4;
                k.gruBackward(n, hid, gates, g, h3, ghn, gn, hid, states, prev, hid, dStates, cur, hid,
                        dGates, dg, h4, dStates, prev, hid);
                k.multAddPacked(n, hid, h3, dGates, dg, h4, packedW, dStates, prev, hid);
            }
        }
    }
}
