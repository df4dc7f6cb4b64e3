package org.bptt.training;

import static java.util.Objects.requireNonNull;

import jakarta.inject.Inject;
import java.util.List;
import java.util.function.IntConsumer;
import org.bptt.api.cell.CellContext;
import org.bptt.api.cell.CellRunner;
import org.bptt.api.data.Batch;
import org.bptt.api.data.Targets;
import org.bptt.api.gradient.GradientPolicy;
import org.bptt.api.gradient.PolicyReport;
import org.bptt.api.kernel.Kernels;
import org.bptt.api.loss.Loss;
import org.bptt.api.optim.Optimizer;
import org.bptt.api.tensor.ParameterSet;
import org.bptt.api.tensor.Tensor;
import org.bptt.api.truncation.Truncation;
import org.bptt.api.truncation.Truncation.Window;

/**
 * The one BPTT trainer every configuration shares. It knows the model's shapes and SPIs,
 * never a concrete strategy: Guice hands it the cell (inside the model), loss, optimizer,
 * gradient policy, truncation and kernels.
 *
 * <p>A batch is processed as matrices: the state of B sequences at a step is one B×S block,
 * so each step is a matrix product. Buffers are time-major and sized on the first batch of
 * a shape; afterwards an iteration allocates nothing.
 *
 * <p>An iteration runs the truncation's windows in order. For each window it runs the
 * forward pass up to the window's end (the state is carried, never restarted), computes
 * the readout and loss of the window's loss steps, back-propagates through the window's
 * steps and, with per-window updates (Williams &amp; Peng's online TBPTT), applies the
 * gradient policy and the optimizer. Not thread-safe.
 */
public final class BpttTrainer {
    private final Model model;
    private final Loss loss;
    private final Optimizer optimizer;
    private final GradientPolicy policy;
    private final Truncation truncation;
    private final Kernels kernels;
    private final TrainerSettings settings;
    private final ParameterSet grads;
    private ParameterSet windowSum;

    private final int in;
    private final int hid;
    private final int out;
    private final int width;
    private final float[] vData;
    private final float[] cData;
    private final float[] gV;
    private final float[] gC;

    private int batch = -1;
    private int steps = -1;
    private CellRunner runner;
    private float[] states;
    private float[] dStates;
    private float[] outputs;
    private float[] dOut;
    private double[] rowLoss;
    /** Unscaled loss of each step of the last evaluation. */
    private double[] stepLoss;

    private double[] hiddenGradNorms;
    private List<Window> windows;
    private final StepResult result = new StepResult();
    private long iteration;
    /** The learning-rate schedule, null for none; it multiplies {@link #baseRate}. */
    private org.bptt.api.schedule.Schedule schedule;

    private double baseRate;

