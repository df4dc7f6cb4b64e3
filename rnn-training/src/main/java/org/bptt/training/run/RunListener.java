package org.bptt.training.run;

import org.bptt.training.IterationMetrics;

/**
 * Told what a {@link TrainingRun} does, on the training thread. Front ends show progress, write
 * reports or stop a run through it. Every method has a do-nothing default.
 */
public interface RunListener {

    /** Training is about to start (or resume) at {@code run.startIteration()}. */
    default void started(TrainingRun run) {}

    /** One iteration is done. */
    default void iteration(TrainingRun run, IterationMetrics metrics) {}

    /** A checkpoint, with the metrics and history it covers, is on disk. */
    default void checkpointed(TrainingRun run, long iteration) {}

    /** The run ended (finished, interrupted or diverged); its last checkpoint is on disk. */
    default void finished(TrainingRun run, RunSummary summary) {}

    /** Polled before each iteration: true stops the run after a checkpoint (Ctrl-C, say). */
    default boolean stopRequested() {
        return false;
    }
}
