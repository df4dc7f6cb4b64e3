package org.bptt.training;

/** What training does when the loss or a gradient is NaN or infinite. */
public enum NonFinitePolicy {
    /** Stop with an error naming the iteration and the offending parameter. */
    STOP,
    /** Skip the update (parameters unchanged), count it, go on. */
    SKIP
}
