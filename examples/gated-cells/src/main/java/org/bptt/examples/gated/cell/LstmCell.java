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
 * PyTorch's nn.LSTM cell, with its parameter names and layout:
 * <pre>
 *   i = σ(W_ii x + b_ii + W_hi h + b_hi)     f = σ(W_if x + b_if + W_hf h + b_hf)
 *   g = tanh(W_ig x + b_ig + W_hg h + b_hg)  o = σ(W_io x + b_io + W_ho h + b_ho)
 *   c' = f ⊙ c + i ⊙ g                       h' = o ⊙ tanh(c')
 * </pre>
 * {@code weight_ih} (4H×I) stacks [W_ii; W_if; W_ig; W_io], {@code weight_hh} (4H×H) and the
 * biases (4H) likewise. The state row is [h, c] (width 2H): the readout sees h, c follows it.
 *
 * <p>Batched: a forward window computes X·W_ihᵀ for all its steps as one product into the
 * gate scratch; each step adds H·W_hhᵀ (packed once per window) onto it, activates the four
 * gates in place with the summed biases and updates c and h with {@link Kernels#lstmUpdate},
 * which also keeps tanh(c) in a fifth block of the scratch row for the backward pass.
 *
 * <p>{@code forgetBias} is added to f's pre-activation, as TensorFlow's LSTM cells do
 * ({@code forget_bias}; Gers, Schmidhuber &amp; Cummins 2000, Jozefowicz et al. 2015): with
 * zero-initialized biases f starts near σ(0) = ½, and c forgets half of itself every step.
 * 0 gives PyTorch's equations exactly.
 */
public final class LstmCell implements Cell {
    private final float forgetBias;

    public LstmCell() {
        this(0f);
    }

    public LstmCell(float forgetBias) {
        this.forgetBias = forgetBias;
    }

    @Override
    public List<ParameterSpec> parameters(int inputSize, int hiddenSize) {
        int g = 4 * hiddenSize;
        // Fan-in and fan-out per gate, as for the GRU (see GruCell).
        return List.of(
                new ParameterSpec("weight_ih", g, inputSize, Role.INPUT_WEIGHTS, inputSize, hiddenSize),
                new ParameterSpec("weight_hh", g, hiddenSize, Role.RECURRENT_WEIGHTS, hiddenSize, hiddenSize),
                new ParameterSpec("bias_ih", 1, g, Role.BIAS, 1, hiddenSize),
                new ParameterSpec("bias_hh", 1, g, Role.BIAS, 1, hiddenSize));
    }

    @Override
    public int stateWidth(int hiddenSize) {
        return 2 * hiddenSize;
    }

    @Override
    public CellRunner bind(CellContext context) {
        context.requireDeclaredShapes(this);
        return new Runner(context, forgetBias);
    }

    @Override
    public String describe() { return "lstm"; }

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
         * Per absolute step, B rows of [i | f | g | o | tanh c] (5H): first the gates'
         * pre-activations, then the gates in place and tanh(c_t). Step t's rows start at t·B·5H.
         */
        private final float[] gates;
        /** Per step of the backward window (relative), B rows of [da_i | da_f | da_g | da_o] (4H). */
        private final float[] dGates;
        /** W_hhᵀ (H×4H), refreshed once per forward window, and packed. */
        private final float[] whhT;
        private final float[] packedT;
        /** W_ihᵀ (I×4H), and packed: each step's X·W_ihᵀ is taken just before its recurrent product. */
        private final float[] wihT;
        private final float[] packedIhT;
        /** W_hh packed for the per-step product dGates·W_hh of a backward window. */
        private final float[] packedW;
        private final float forgetBias;
        /** bias_ih + bias_hh (and the forget bias on f), added when the gates are activated. */
        private final float[] bias;
        /** Column sums of a backward window's dGates: the gradient of either bias. */
        private final float[] biasGrad;
        private final BatchParts parts;
        private final IntConsumer forwardPart = this::forwardPart;
        private final IntConsumer backwardPart = this::backwardPart;
        private int winFrom;
        private int winTo;
        private float[] winStates;
        private float[] winX;
        private float[] winDStates;

        Runner(CellContext ctx, float forgetBias) {
            this.forgetBias = forgetBias;
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
            this.gates = new float[Math.multiplyExact(rows, 5 * hid)];
            this.dGates = new float[Math.multiplyExact(rows, 4 * hid)];
            this.whhT = new float[4 * hid * hid];
            this.wihT = new float[Math.multiplyExact(in, 4 * hid)];
            this.packedIhT = new float[k.packedSize(in, 4 * hid)];
            this.packedT = new float[k.packedSize(hid, 4 * hid)];
            this.packedW = new float[k.packedSize(4 * hid, hid)];
            this.bias = new float[4 * hid];
            this.biasGrad = new float[4 * hid];
            this.parts = new BatchParts(k, batch, 4L * hid * hid);
        }

        @Override
        public void forward(int from, int to, float[] x, float[] states) {
            int h4 = 4 * hid;
            // The parameters may have changed since the last window (online TBPTT): refresh all derived copies.
            for (int j = 0; j < h4; j++) {
                bias[j] = bih[j] + bhh[j];
            }
            if (forgetBias != 0f) {
                for (int j = hid; j < 2 * hid; j++) {
                    bias[j] += forgetBias;
                }
            }
            k.transpose(h4, hid, whh, 0, hid, whhT, 0);
            k.packB(hid, h4, whhT, 0, h4, packedT);
            k.transpose(h4, in, wih, 0, in, wihT, 0);
            k.packB(in, h4, wihT, 0, h4, packedIhT);
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
            int h2 = 2 * hid;
            int h5 = 5 * hid;
            int slot = batch * h2;
            float[] states = winStates;
            for (int t = winFrom; t < winTo; t++) {
                int prev = t * slot + r0 * h2;
                int cur = prev + slot;
                int g = (t * batch + r0) * h5;
                // The step's X·W_ihᵀ, written here rather than for the whole window before the loop: still in
                // cache when the recurrent product adds to it.
                k.fill(n * h5, 0f, gates, g);
                k.multAddPacked(n, 4 * hid, in, winX, (t * batch + r0) * in, in, packedIhT, gates, g, h5);
                k.multAddPacked(n, 4 * hid, hid, states, prev, h2, packedT, gates, g, h5);
                k.addBiasActivate(Activation.SIGMOID, n, h2, gates, g, h5, bias, 0);
                k.addBiasActivate(Activation.TANH, n, hid, gates, g + h2, h5, bias, h2);
                k.addBiasActivate(Activation.SIGMOID, n, hid, gates, g + 3 * hid, h5, bias, 3 * hid);
                k.lstmUpdate(n, hid, gates, g, h5, states, prev + hid, h2, states, cur + hid, h2,
                        gates, g + 4 * hid, h5, states, cur, h2);
            }
        }

        @Override
        public void backward(int from, int to, float[] x, float[] states, float[] dStates) {
            int h4 = 4 * hid;
            k.packB(h4, hid, whh, 0, hid, packedW);
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
            k.multAddTransA(h4, in, rows, dGates, 0, h4, x, from * batch * in, in, gwih, 0, in);
            k.multAddTransA(h4, hid, rows, dGates, 0, h4, states, from * batch * 2 * hid, 2 * hid, gwhh, 0, hid);
            // Both biases enter every gate the same way: one pass of column sums, added to both.
            k.fill(h4, 0f, biasGrad, 0);
            k.addColumnSums(rows, h4, dGates, 0, h4, biasGrad, 0);
            k.axpy(h4, 1f, biasGrad, 0, gbih, 0);
            k.axpy(h4, 1f, biasGrad, 0, gbhh, 0);
        }

        @Override
        public boolean hasInputGradient() { return true; }

        /** dX += dGates·W_ih, from the last backward call's dGates. */
        @Override
        public void addInputGradient(int from, int to, float[] x, float[] states, float[] dx) {
            k.multAdd((to - from) * batch, in, 4 * hid, dGates, 0, 4 * hid, wih, 0, in, dx, from * batch * in, in);
        }

        private void backwardPart(int p) {
            int r0 = parts.start(p);
            int n = parts.start(p + 1) - r0;
            int h2 = 2 * hid;
            int h4 = 4 * hid;
            int h5 = 5 * hid;
            int slot = batch * h2;
            float[] states = winStates;
            float[] dStates = winDStates;
            for (int t = winTo - 1; t >= winFrom; t--) {
                int prev = t * slot + r0 * h2;
                int cur = prev + slot;
                int g = (t * batch + r0) * h5;
                int dg = ((t - winFrom) * batch + r0) * h4;
                // dStates slot t+1 holds [∂L/∂h_t, ∂L/∂c_t through later steps]; c_{t-1}'s share goes to slot t.
                k.lstmBackward(n, hid, gates, g, h5, gates, g + 4 * hid, h5, states, prev + hid, h2,
                        dStates, cur, h2, dStates, cur + hid, h2, dGates, dg, h4, dStates, prev + hid, h2);
                k.multAddPacked(n, hid, h4, dGates, dg, h4, packedW, dStates, prev, h2);
            }
        }
    }
}
