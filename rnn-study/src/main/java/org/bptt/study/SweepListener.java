package org.bptt.study;

/**
 * Told what {@link LocalSweep} does. {@link #started} and {@link #done} come from the calling
 * thread; the rest from the runs' threads, concurrently. Every method has a do-nothing default.
 */
public interface SweepListener extends TrialListener {
    SweepListener NONE = new SweepListener() {};

    /**
     * The sweep (or its shard) begins.
     *
     * @param runs        the runs of this shard
     * @param alreadyDone how many of them had finished in an earlier session
     * @param iterations  the iterations of all of them, done or not
     */
    default void started(int runs, int alreadyDone, long iterations) {}

    /** A run ended with a row (finished, diverged or failed). */
    default void finished(PlanEntry entry, SummaryRow row) {}

    /** Every run of the shard has ended or been stopped. */
    default void done() {}
}
