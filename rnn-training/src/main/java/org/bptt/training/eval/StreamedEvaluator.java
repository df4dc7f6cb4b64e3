package org.bptt.training.eval;

import java.util.Arrays;
import org.bptt.api.data.Batch;
import org.bptt.api.data.Task;
import org.bptt.training.BpttTrainer;
import org.bptt.training.LayerStack;
import org.bptt.training.Network;

/**
 * The held-out stream measured as character models usually are: the held-out data once, in
 * order, the state carried from a zero state through all of it, the loss of every step
 * (predicting the next symbol) averaged over the steps. With {@code segments} S &gt; 1 the
 * stream is cut into S consecutive segments of ⌊N/S⌋ or ⌈N/S⌉ steps carried side by side as one
 * batch, each from its own zero state: the same sum of losses but for the steps after each
 * restart, whose state has not seen the text before them; S = 1 is the usual measure exactly.
 *
 * <p>The standard error comes from blocks of {@link #BLOCK_STEPS} consecutive steps (their mean
 * losses as samples; the last, shorter block is left out of it): how much the figure would move
 * on another text of the same length, since the stream itself has no sampling noise.
 *
 * <p>Runs the trainer's batched forward pass on a network of its own (the evaluated parameters
 * are copied into it), one piece of T = the task's steps at a time; allocates only on the first
 * call or when S or the stream length changes. Not thread-safe.
 */
public final class StreamedEvaluator {
    /** Steps per block of the standard error. */
    public static final int BLOCK_STEPS = 1000;

    /** What one streamed measurement found. */
    public record Result(double natsPerStep, double natsPerStepError, long steps, int segments, double totalNats) {
        public double bitsPerStep() {
            return natsPerStep / Math.log(2);
        }

        public double bitsPerStepError() {
            return natsPerStepError / Math.log(2);
        }
    }

    private final int segments;
    private Network scratch;
    private Batch batch;
    private float[] state;
    private long[] cursor;
    private long[] ends;
    private double[] blockSums;

    /** @param segments S, at least 1; a stream of fewer steps is cut into as many segments as it has steps */
    public StreamedEvaluator(int segments) {
        if (segments < 1) {
            throw new IllegalArgumentException("segments must be at least 1, got " + segments);
        }
        this.segments = segments;
    }

    /** Whether {@code network} can be measured on {@code task}'s held-out stream (a bidirectional one reads ahead). */
    public static boolean applies(Network network, Task task) {
        return task.heldOutStreamSteps() > 0
                && !(network.model().cell() instanceof LayerStack s
                        && s.layers().bidirectional());
    }

    /** The loss over the held-out stream of {@code task}; {@code network} is not modified. */
    public Result measure(Network network, Task task) {
        long n = task.heldOutStreamSteps();
        if (!applies(network, task)) {
            throw new IllegalArgumentException(
                    "the task " + task.describe() + " has no held-out stream for this network");
        }
        int s = (int) Math.min(segments, n);
        if (scratch == null) {
            // Not stateful: the scratch network only runs forward, and carries the state here.
            scratch = Network.create(
                    network.config().toBuilder().stateful(false).threads(1).build(), task, network.plugins());
        }
        scratch.model().params().copyFrom(network.model().params());
        BpttTrainer trainer = scratch.trainer();
        int width = scratch.model().stateWidth();
        if (batch == null || batch.batch() != s) {
            Batch b = task.newBatch(s);
            state = new float[s * width];
            batch = new Batch(b.batch(), b.steps(), b.inputSize(), b.x(), b.targets(), b.lossSteps(), state, null);
            cursor = new long[s];
            ends = new long[s];
        }
        int blocks = (int) ((n + BLOCK_STEPS - 1) / BLOCK_STEPS);
        if (blockSums == null || blockSums.length != blocks) {
            blockSums = new double[blocks];
        }
        Arrays.fill(blockSums, 0);
        Arrays.fill(state, 0f);
        long longest = 0;
        for (int b = 0; b < s; b++) {
            cursor[b] = b * n / s;
            ends[b] = (b + 1) * n / s;
            longest = Math.max(longest, ends[b] - cursor[b]);
        }
        int steps = batch.steps();
        double total = 0;
        for (long done = 0; done < longest; done += steps) {
            task.fillHeldOutStream(batch, cursor);
            trainer.forward(batch);
            double[] rowLoss = trainer.rowLosses();
            for (int b = 0; b < s; b++) {
                int valid = (int) Math.min(steps, ends[b] - cursor[b]);
                for (int t = 0; t < valid; t++) {
                    double l = rowLoss[t * s + b];
                    total += l;
                    blockSums[(int) ((cursor[b] + t) / BLOCK_STEPS)] += l;
                }
                cursor[b] += steps;
            }
            trainer.copyFinalState(state);
        }
        return new Result(total / n, blockError(n), n, s, total);
    }

    /** The standard error of the mean loss per step from the whole blocks' means; NaN with fewer than two. */
    private double blockError(long n) {
        int whole = (int) (n / BLOCK_STEPS);
        if (whole < 2) {
            return Double.NaN;
        }
        double mean = 0;
        for (int k = 0; k < whole; k++) {
            mean += blockSums[k] / BLOCK_STEPS;
        }
        mean /= whole;
        double ss = 0;
        for (int k = 0; k < whole; k++) {
            double d = blockSums[k] / BLOCK_STEPS - mean;
            ss += d * d;
        }
        return Math.sqrt(ss / (whole - 1) / whole);
    }
}
