package org.bptt.simd.internal;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.bptt.api.kernel.Activation;
import org.bptt.api.kernel.Kernels;

/**
 * The kernel calls of one vanilla-RNN training step, in the order and with the shapes the
 * trainer and the vanilla cell make them: input projection X·Uᵀ over the window, the recurrence
 * H·Wᵀ (packed) with bias and tanh step by step, split by batch rows as
 * {@link Kernels#recurrenceParts} says, the readout, then the backward products and the
 * gradients. The softmax and loss, which no tuned setting touches, are left out. What the tuner
 * times settings on, so that a choice is judged by the step it serves rather than by one product.
 *
 * <p>Operands ({@link Operands}) are allocated once per shape and shared by the suites of the
 * backends being compared, so that both run on the same memory: where an array starts relative
 * to a cache line changes a kernel's speed by several percent, which would otherwise be taken
 * for an effect of the settings. (Packed weights are re-packed by each run, and every backend
 * packs into the same size.) {@link #run} allocates nothing. Values stay bounded however often
 * it runs: states pass through tanh and every accumulated output is cleared first. Suites
 * sharing operands must not run at the same time.
 */
public final class StepSuite implements Runnable {

    /**
     * Sizes of one suite.
     *
     * @param name   shown in reports, e.g. W1-256
     * @param input  I
     * @param hidden H
     * @param output O
     * @param batch  B
     * @param steps  T (smaller than the reference's for the largest H, to keep a trial short;
     *               every product scales with T, so the proportions stay)
     */
    public record Shape(String name, int input, int hidden, int output, int batch, int steps) {}

    /** The reference workloads of the benchmark (W1 at H = 64, 256, 1024; W2), with T cut for H = 1024. */
    public static List<Shape> referenceShapes() {
        return List.of(
                new Shape("W1-64", 64, 64, 64, 32, 100),
                new Shape("W1-256", 64, 256, 64, 32, 100),
                new Shape("W1-1024", 64, 1024, 64, 32, 20),
                new Shape("W2", 65, 128, 65, 1, 25));
    }

    /** The arrays of one shape's step, for the suites of any backends (see the class comment). */
    public static final class Operands {
        final Shape shape;
        final float[] x, u, w, wT, wTPacked, wPacked, v, bias;
        final float[] states, dStates, outputs, dOut, dz, gU, gW, gV;

        /** @param packedSize floats a packed H×H matrix takes ({@link Kernels#packedSize}), the same for every backend compared */
        public Operands(Shape s, int packedSize) {
            this.shape = s;
            int in = s.input(), hid = s.hidden(), out = s.output(), batch = s.batch(), steps = s.steps();
            SplittableRandom r = new SplittableRandom(17);
            x = random(r, steps * batch * in, 1);
            u = random(r, hid * in, 1 / Math.sqrt(in));
            w = random(r, hid * hid, 1 / Math.sqrt(hid));
            v = random(r, out * hid, 1 / Math.sqrt(hid));
            bias = random(r, hid, 0.1);
            wT = new float[hid * hid];
            wTPacked = new float[packedSize];
            wPacked = new float[packedSize];
            states = new float[(steps + 1) * batch * hid];
            dStates = new float[states.length];
            outputs = new float[steps * batch * out];
            dOut = random(r, outputs.length, 1e-3);
            dz = new float[steps * batch * hid];
            gU = new float[hid * in];
            gW = new float[hid * hid];
            gV = new float[out * hid];
        }
    }

    private final Kernels k;
    private final int in, hid, out, batch, steps, parts;
    private final float[] x, u, w, wT, wTPacked, wPacked, v, bias;
    private final float[] states, dStates, outputs, dOut, dz, gU, gW, gV;
    private final IntConsumer forwardPart = this::forwardPart;
    private final IntConsumer backwardPart = this::backwardPart;

    /** A suite on its own operands. */
    public StepSuite(Kernels kernels, Shape s) {
        this(kernels, new Operands(s, kernels.packedSize(s.hidden(), s.hidden())));
    }

