package org.bptt.training;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import org.bptt.api.cell.Cell;
import org.bptt.api.cell.CellContext;
import org.bptt.api.cell.CellRunner;
import org.bptt.api.kernel.Kernels;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.tensor.ParameterSet;
import org.bptt.api.tensor.ParameterSpec;
import org.bptt.api.tensor.Tensor;

/**
 * Any cell composed into layers, itself a {@link Cell}, so that the trainer, truncations,
 * clipping, checkpoints and stateful streams see one cell with more parameters and a wider
 * state. The cell does not know: each layer and direction binds it with its own input size
 * and a view of its own parameters under the cell's names.
 *
 * <h2>Parameters</h2>
 * The cell's parameters for layer l, direction d, named as PyTorch names them: the cell's
 * name, {@code _l<l>}, and {@code _reverse} for the backward direction ({@code W_l1},
 * {@code weight_hh_l0_reverse}), in PyTorch's order (layer by layer, forward then reverse).
 * Layer 0 reads the network's input (I); a layer above reads D·H (D directions).
 *
 * <h2>State</h2>
 * A row of the stack's state is [top output (D·H) | layer 0 forward state (S) | layer 0
 * reverse state | layer 1 …]: the readout reads the first D·H floats, the top layer's
 * h_t (forward, then backward in time). Each layer runs on its own state buffers; the stack
 * copies their slots into its own after a forward window and out of slot {@code from} before
 * one, so a stateful stream carries every layer's state.
 *
 * <h2>Gradients</h2>
 * Backward runs the layers top down: each layer's backward window, then
 * {@link CellRunner#addInputGradient}, which becomes the direct gradient on the outputs of the
 * layer below (through the dropout mask). So every layer above the first needs a cell that
 * reports its input gradient; {@link #requireStackable} checks it when the model is built.
 *
 * <h2>Bidirectional</h2>
 * The backward direction runs the cell over the time-reversed input; its output at step t is
 * its state after reading steps L−1 … t, L the sequence's length ({@link StackRunner#lengths};
 * T without lengths), as PyTorch's packed sequences do: it starts at each sequence's own last
 * valid step. Its padded steps (t ≥ L) come after step 0 in its reversed time, so nothing of them
 * reaches a valid step. It needs the whole sequence before its first output, so a bidirectional
 * stack runs only whole-sequence windows (forward(0, T), backward(0, T)).
 *
 * <h2>Dropout</h2>
 * Between layers, the inputs of layer l+1 are layer l's outputs times a mask of 0 and
 * 1/(1−p), drawn by a hash of (seed, iteration, layer, step, sequence, unit): nothing is
 * stored, the backward pass recomputes the same mask, and a resumed run draws the same bits.
 * The variational mask leaves the step out of the hash. Dropout acts only while training
 * ({@link StackRunner#training}); evaluation and prediction run without it.
 */
public final class LayerStack implements Cell {
    private final Cell cell;
    private final Layers layers;
    private final long seed;

    public LayerStack(Cell cell, Layers layers, long seed) {
        this.cell = requireNonNull(cell, "cell is null");
        this.layers = requireNonNull(layers, "layers is null");
        this.seed = seed;
    }

    public Cell cell() {
        return cell;
    }

    public Layers layers() {
        return layers;
    }

    /** The parameter-name suffix of layer {@code l}, direction {@code d} (1 = reverse). */
    public static String suffix(int l, int d) {
        return "_l" + l + (d == 1 ? "_reverse" : "");
    }

    /** The input size of layer {@code l}. */
    public int layerInput(int l, int inputSize, int hiddenSize) {
        return l == 0 ? inputSize : layers.directions() * hiddenSize;
    }

    /** Floats of each layer's output, D·H: what the readout and the layer above read. */
    public int outputWidth(int hiddenSize) {
        return layers.directions() * hiddenSize;
    }

    /** Where the state of layer {@code l}, direction {@code d} starts in a row of the stack's state. */
    public int stateOffset(int l, int d, int hiddenSize) {
        return outputWidth(hiddenSize) + (l * layers.directions() + d) * cell.stateWidth(hiddenSize);
    }

    /** The cell's own parameter specs of layer {@code l}, direction {@code d}, under the cell's names. */
    public List<ParameterSpec> layerParameters(int l, int inputSize, int hiddenSize) {
        return cell.parameters(layerInput(l, inputSize, hiddenSize), hiddenSize);
    }

