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
     * The loss a predictor that ignores its input scores (e.g. 0.167 MSE for the adding
     * problem when always predicting 1), so that a report can say whether anything was learned;
     * NaN when there is no meaningful baseline.
     */
    default double baselineLoss() {
        return Double.NaN;
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

    /** One line for reports and progress: {@code adding(T=100)}. */
    String describe();
}
