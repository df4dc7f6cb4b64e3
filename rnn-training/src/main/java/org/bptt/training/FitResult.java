package org.bptt.training;

/**
 * How a {@link Network#fit} call ended.
 *
 * @param from    the first iteration it trained
 * @param to      the iteration it reached (exclusive): the model has been updated by iterations [0, to)
 * @param outcome finished, interrupted or diverged
 * @param message for a divergence, one sentence saying where and what to try; otherwise empty
 * @param seconds wall time of the fit
 */
public record FitResult(long from, long to, Outcome outcome, String message, double seconds) {

    /** How training ended. */
    public enum Outcome {
        /** Every iteration asked for was trained. */
        FINISHED,
        /** Stopped early on request (Ctrl-C, say); the state reached was saved when checkpoints are on. */
        INTERRUPTED,
        /** A loss or gradient became NaN or infinite with {@link NonFinitePolicy#STOP}; the last good state was kept. */
        DIVERGED
    }
}