    @Override
    public List<ParameterSpec> parameters(int inputSize, int hiddenSize) {
        List<ParameterSpec> all = new ArrayList<>();
        for (int l = 0; l < layers.count(); l++) {
            for (int d = 0; d < layers.directions(); d++) {
                for (ParameterSpec s : layerParameters(l, inputSize, hiddenSize)) {
                    all.add(new ParameterSpec(
                            s.name() + suffix(l, d), s.rows(), s.cols(), s.role(), s.fanIn(), s.fanOut()));
                }
            }
        }
        return all;
    }

    /** The structure the cell declares for the layer's own parameter: the same shape and role under the cell's name. */
    @Override
    public org.bptt.api.tensor.Structure structure(ParameterSpec spec) {
        for (int l = 0; l < layers.count(); l++) {
            for (int d = 0; d < layers.directions(); d++) {
                String suffix = suffix(l, d);
                if (spec.name().endsWith(suffix)) {
                    String base = spec.name().substring(0, spec.name().length() - suffix.length());
                    return cell.structure(new ParameterSpec(
                            base, spec.rows(), spec.cols(), spec.role(), spec.fanIn(), spec.fanOut()));
                }
            }
        }
        return org.bptt.api.tensor.Structure.inferred(spec);
    }

    @Override
    public int stateWidth(int hiddenSize) {
        return outputWidth(hiddenSize) + layers.count() * layers.directions() * cell.stateWidth(hiddenSize);
    }

    @Override
    public String describe() {
        return cell.describe() + ", " + layers.count() + (layers.count() == 1 ? " layer" : " layers")
                + (layers.bidirectional() ? ", bidirectional" : "")
                + (layers.dropout() > 0
                        ? ", " + (layers.variational() ? "variational " : "") + "dropout " + layers.dropout()
                        : "");
    }

    /**
     * Layer {@code layer}'s gradient flow ‖∂L/∂h_k‖ for k = 0..T−1, the root of the sum of squares
     * over the batch's sequences and the layer's directions, from the stack's state gradients
     * ({@link org.bptt.training.BpttTrainer#stateGradients}: slot k+1 holds the total derivative).
     */
    public double[] layerGradientNorms(float[] dStates, int batch, int steps, int hiddenSize, int layer) {
        int width = stateWidth(hiddenSize);
        double[] norms = new double[steps];
        for (int t = 0; t < steps; t++) {
            double s = 0;
            for (int r = 0; r < batch; r++) {
                for (int d = 0; d < layers.directions(); d++) {
                    int off = ((t + 1) * batch + r) * width + stateOffset(layer, d, hiddenSize);
                    for (int u = 0; u < hiddenSize; u++) {
                        s += (double) dStates[off + u] * dStates[off + u];
                    }
                }
            }
            norms[t] = Math.sqrt(s);
        }
        return norms;
    }

    /** A view of layer l, direction d's tensors in {@code set}, under the cell's own names (sharing the data). */
    private ParameterSet view(ParameterSet set, int l, int d, int inputSize, int hiddenSize) {
        ParameterSet v = new ParameterSet();
        for (ParameterSpec s : layerParameters(l, inputSize, hiddenSize)) {
            Tensor t = set.get(s.name() + suffix(l, d));
            v.add(new Tensor(s.name(), t.rows(), t.cols(), t.data()));
        }
        return v;
    }

    /**
     * Fails with one sentence unless every layer above the first can report its input gradient,
     * which stacking needs. Binds the cell once, for one sequence of one step.
     */
    public void requireStackable(ParameterSet params, int inputSize, int hiddenSize, Kernels kernels) {
        if (layers.count() < 2) {
            return;
        }
        ParameterSet p = view(params, 1, 0, inputSize, hiddenSize);
        CellRunner r = cell.bind(
                new CellContext(layerInput(1, inputSize, hiddenSize), hiddenSize, 1, 1, p, p.zerosLike(), kernels));
        if (!r.hasInputGradient()) {
            throw new ConfigurationException(
                    "the cell " + cell.describe() + " cannot be stacked: a layer above the first needs "
                            + "the gradient with respect to its inputs, which this cell does not compute (CellRunner.addInputGradient); "
                            + "train it as a single layer");
        }
    }

    @Override
    public StackRunner bind(CellContext ctx) {
        return new StackRunner(ctx);
    }

    /** The stack bound to one run. */
    public final class StackRunner implements CellRunner {
        private final int nl = layers.count();
        private final int nd = layers.directions();
        private final int in;
        private final int hid;
        private final int batch;
        private final int steps;
        /** S, the cell's state width. */
        private final int sw;
        /** The stack's state width. */
        private final int width;
        /** D·H. */
        private final int ow;

        private final Kernels k;
        /** Per layer and direction (index l·D + d): runner, states, state gradients. */
        private final CellRunner[] runners;

