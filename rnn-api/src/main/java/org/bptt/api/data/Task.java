package org.bptt.api.data;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A source of training batches generated in-process from a seed (no downloads): the adding
 * problem, temporal order, copy memory, a character language model…
 *
 * <p>Lifecycle: created by its {@link TaskFactory} once per run; {@link #newBatch} allocates
 * a batch once, then {@link #fill} refills it in place every iteration (it must not
 * allocate). Not thread-safe.
 */
public interface Task {

    /** Input size I. */
    int inputSize();

    /** Output size O (number of classes for a classification task). */
    int outputSize();

    /** Sequence length T. */
    int steps();

    /** {@code ce} (class targets) or {@code mse} (vector targets): the loss this task is meant for. */
    String defaultLoss();

    /** Allocates a batch of {@code batchSize} sequences with this task's shapes and loss steps. */
    Batch newBatch(int batchSize);

    /** Refills {@code batch} (inputs, targets, loss steps) with fresh sequences drawn from {@code random}. */
    void fill(Batch batch, RandomGenerator random);

    /**
     * Refills {@code batch} for training iteration {@code iteration} of a run seeded {@code seed};
     * {@code random} is that iteration's generator, itself a pure function of the two. A task over
     * a fixed data set overrides this to go through its data in epochs (each sequence once per
     * epoch, in an order drawn from the seed), which it can only do knowing where in the run it is;
     * a pure function of its arguments, so that a resumed run sees the same batches.
     *
     * @implSpec The default calls {@link #fill(Batch, RandomGenerator)}: a generated task draws afresh.
     */
    default void fill(Batch batch, RandomGenerator random, long seed, long iteration) {
        fill(batch, random);
    }

    /**
     * The loss a predictor that ignores its input scores (e.g. 0.167 MSE for the adding
     * problem when always predicting 1), so that a report can say whether anything was learned;
     * NaN when there is no meaningful baseline.
     */
    default double baselineLoss() {
        return Double.NaN;
    }

    /**
     * The loss per loss step of the best predictor that ignores the long-lag input (the part of the
     * sequence the task is about remembering) and uses everything else: for the adding problem,
     * knowing the second marked value but not the first, ½·Var(u₁) = 1/24, half the baseline. A run
     * has learned only when it is well below this (a model that ignores the long-lag input reaches
     * it by chance half the time); NaN when there is no baseline.
     *
     * @implSpec The default is {@link #baselineLoss()}: without a separate long-lag input, ignoring
     *     it is ignoring the input.
     */
    default double memorylessLoss() {
        return baselineLoss();
    }

    /**
     * For character-level tasks, the symbol of each class index (input and output), so that
     * a trained model can be sampled as text.
     *
     * @implSpec The default is an empty list: not a symbol task.
     */
    default List<String> vocabulary() {
        return List.of();
    }

    /**
     * Refills {@code batch} with held-out sequences, for evaluation: sequences training never
     * sees. The caller passes a generator that training never uses.
     *
     * @implSpec The default calls {@link #fill}: a generated task draws every sequence afresh,
     *     so sequences drawn from a generator training never uses are held out. A task over a
     *     fixed data set (a text) overrides this to draw from a part it keeps out of
     *     {@link #fill}, and says whether it has one in {@link #hasHeldOut}.
     */
    default void fillHeldOut(Batch batch, RandomGenerator random) {
        fill(batch, random);
    }

    /**
     * Refills {@code batch} with the held-out sequences {@code first}, {@code first + 1}, … of a
     * fixed held-out set of {@link #heldOutSequences} sequences, so that an evaluation can see
     * every one once; columns past the last sequence repeat earlier ones and are not counted.
     *
     * @implSpec The default calls {@link #fillHeldOut(Batch, RandomGenerator)}: a task without a
     *     fixed held-out set draws its sequences.
     * @since 0.2.0
     */
    default void fillHeldOut(Batch batch, long first, RandomGenerator random) {
        fillHeldOut(batch, random);
    }

    /**
     * How many distinct held-out sequences there are, or -1 when they are drawn without end
     * (a generated task, windows of a text).
     *
     * @implSpec The default is -1.
     * @since 0.2.0
     */
    default long heldOutSequences() {
        return -1;
    }

    /**
     * Whether {@link #fillHeldOut} has sequences to give.
     *
     * @implSpec The default is true: a generated task has as many as anyone asks for.
     */
    default boolean hasHeldOut() {
        return true;
    }

    /**
     * How a held-out sequence counts as correct and a run as successful, with the source of the
     * rule (for example Hochreiter &amp; Schmidhuber 1997 count an adding-problem sequence correct
     * when its absolute error is below 0.04).
     *
     * @implSpec The default is {@link SuccessCriterion#NONE}: the task reports its loss and
     *     accuracy, and success is undecided.
     */
    default SuccessCriterion successCriterion() {
        return SuccessCriterion.NONE;
    }

    /**
     * The longest lag the task asks a model to bridge: the most steps between an input a target
     * depends on and the step that target is read at (99 for the adding problem with T = 100: the
     * first marker may sit at step 0 and is read at step 99). A report sets it beside how far back
     * a truncated backward pass reaches, which is why a truncation shorter than it cannot learn the task.
     *
     * @implSpec The default is -1: unknown.
     * @since 0.2.0
     */
    default int longestLag() {
        return -1;
    }

    /** One line for reports and progress: {@code adding(T=100)}. */
    String describe();

    /**
     * Whether this task's data can be trained as B long streams cut into consecutive chunks
     * (stateful training, {@link #fillChunk}), as min-char-rnn and Keras' {@code stateful=True}
     * train a text: the state at the end of one chunk is the initial state of the next, so a
     * stream of any length trains in memory bounded by the chunk.
     *
     * @implSpec The default is false: the task only draws independent sequences ({@link #fill}).
     */
    default boolean canStream() {
        return false;
    }

    /**
     * Steps in each of {@code batchSize} streams, one pass over the data (a step is an input
     * with its target); or -1 when this task has no streams.
     *
     * @implSpec The default is -1.
     */
    default long streamSteps(int batchSize) {
        return -1;
    }

    /**
     * Refills {@code batch} (from {@link #newBatch}) with chunk number {@code chunk} of B
     * streams, T = {@code batch.steps()}: sequence b of the batch is stream b's steps
     * [c·T, (c + 1)·T), c = {@code chunk} modulo the chunks in one pass (whole chunks only; a
     * pass's leftover steps are not trained). Consecutive chunk numbers are consecutive pieces of
     * each stream. A pure function of {@code chunk}, so that a resumed run continues the stream
     * exactly. Must not allocate, and leaves the batch's initial state ({@link Batch#h0}) alone:
     * the trainer owns it.
     *
     * @return true when the chunk continues chunk − 1 (the state carries over), false when it
     *     starts the streams from their beginning (a new pass: the state starts at zero)
     * @throws UnsupportedOperationException when {@link #canStream} is false
     * @throws org.bptt.api.plugin.ConfigurationException when the data do not hold
     *     {@code batch.batch()} streams of at least T steps
     * @implSpec The default throws {@link UnsupportedOperationException}.
     */
    default boolean fillChunk(Batch batch, long chunk) {
        throw new UnsupportedOperationException(describe() + " cannot be trained as streams");
    }

    /**
     * Steps in the held-out stream: the held-out data once, in order, each step an input with the
     * next symbol as its target (a held-out text of n characters has n − 1), so that an evaluation
     * can carry the state through all of it, as a character model's bits per character are
     * usually measured; or -1 when this task has no held-out stream.
     *
     * @implSpec The default is -1.
     */
    default long heldOutStreamSteps() {
        return -1;
    }

    /**
     * Refills {@code batch} (from {@link #newBatch}) with pieces of the held-out stream: sequence b
     * of the batch holds stream steps [{@code starts[b]}, {@code starts[b]} + T), T =
     * {@code batch.steps()}; steps at or past {@link #heldOutStreamSteps()} are padding (zero
     * inputs, target class 0) that the caller does not count. Must not allocate, and leaves the
     * batch's initial state alone: the caller carries it from one piece to the next.
     *
     * @throws UnsupportedOperationException when {@link #heldOutStreamSteps()} is -1
     * @implSpec The default throws {@link UnsupportedOperationException}.
     */
    default void fillHeldOutStream(Batch batch, long[] starts) {
        throw new UnsupportedOperationException(describe() + " has no held-out stream");
    }
}
