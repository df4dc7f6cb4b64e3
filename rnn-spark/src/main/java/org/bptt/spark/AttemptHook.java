package org.bptt.spark;

import java.io.Serializable;
import org.bptt.study.PlanEntry;

/**
 * Told, inside a Spark task, what one attempt at a run does; for tests and fault drills, which
 * make an attempt fail at a chosen point (an exception thrown here fails the attempt as any
 * error of the run would). Serializable: it travels with the task and is deserialized afresh for
 * every attempt, so its fields belong to one attempt. Called on the task's thread. Every method
 * has a do-nothing default.
 */
public interface AttemptHook extends Serializable {
    AttemptHook NONE = new AttemptHook() {
        private static final long serialVersionUID = 1L;
    };

    /**
     * Attempt {@code attempt} (0 for the first) of {@code entry} starts training at iteration
     * {@code from}: 0 from scratch, else resumed from the checkpoint there.
     */
    default void started(PlanEntry entry, int attempt, long from) {}

    /** The checkpoint at {@code iteration} is saved and copied to shared storage. */
    default void checkpointed(PlanEntry entry, int attempt, long iteration) {}
}