        private final float[][] st;
        private final float[][] dst;
        /** Inputs of layer l ≥ 1 (the masked outputs of layer l−1, T·B·D·H) and their gradients. */
        private final float[][] xs;

        private final float[][] dxs;
        /** The time-reversed inputs of each layer's backward direction, and their gradients. */
        private final float[][] xr;

        private final float[][] dxr;
        private boolean dropping;
        private long key;
        /** The valid steps of each sequence in the coming calls, or null when all have T. Not modified. */
        private int[] lengths;
        /**
         * Slots [from, to) of a stack buffer whose layer states the last call left to the layers'
         * own buffers ({@link #completeStates}, {@link #completeStateGradients}); null when none.
         */
        private float[] lazyStates;

        private int lazyStatesFrom;
        private int lazyStatesTo;
        private float[] lazyGrads;
        private int lazyGradsFrom;
        private int lazyGradsTo;

        StackRunner(CellContext ctx) {
            this.in = ctx.inputSize();
            this.hid = ctx.hiddenSize();
            this.batch = ctx.batch();
            this.steps = ctx.maxSteps();
            this.sw = cell.stateWidth(hid);
            this.width = stateWidth(hid);
            this.ow = outputWidth(hid);
            this.k = ctx.kernels();
            int n = nl * nd;
            runners = new CellRunner[n];
            st = new float[n][];
            dst = new float[n][];
            xs = new float[nl][];
            dxs = new float[nl][];
            xr = new float[nl][];
            dxr = new float[nl][];
            int slots = Math.multiplyExact(steps + 1, Math.multiplyExact(batch, sw));
            for (int l = 0; l < nl; l++) {
                int il = layerInput(l, in, hid);
                if (l > 0) {
                    xs[l] = new float[Math.multiplyExact(steps * batch, ow)];
                    dxs[l] = new float[xs[l].length];
                }
                if (nd == 2) {
                    xr[l] = new float[Math.multiplyExact(steps * batch, il)];
                    dxr[l] = l > 0 ? new float[xr[l].length] : null;
                }
                for (int d = 0; d < nd; d++) {
                    int j = l * nd + d;
                    st[j] = new float[slots];
                    dst[j] = new float[slots];
                    runners[j] = cell.bind(new CellContext(
                            il,
                            hid,
                            batch,
                            steps,
                            view(ctx.params(), l, d, in, hid),
                            view(ctx.grads(), l, d, in, hid),
                            k));
                    if (l > 0 && !runners[j].hasInputGradient()) {
                        throw new ConfigurationException(
                                "the cell " + cell.describe() + " cannot be stacked: it does not compute "
                                        + "the gradient with respect to its inputs (CellRunner.addInputGradient)");
                    }
                }
            }
        }

        /**
         * Dropout on for the coming forward and backward calls, with masks drawn for
         * {@code iteration}; a stack without dropout ignores it.
         */
        public void training(long iteration) {
            dropping = layers.dropout() > 0;
            key = iterationKey(iteration);
        }

        /**
         * The valid steps of each sequence for the coming calls ({@code Batch.lengths()}: B entries
         * in [1, T], or null when every sequence has T); kept, not copied, until the next call.
         */
        public void lengths(int[] lengths) {
            // The slots still owed map time steps by the old lengths; the next calls rewrite the layers' buffers
            // anyway.
            lazyStates = null;
            lazyGrads = null;
            this.lengths = lengths;
        }

        /**
         * The backward direction's state slot that holds time step t of sequence r: its state after
         * reading steps L−1 … t is slot L − t. A padded step t ≥ L is read after step 0, in slot t + 1.
         */
        private int reverseSlot(int r, int t) {
            int len = lengths == null ? steps : lengths[r];
            return t < len ? len - t : t + 1;
        }

        /** The time step the backward direction reads at its step t' of sequence r (the map is its own inverse). */
        private int reverseStep(int r, int t) {
            int len = lengths == null ? steps : lengths[r];
            return t < len ? len - 1 - t : t;
        }

        /** Dropout off: the coming calls evaluate the network (evaluation, prediction, diagnostics). */
        public void evaluating() {
            dropping = false;
        }

        private void requireWhole(int from, int to) {
            if (nd == 2 && (from != 0 || to != steps)) {
                throw new IllegalStateException(
                        "a bidirectional layer runs whole sequences, not steps " + from + " to " + to + " of " + steps);
            }
        }