    /** A suite on shared operands. */
    public StepSuite(Kernels kernels, Operands o) {
        Shape s = o.shape;
        if (o.wPacked.length < kernels.packedSize(s.hidden(), s.hidden())) {
            throw new IllegalArgumentException("the operands' packed arrays are too small for this backend");
        }
        this.k = kernels;
        this.in = s.input();
        this.hid = s.hidden();
        this.out = s.output();
        this.batch = s.batch();
        this.steps = s.steps();
        this.parts = Math.max(1, Math.min(batch, k.recurrenceParts(batch, (long) hid * hid * Float.BYTES)));
        x = o.x;
        u = o.u;
        w = o.w;
        wT = o.wT;
        wTPacked = o.wTPacked;
        wPacked = o.wPacked;
        v = o.v;
        bias = o.bias;
        states = o.states;
        dStates = o.dStates;
        outputs = o.outputs;
        dOut = o.dOut;
        dz = o.dz;
        gU = o.gU;
        gW = o.gW;
        gV = o.gV;
    }

    private static float[] random(SplittableRandom r, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        }
        return a;
    }

    /** One synthetic training step. */
    @Override
    public void run() {
        int slot = batch * hid;
        int rows = steps * batch;
        // Forward.
        k.fill(rows * hid, 0f, states, slot);
        k.multAddTransB(rows, hid, in, x, 0, in, u, 0, in, states, slot, hid);
        k.transpose(hid, hid, w, 0, hid, wT, 0);
        k.packB(hid, hid, wT, 0, hid, wTPacked);
        k.parallelFor(parts, forwardPart);
        k.fill(outputs.length, 0f, outputs, 0);
        k.multAddTransB(rows, out, hid, states, slot, hid, v, 0, hid, outputs, 0, out);
        // Backward.
        k.fill(states.length, 0f, dStates, 0);
        k.fill(gV.length, 0f, gV, 0);
        k.fill(gW.length, 0f, gW, 0);
        k.fill(gU.length, 0f, gU, 0);
        k.multAdd(rows, hid, out, dOut, 0, out, v, 0, hid, dStates, slot, hid);
        k.multAddTransA(out, hid, rows, dOut, 0, out, states, slot, hid, gV, 0, hid);
        k.packB(hid, hid, w, 0, hid, wPacked);
        k.parallelFor(parts, backwardPart);
        k.multAddTransA(hid, hid, rows, dz, 0, hid, states, 0, hid, gW, 0, hid);
        k.multAddTransA(hid, in, rows, dz, 0, hid, x, 0, in, gU, 0, in);
    }

    /** First batch row of part p, a multiple of 4 inside (as the vanilla cell splits). */
    private int partStart(int p) {
        return p == parts ? batch : (p * batch / parts) & ~3;
    }

    private void forwardPart(int p) {
        int r0 = partStart(p);
        int n = partStart(p + 1) - r0;
        int slot = batch * hid;
        for (int t = 0; t < steps; t++) {
            int prev = t * slot + r0 * hid;
            int cur = prev + slot;
            k.multAddPacked(n, hid, hid, states, prev, hid, wTPacked, states, cur, hid);
            k.addBiasActivate(Activation.TANH, n, hid, states, cur, hid, bias, 0);
        }
    }

    private void backwardPart(int p) {
        int r0 = partStart(p);
        int n = partStart(p + 1) - r0;
        int slot = batch * hid;
        for (int t = steps - 1; t >= 0; t--) {
            int cur = (t + 1) * slot + r0 * hid;
            int dzOff = t * slot + r0 * hid;
            k.activationBackward(Activation.TANH, n * hid, states, cur, dStates, cur, dz, dzOff);
            k.multAddPacked(n, hid, hid, dz, dzOff, hid, wPacked, dStates, t * slot + r0 * hid, hid);
        }
    }

    /** Flops of one {@link #run} by the benchmark's count (products only): 3 × forward. */
    public long flops() {
        return 3L * steps * batch * (2L * hid * (in + hid) + 2L * out * hid);
    }
}
