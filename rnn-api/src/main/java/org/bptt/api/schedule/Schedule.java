package org.bptt.api.schedule;

import org.bptt.api.plugin.Stateful;

/**
 * A learning-rate schedule: the factor the optimizer's own learning rate is multiplied by at
 * each iteration (warm-up, steps, a cosine, a plateau's reductions).
 *
 * <p>Lifecycle, in call order: created once per run; then, before every update,
 * {@link #factor} with the 0-based iteration the update belongs to (several updates of one
 * iteration, as under online TBPTT, see the same factor); {@link #observe} whenever the run
 * measures its held-out metric. Its state (a plateau's best metric, say) is saved in checkpoints
 * through {@link Stateful}, so a resumed run equals an uninterrupted one. Not thread-safe.
 */
public interface Schedule extends Stateful {

    /** The factor on the learning rate for the updates of {@code iteration} (0-based), finite and ≥ 0. */
    double factor(long iteration);

    /**
     * The held-out metric (lower is better: a loss) measured after {@code iteration} iterations.
     *
     * @implSpec The default ignores it: the schedule depends on the iteration alone.
     */
    default void observe(long iteration, double metric) {}

    /** For reports: {@code cosine(period=1000, min=0, warmup=100)}. */
    String describe();
}