        @Override
        public void forward(int from, int to, float[] x, float[] states) {
            requireWhole(from, to);
            // The layers' buffers are about to change. A window that continues the last keeps the slots before it.
            boolean continues = lazyStates == states && from == lazyStatesTo && from > 0;
            int lazyFrom = continues ? lazyStatesFrom : from + 1;
            lazyStates = null;
            lazyGrads = null;
            for (int l = 0; l < nl; l++) {
                int il = layerInput(l, in, hid);
                float[] input = l == 0 ? x : xs[l];
                int j = l * nd;
                copySlot(states, from, width, stateOffset(l, 0, hid), st[j], from, sw, 0);
                runners[j].forward(from, to, input, st[j]);
                if (nd == 2) {
                    reverse(input, il, xr[l]);
                    copySlot(states, 0, width, stateOffset(l, 1, hid), st[j + 1], 0, sw, 0);
                    runners[j + 1].forward(0, steps, xr[l], st[j + 1]);
                }
                if (l + 1 < nl) {
                    feedUp(l, from, to);
                }
            }
            // The readout reads the top output of every step, a stream or a window after this one the whole
            // state of the last; the other layers' states are copied only when asked for (completeStates).
            for (int t = from + 1; t <= to; t++) {
                gatherTop(states, st, t);
            }
            gatherLayers(states, st, to);
            lazyStates = states;
            lazyStatesFrom = lazyFrom;
            lazyStatesTo = to;
        }

        /**
         * Copies into the stack's states buffer of the last forward call the layers' states it
         * left out (every slot's but the last, whose whole state it copied), as {@link
         * BpttTrainer#states()} does before handing the buffer out. Allocates nothing.
         */
        public void completeStates() {
            if (lazyStates != null) {
                for (int t = lazyStatesFrom; t < lazyStatesTo; t++) {
                    gatherLayers(lazyStates, st, t);
                }
                lazyStates = null;
            }
        }

        /** As {@link #completeStates} for the state gradients of the last backward call. */
        public void completeStateGradients() {
            if (lazyGrads != null) {
                for (int t = lazyGradsFrom; t < lazyGradsTo; t++) {
                    gatherLayers(lazyGrads, dst, t);
                }
                lazyGrads = null;
            }
        }

        /** Layer l's outputs at steps [from, to), masked, become layer l+1's inputs. */
        private void feedUp(int l, int from, int to) {
            float[] dst = xs[l + 1];
            for (int t = from; t < to; t++) {
                for (int d = 0; d < nd; d++) {
                    float[] src = st[l * nd + d];
                    for (int r = 0; r < batch; r++) {
                        int slot = d == 0 ? t + 1 : reverseSlot(r, t);
                        int s = (slot * batch + r) * sw;
                        int o = (t * batch + r) * ow + d * hid;
                        if (dropping) {
                            for (int u = 0; u < hid; u++) {
                                dst[o + u] = src[s + u] * mask(l, t, r, d * hid + u);
                            }
                        } else {
                            System.arraycopy(src, s, dst, o, hid);
                        }
                    }
                }
            }
        }

        @Override
        public void backward(int from, int to, float[] x, float[] states, float[] dStates) {
            requireWhole(from, to);
            lazyGrads = null;
            for (int l = nl - 1; l >= 0; l--) {
                float[] input = l == 0 ? x : xs[l];
                int j = l * nd;
                for (int d = 0; d < nd; d++) {
                    int lo = d == 0 ? from : 0;
                    int hi = d == 0 ? to : steps;
                    float[] g = dst[j + d];
                    int slot = batch * sw;
                    k.fill((hi - lo + 1) * slot, 0f, g, lo * slot);
                    for (int t = from; t < to; t++) {
                        for (int r = 0; r < batch; r++) {
                            int gs = d == 0 ? t + 1 : reverseSlot(r, t);
                            int o = gs * slot + r * sw;
                            if (l == nl - 1) {
                                System.arraycopy(dStates, (t + 1) * batch * width + r * width + d * hid, g, o, hid);
                            } else {
                                float[] above = dxs[l + 1];
                                int a = (t * batch + r) * ow + d * hid;
                                if (dropping) {
                                    for (int u = 0; u < hid; u++) {
                                        g[o + u] = above[a + u] * mask(l, t, r, d * hid + u);
                                    }
                                } else {
                                    System.arraycopy(above, a, g, o, hid);
                                }
                            }
                        }
                    }
                }
                runners[j].backward(from, to, input, st[j], dst[j]);
                if (l > 0) {
                    k.fill((to - from) * batch * ow, 0f, dxs[l], from * batch * ow);
                    runners[j].addInputGradient(from, to, input, st[j], dxs[l]);
                }
                if (nd == 2) {
                    runners[j + 1].backward(0, steps, xr[l], st[j + 1], dst[j + 1]);
                    if (l > 0) {
                        k.fill(dxr[l].length, 0f, dxr[l], 0);
                        runners[j + 1].addInputGradient(0, steps, xr[l], st[j + 1], dxr[l]);
                        for (int t = 0; t < steps; t++) {
                            for (int r = 0; r < batch; r++) {
                                k.axpy(
                                        ow,
                                        1f,
                                        dxr[l],
                                        (t * batch + r) * ow,
                                        dxs[l],
                                        (reverseStep(r, t) * batch + r) * ow);
                            }
                        }
                    }
                }
            }
            // The trainer reads the top layer's gradients (the flow); the layers' own only a diagnosis asks for.
            for (int t = from; t <= to; t++) {
                gatherTop(dStates, dst, t);
            }
            gatherLayers(dStates, dst, from);
            lazyGrads = dStates;
            lazyGradsFrom = from + 1;
            lazyGradsTo = to + 1;
        }