    @Inject
    public BpttTrainer(
            Model model,
            Loss loss,
            Optimizer optimizer,
            GradientPolicy policy,
            Truncation truncation,
            Kernels kernels,
            TrainerSettings settings) {
        this.model = requireNonNull(model, "model is null");
        this.loss = requireNonNull(loss, "loss is null");
        this.optimizer = requireNonNull(optimizer, "optimizer is null");
        this.policy = requireNonNull(policy, "policy is null");
        this.truncation = requireNonNull(truncation, "truncation is null");
        this.kernels = requireNonNull(kernels, "kernels is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.grads = model.params().zerosLike();
        this.in = model.inputSize();
        this.hid = model.readoutWidth();
        this.out = model.outputSize();
        this.width = model.stateWidth();
        this.vData = model.params().get("V").data();
        this.cData = model.params().get("c").data();
        this.gV = grads.get("V").data();
        this.gC = grads.get("c").data();
        optimizer.bind(model.params(), kernels);
    }

    public Model model() {
        return model;
    }

    public Loss loss() {
        return loss;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public GradientPolicy policy() {
        return policy;
    }

    public Truncation truncation() {
        return truncation;
    }

    public Kernels kernels() {
        return kernels;
    }

    public TrainerSettings settings() {
        return settings;
    }
    /** The gradients of the last backward pass (live). */
    public ParameterSet gradients() {
        return grads;
    }
    /** Iterations trained so far (restored from checkpoints by {@link #setIteration}). */
    public long iteration() {
        return iteration;
    }

    public void setIteration(long iteration) {
        this.iteration = iteration;
    }

    /**
     * Multiplies the optimizer's learning rate (as it is now: the base) by the schedule's factor
     * of each iteration, before each update; null for none.
     *
     * @throws IllegalArgumentException when the optimizer's learning rate cannot change
     */
    public void schedule(org.bptt.api.schedule.Schedule s) {
        if (s != null && !optimizer.hasAdjustableLearningRate()) {
            throw new IllegalArgumentException(
                    "the optimizer " + optimizer.describe() + " has a fixed learning rate, so a schedule cannot apply");
        }
        if (schedule == null) {
            baseRate = optimizer.learningRate();
        } else if (s == null) {
            optimizer.setLearningRate(baseRate);
        }
        schedule = s;
    }

    /** The schedule in use, or null. */
    public org.bptt.api.schedule.Schedule schedule() {
        return schedule;
    }

    /** One training iteration: forward, backward per window, policy and update. */
    public StepResult trainStep(Batch b) {
        return trainStep(b, false);
    }

    /**
     * One training iteration that, with {@code recordFlow}, also records ‖dL/dh_t‖ per (step,
     * sequence) of its own backward passes in {@link #hiddenGradNorms()} (as {@link #gradients}
     * does), so that a measurement the training pass already makes needs no second pass.
     */
    public StepResult trainStep(Batch b, boolean recordFlow) {
        prepare(b);
        if (runner instanceof LayerStack.StackRunner s) {
            s.training(iteration);
            s.lengths(b.lengths());
        }
        result.reset();
        grads.zero();
        loadInitialState(b);
        int forwarded = 0;
        double scale = scale(b);
        boolean perWindow = settings.updatePerWindow();
        for (int wi = 0; wi < windows.size(); wi++) {
            Window w = windows.get(wi);
            if (w.backTo() > forwarded) {
                runner.forward(forwarded, w.backTo(), b.x(), states);
                forwarded = w.backTo();
            }
            result.loss +=
                    scale * lossAndOutputGrad(b, w.lossFrom(), w.lossTo(), (float) scale, settings.trackAccuracy());
            backward(b, w, recordFlow);
            if (perWindow) {
                update();
            }
        }
        if (!perWindow) {
            update();
        }
        iteration++;
        return result;
    }

    private void update() {
        PolicyReport report = result.report;
        policy.apply(model.params(), grads, kernels, report);
        double norm = report.normBefore();
        result.maxNormBefore = Math.max(result.maxNormBefore, norm);
        // A policy may report a finite norm over gradients it made non-finite: the gradients themselves decide.
        if (!Double.isFinite(norm) || !Double.isFinite(result.loss) || !allFinite(grads)) {
            if (settings.nonFinite() == NonFinitePolicy.STOP) {
                throw new NonFiniteException("non-finite " + (Double.isFinite(result.loss) ? "gradient" : "loss")
                        + " at iteration " + iteration + nonFiniteWhere() + "; lower the learning rate, "
                        + "clip the gradient, or skip non-finite updates");
            }
            result.skipped++;
            grads.zero();
            return;
        }
        if (report.clipped()) {
            result.clippedUpdates++;
        }
        if (schedule != null) {
            optimizer.setLearningRate(baseRate * schedule.factor(iteration));
        }
        optimizer.step(model.params(), grads);
        result.updates++;
        grads.zero();
    }

    /** Whether every value of {@code set} is finite. Indexed, not iterated: it runs at every update, which allocates nothing. */
    static boolean allFinite(org.bptt.api.tensor.ParameterSet set) {
        for (int k = 0; k < set.count(); k++) {
            for (float v : set.get(k).data()) {
                if (!Float.isFinite(v)) {
                    return false;
                }
            }
        }
        return true;
    }

    private String nonFiniteWhere() {
        for (Tensor g : grads) {
            for (float v : g.data()) {
                if (!Float.isFinite(v)) {
                    return " (first in the gradient of parameter " + g.name() + ")";
                }
            }
        }
        for (Tensor p : model.params()) {
            for (float v : p.data()) {
                if (!Float.isFinite(v)) {
                    return " (parameter " + p.name() + " holds a non-finite value)";
                }
            }
        }
        return "";
    }

    /**
     * Forward over the whole batch with fixed parameters, then the losses of every loss step.
     * Fills {@link #states()}, {@link #outputs()} and {@link #rowLosses()}.
     *
     * @return the batch loss
     */
    public double forward(Batch b) {
        prepare(b);
        if (runner instanceof LayerStack.StackRunner s) {
            s.evaluating();
            s.lengths(b.lengths());
        }
        loadInitialState(b);
        runner.forward(0, steps, b.x(), states);
        double scale = scale(b);
        return scale * lossAndOutputGrad(b, 0, steps, (float) scale, false);
    }

    /** Receives each window's gradients when {@link #gradients} runs with fixed parameters. */
    @FunctionalInterface
    public interface WindowListener {
        /**
         * @param window the backward pass
         * @param loss   the batch loss of the window's loss steps
         * @param grads  the window's gradients alone (live; copy what you keep)
         */
        void onWindow(Window window, double loss, ParameterSet grads);
    }

    /**
     * Gradients with the parameters held fixed: one forward pass, then each window's
     * backward pass on its own; returns their sum (for full BPTT, the exact gradient).
     * Records ‖dL/dh_t‖ per (step, sequence) in {@link #hiddenGradNorms()}; where windows
     * overlap, the last window covering a step wins.
     *
     * @param windows  the passes, e.g. {@code truncation().windows(T)}
     * @param listener told about each window, may be null
     * @return the summed gradients (live: the trainer's own set, see {@link #gradients()})
     */
    public ParameterSet gradients(Batch b, List<Window> windows, WindowListener listener) {
        forward(b);
        double scale = scale(b);
        // Training measures gradient flow every few iterations: reuse the sum rather than allocate it.
        if (windowSum == null) {
            windowSum = grads.zerosLike();
        }
        ParameterSet sum = windowSum;
        sum.zero();
        for (Window w : windows) {
            grads.zero();
            double l = scale * lossAndOutputGrad(b, w.lossFrom(), w.lossTo(), (float) scale, false);
            backward(b, w, true);
            if (listener != null) {
                listener.onWindow(w, l, grads);
            }
            for (int i = 0; i < sum.count(); i++) {
                Tensor g = grads.get(i);
                kernels.axpy(g.size(), 1f, g.data(), 0, sum.get(i).data(), 0);
            }
        }
        grads.copyFrom(sum);
        return grads;
    }

    private double scale(Batch b) {
        return settings.lossMean() == LossMean.SEQUENCE ? 1.0 / b.batch() : 1.0 / b.lossRowCount();
    }

    /** Readout, loss and dL/do for steps [from, to); returns the unscaled loss sum. */
    private double lossAndOutputGrad(Batch b, int from, int to, float scale, boolean countAccuracy) {
        int rows = (to - from) * batch;
        int first = from * batch * out;
        kernels.fill(rows * out, 0f, outputs, first);
        kernels.multAddTransB(
                rows, out, hid, states, (from + 1) * batch * width, width, vData, 0, hid, outputs, first, out);
        kernels.addRowVector(rows, out, outputs, first, out, cData, 0);
        lossBatch = b;
        lossFrom = from;
        lossTo = to;
        lossScale = scale;
        lossParts = (long) rows * out < MIN_PARALLEL_LOSS_FLOATS ? 1 : Math.min(kernels.threads(), to - from);
        try {
            kernels.parallelFor(lossParts, lossPart);
        } finally {
            lossBatch = null;
        }
        // Step totals are added in step order whatever the split, so the sum does not depend on threads.
        double total = 0;
        for (int t = from; t < to; t++) {
            total += stepLoss[t];
        }
        Targets targets = b.targets();
        if (countAccuracy && targets.isClasses()) {
            for (int t = from; t < to; t++) {
                countCorrect(b, t, t * batch * out, targets.classes());
            }
        }
        return total;
    }

    /** Fewest output floats of a window worth splitting its loss over threads. */
    private static final int MIN_PARALLEL_LOSS_FLOATS = 1 << 14;
    /** Steps are independent given the outputs: each part evaluates a range of them. */
    private final IntConsumer lossPart = this::lossPart;

    private Batch lossBatch;
    private int lossFrom;
    private int lossTo;
    private int lossParts;
    private float lossScale;

    private void lossPart(int p) {
        int n = lossTo - lossFrom;
        int t0 = lossFrom + (int) ((long) n * p / lossParts);
        int t1 = lossFrom + (int) ((long) n * (p + 1) / lossParts);
        Targets targets = lossBatch.targets();
        boolean[] lossSteps = lossBatch.lossSteps();
        for (int t = t0; t < t1; t++) {
            int o = t * batch * out;
            if (lossBatch.lengths() != null) {
                stepLoss[t] = validRowsLoss(lossBatch, t);
            } else if (lossSteps[t]) {
                stepLoss[t] = loss.evaluate(
                        kernels, batch, out, outputs, o, targets, t * batch, lossScale, dOut, o, rowLoss, t * batch);
            } else {
                stepLoss[t] = 0;
                kernels.fill(batch * out, 0f, dOut, o);
                java.util.Arrays.fill(rowLoss, t * batch, (t + 1) * batch, 0.0);
            }
        }
    }

    /**
     * The loss of step t's rows that carry one, evaluated in runs of consecutive sequences; the
     * other rows (padding, or no loss at this step of a shorter sequence) get no loss and no gradient.
     */
    private double validRowsLoss(Batch b, int t) {
        int o = t * batch * out;
        kernels.fill(batch * out, 0f, dOut, o);
        java.util.Arrays.fill(rowLoss, t * batch, (t + 1) * batch, 0.0);
        double sum = 0;
        int r = 0;
        while (r < batch) {
            if (!b.carriesLoss(t, r)) {
                r++;
                continue;
            }
            int end = r + 1;
            while (end < batch && b.carriesLoss(t, end)) {
                end++;
            }
            int row = t * batch + r;
            sum += loss.evaluate(
                    kernels,
                    end - r,
                    out,
                    outputs,
                    row * out,
                    b.targets(),
                    row,
                    lossScale,
                    dOut,
                    row * out,
                    rowLoss,
                    row);
            r = end;
        }
        return sum;
    }

    private void countCorrect(Batch b, int t, int o, int[] classes) {
        for (int r = 0; r < batch; r++) {
            if (!b.carriesLoss(t, r)) {
                continue;
            }
            int base = o + r * out;
            int y = classes[t * batch + r];
            float target = outputs[base + y];
            // Correct when no class scores higher (ties go to the lowest index, as an arg-max would).
            boolean correct = true;
            for (int j = 0; j < out && correct; j++) {
                float v = outputs[base + j];
                correct = v < target || (v == target && j >= y);
            }
            if (correct) {
                result.correct++;
            }
            result.lossRows++;
        }
    }

    private void backward(Batch b, Window w, boolean recordNorms) {
        int slot = batch * width;
        if (runner instanceof LayerStack.StackRunner) {
            // A stack reads only the readout's part of a row and writes its layers' parts itself: zero that part alone.
            for (int row = w.backFrom() * batch; row < (w.backTo() + 1) * batch; row++) {
                kernels.fill(hid, 0f, dStates, row * width);
            }
        } else {
            kernels.fill((w.backTo() - w.backFrom() + 1) * slot, 0f, dStates, w.backFrom() * slot);
        }
        int rows = (w.lossTo() - w.lossFrom()) * batch;
        int o = w.lossFrom() * batch * out;
        int s = (w.lossFrom() + 1) * slot;
        kernels.multAdd(rows, hid, out, dOut, o, out, vData, 0, hid, dStates, s, width);
        kernels.multAddTransA(out, hid, rows, dOut, o, out, states, s, width, gV, 0, hid);
        kernels.addColumnSums(rows, out, dOut, o, out, gC, 0);
        runner.backward(w.backFrom(), w.backTo(), b.x(), states, dStates);
        if (recordNorms) {
            for (int t = w.backFrom(); t < w.backTo(); t++) {
                for (int r = 0; r < batch; r++) {
                    int off = (t + 1) * slot + r * width;
                    hiddenGradNorms[t * batch + r] = Math.sqrt(kernels.sumOfSquares(hid, dStates, off));
                }
            }
        }
    }

    private void loadInitialState(Batch b) {
        int slot = batch * width;
        kernels.fill(slot, 0f, states, 0);
        float[] h0 = b.h0();
        if (h0 == null) {
            return;
        }
        if (h0.length == slot) {
            System.arraycopy(h0, 0, states, 0, slot);
        } else if (h0.length == batch * hid) {
            for (int r = 0; r < batch; r++) {
                System.arraycopy(h0, r * hid, states, r * width, hid);
            }
        } else {
            throw new IllegalArgumentException("the initial state has " + h0.length + " floats, expected B·H = "
                    + batch * hid + (width != hid ? " or B·S = " + slot + " (the cell's whole state)" : ""));
        }
    }

    /** Sizes the buffers for this batch's shape; allocates only when the shape changes. */
    private void prepare(Batch b) {
        zeroPadding(b);
        if (b.inputSize() != in) {
            throw new IllegalArgumentException(
                    "the batch has input size " + b.inputSize() + " but the model expects " + in);
        }
        if (b.targets().isClasses() != loss.wantsClassTargets()) {
            throw new IllegalArgumentException("loss " + loss.describe() + " needs "
                    + (loss.wantsClassTargets() ? "class" : "vector") + " targets");
        }
        if (!b.targets().isClasses() && b.targets().width() != out) {
            throw new IllegalArgumentException(
                    "targets have width " + b.targets().width() + " but the output size is " + out);
        }
        if (b.batch() == batch && b.steps() == steps) {
            return;
        }
        batch = b.batch();
        steps = b.steps();
        long stateFloats = (long) (steps + 1) * batch * width;
        states = new float[Math.toIntExact(stateFloats)];
        dStates = new float[Math.toIntExact(stateFloats)];
        outputs = new float[Math.toIntExact((long) steps * batch * out)];
        dOut = new float[outputs.length];
        rowLoss = new double[steps * batch];
        stepLoss = new double[steps];
        hiddenGradNorms = new double[steps * batch];
        windows = truncation.windows(steps);
        runner = model.cell()
                .bind(new CellContext(in, model.hiddenSize(), batch, steps, model.params(), grads, kernels));
    }

    /**
     * Zeroes the inputs of padded steps (t ≥ L_b), so that the states, outputs and gradients of
     * padding are the same whatever the padding held: with no loss there, the backward pass
     * then adds exact zeros at valid steps, and a NaN in the padding cannot reach them.
     */
    private void zeroPadding(Batch b) {
        int[] lengths = b.lengths();
        if (lengths == null) {
            return;
        }
        int n = b.batch();
        int t1 = b.steps();
        int i = b.inputSize();
        for (int r = 0; r < n; r++) {
            int len = lengths[r];
            if (len < 1 || len > t1) {
                throw new IllegalArgumentException(
                        "sequence " + r + " of the batch has length " + len + ", expected 1 to T = " + t1);
            }
            for (int t = len; t < t1; t++) {
                java.util.Arrays.fill(b.x(), (t * n + r) * i, (t * n + r + 1) * i, 0f);
            }
        }
    }

    /**
     * Copies the state after the last step of the last forward pass — B rows of the cell's
     * whole state (S floats: h, then whatever else the cell keeps) — into {@code dst}. Stateful
     * training hands it to the next chunk of the streams as its initial state ({@link Batch#h0}),
     * so the recurrence runs on across batches while memory stays bounded by one chunk.
     *
     * @throws IllegalStateException before any forward pass
     * @throws IllegalArgumentException when dst does not have B·S floats
     */
    public void copyFinalState(float[] dst) {
        if (states == null) {
            throw new IllegalStateException("no forward pass has run yet");
        }
        int slot = batch * width;
        if (dst.length != slot) {
            throw new IllegalArgumentException("the state has " + dst.length + " floats, expected B·S = " + slot);
        }
        System.arraycopy(states, steps * slot, dst, 0, slot);
    }

    /** States of the last forward pass: T+1 slots of B×S, slot t+1 after step t (live). */
    public float[] states() {
        if (runner instanceof LayerStack.StackRunner s) {
            s.completeStates(); // a stack copies its layers' states in only when they are asked for
        }
        return states;
    }
    /**
     * dL/ds_t of the last {@link #gradients} call: T+1 slots of B×S, slot t+1 holding the total
     * derivative with respect to the state after step t (live; see {@link org.bptt.api.cell.CellRunner#backward}).
     */
    public float[] stateGradients() {
        if (runner instanceof LayerStack.StackRunner s) {
            s.completeStateGradients();
        }
        return dStates;
    }
    /** Readout o_t of the last loss evaluation, T·B rows of O (live). */
    public float[] outputs() {
        return outputs;
    }
    /** Unscaled per-(step, sequence) losses, index t·B + b, 0 where a step carries no loss (live). */
    public double[] rowLosses() {
        return rowLoss;
    }
    /** ‖dL/dh_t‖ per (step, sequence), index t·B + b, from the last {@link #gradients} call (live). */
    public double[] hiddenGradNorms() {
        return hiddenGradNorms;
    }
    /** The last iteration's result. */
    public StepResult lastResult() {
        return result;
    }
}
