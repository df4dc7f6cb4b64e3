package org.bptt.study;

/**
 * Told what {@link Trials#run} does, on the run's own thread. Every method has a do-nothing
 * default.
 */
public interface TrialListener {
    TrialListener NONE = new TrialListener() {};

    /** Training starts (or resumes) at {@code from} of {@code total} iterations. */
    default void started(PlanEntry entry, long from, long total) {}

    /** Iteration {@code done} of {@code total} is trained. */
    default void progressed(PlanEntry entry, long done, long total) {}

    /**
     * A checkpoint at {@code iteration} is saved in the run folder, with the metrics, diagnostics,
     * report and training time it covers: the folder is consistent now, until the next iteration,
     * so an engine that keeps run folders elsewhere may copy it from here to resume from there.
     */
    default void checkpointed(PlanEntry entry, long iteration) {}

    /** Polled before each iteration: true stops the run after a checkpoint, to be resumed later. */
    default boolean stopRequested() {
        return false;
    }
}