        /** Slot {@code s} of the stack's buffer {@code dst} from the layers' {@code src}: the top layer's h, each direction's at the same time step. */
        private void gatherTop(float[] dst, float[][] src, int s) {
            int l = nl - 1;
            copyRows(src[l * nd], s * batch * sw, sw, dst, s * batch * width, width, hid);
            if (nd == 2) {
                float[] rev = src[l * nd + 1];
                for (int r = 0; r < batch; r++) {
                    System.arraycopy(rev, (gatherSlot(r, s) * batch + r) * sw, dst, (s * batch + r) * width + hid, hid);
                }
            }
        }

        /** Slot {@code s} of the stack's buffer {@code dst} from the layers' {@code src}: every layer's whole state. */
        private void gatherLayers(float[] dst, float[][] src, int s) {
            for (int l = 0; l < nl; l++) {
                copySlot(src[l * nd], s, sw, 0, dst, s, width, stateOffset(l, 0, hid));
                if (nd == 2) {
                    float[] rev = src[l * nd + 1];
                    int off = stateOffset(l, 1, hid);
                    for (int r = 0; r < batch; r++) {
                        System.arraycopy(
                                rev, (gatherSlot(r, s) * batch + r) * sw, dst, (s * batch + r) * width + off, sw);
                    }
                }
            }
        }

        /** The backward direction's slot for time step s−1 of sequence r; its entering state (s = 0) is slot 0. */
        private int gatherSlot(int r, int s) {
            return s == 0 ? 0 : reverseSlot(r, s - 1);
        }

        /** B rows of n floats from slot {@code fs} (row stride fw, offset fo) to slot {@code ts} (stride tw, offset to). */
        private void copySlot(float[] from, int fs, int fw, int fo, float[] to, int ts, int tw, int toff) {
            copyRows(from, fs * batch * fw + fo, fw, to, ts * batch * tw + toff, tw, sw);
        }

        private void copyRows(float[] from, int f, int fw, float[] to, int t, int tw, int n) {
            for (int r = 0; r < batch; r++) {
                System.arraycopy(from, f + r * fw, to, t + r * tw, n);
            }
        }

        /** The input buffer reversed in time per sequence: step t of {@code dst} is step {@link #reverseStep} of {@code src}. */
        private void reverse(float[] src, int il, float[] dst) {
            for (int t = 0; t < steps; t++) {
                for (int r = 0; r < batch; r++) {
                    System.arraycopy(src, (reverseStep(r, t) * batch + r) * il, dst, (t * batch + r) * il, il);
                }
            }
        }

        private float mask(int l, int t, int r, int u) {
            return dropoutFactor(key, l, t, r, u);
        }
    }

    /** The key of iteration {@code iteration}'s dropout masks. */
    long iterationKey(long iteration) {
        return mix(seed ^ mix(iteration + 0x632BE59BD9B4E019L));
    }

    /**
     * The dropout factor of unit u of sequence r's output of layer l at step t (the variational
     * mask ignores t), under {@code key}: 0 with probability p, else 1/(1−p).
     */
    float dropoutFactor(long key, int l, int t, int r, int u) {
        long h = key + (layers.variational() ? 0 : (t + 1L) * 0x9E3779B97F4A7C15L);
        h = mix(h + (l + 1L) * 0xC2B2AE3D27D4EB4FL);
        h = mix(h + (((long) r << 32) | u));
        // The top 24 bits as a uniform float in [0, 1).
        float uniform = (h >>> 40) * 0x1.0p-24f;
        return uniform < layers.dropout() ? 0f : (float) (1 / (1 - layers.dropout()));
    }

    /** Stafford's 64-bit finalizer (SplittableRandom's mix64): a counter-based generator, nothing stored. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
