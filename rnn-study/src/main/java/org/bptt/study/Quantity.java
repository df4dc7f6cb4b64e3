package org.bptt.study;

import java.util.Locale;

/**
 * The range a charted quantity can take, so that an interval around a mean never claims what the
 * quantity cannot be: a loss below 0, a rate above 1.
 */
public enum Quantity {
    /** Losses, squared errors, bits per character: never below 0. */
    LOSS(0, Double.POSITIVE_INFINITY),
    /** Fractions of sequences or of runs (accuracy, correct, success): within [0, 1]. */
    RATE(0, 1),
    /** Anything else: unbounded. */
    ANY(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);

    private final double lowest;
    private final double highest;

    Quantity(double lowest, double highest) {
        this.lowest = lowest;
        this.highest = highest;
    }

    public double lowest() {
        return lowest;
    }

    public double highest() {
        return highest;
    }

    /** {@code v} moved into the range; NaN stays NaN. */
    public double clip(double v) {
        return Double.isNaN(v) ? v : Math.max(lowest, Math.min(highest, v));
    }

    /** The kind of a held-out metric or figure by its name ({@code correct}, {@code heldout_loss}, {@code bits_per_char}). */
    public static Quantity of(String metric) {
        String m = metric.toLowerCase(Locale.ROOT);
        if (m.contains("correct")
                || m.contains("accuracy")
                || m.contains("success")
                || m.contains("succeeded")
                || m.contains("rate")
                || m.contains("fraction")) {
            return RATE;
        }
        if (m.contains("loss") || m.contains("mse") || m.contains("bits") || m.contains("error")) {
            return LOSS;
        }
        return ANY;
    }
}
