package org.bptt.cli.train;

import java.time.Duration;
import java.util.Optional;

/**
 * The time left, estimated only once it means something: the rate is measured from the first
 * iteration seen in this session (not from the start, which includes loading and the JIT's
 * first compilations), and no estimate is given before {@value #MIN_ITERATIONS} iterations and
 * {@value #MIN_FRACTION_PERCENT}% of this session's iterations have been timed. An early
 * estimate of 80,000 s for a run of two minutes was the first iteration's warm-up extrapolated.
 */
final class Eta {
    static final int MIN_ITERATIONS = 5;
    static final int MIN_FRACTION_PERCENT = 5;

    private final long total;
    private final long needed;
    private long firstDone = -1;
    private long firstNanos;
    private long lastDone;
    private long lastNanos;

    /** For a session that trains from iteration {@code from} to {@code total}. */
    Eta(long from, long total) {
        this.total = total;
        this.needed = Math.max(MIN_ITERATIONS, (total - from) * MIN_FRACTION_PERCENT / 100);
    }

    /** Records that {@code done} iterations are done at {@code nanos} (System.nanoTime()). */
    synchronized void at(long done, long nanos) {
        if (firstDone < 0) {
            firstDone = done;
            firstNanos = nanos;
        }
        lastDone = done;
        lastNanos = nanos;
    }

    /** The time left, or empty while too few iterations have been timed. */
    synchronized Optional<Duration> left() {
        long timed = lastDone - firstDone;
        if (firstDone < 0 || timed < needed) {
            return Optional.empty();
        }
        double perIteration = (double) (lastNanos - firstNanos) / timed;
        return Optional.of(Duration.ofNanos((long) (perIteration * (total - lastDone))));
    }

    /** " ETA 42s", or nothing while there is no meaningful estimate. */
    String text() {
        return left().map(d -> " ETA " + Math.round(d.toMillis() / 1000.0) + "s")
                .orElse("");
    }
}
