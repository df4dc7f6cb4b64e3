package org.bptt.api.data;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * How a task's held-out sequences are judged, and where the rule comes from: a sequence is
 * correct when every output at a loss step is right (the arg-max is the target class, or, for
 * vector targets, every component is within {@code tolerance} of its target); a run succeeds
 * when at least {@code requiredFraction} of the held-out sequences are correct.
 *
 * @param tolerance        for vector targets, the largest absolute error a correct output may
 *                         have; NaN for class targets (arg-max) or when there is no rule
 * @param requiredFraction the fraction of held-out sequences that must be correct for a run to
 *                         succeed, in (0, 1]; NaN when there is no rule
 * @param source           who uses this rule, e.g. "Hochreiter &amp; Schmidhuber 1997, section 5.4"
 */
public record SuccessCriterion(double tolerance, double requiredFraction, String source) {
    /** No rule: the task reports its loss, and success is undecided. */
    public static final SuccessCriterion NONE = new SuccessCriterion(Double.NaN, Double.NaN, "");

    public SuccessCriterion {
        requireNonNull(source, "source is null");
        if (!Double.isNaN(requiredFraction) && !(requiredFraction > 0 && requiredFraction <= 1)) {
            throw new IllegalArgumentException("requiredFraction must be in (0, 1], got " + requiredFraction);
        }
        if (!Double.isNaN(tolerance) && !(tolerance > 0)) {
            throw new IllegalArgumentException("tolerance must be positive or NaN, got " + tolerance);
        }
    }

    /** Class targets: a sequence is correct when the arg-max output is the target at every loss step. */
    public static SuccessCriterion argMax(double requiredFraction, String source) {
        return new SuccessCriterion(Double.NaN, requiredFraction, source);
    }

    /** Vector targets: a sequence is correct when every output at every loss step is within {@code tolerance}. */
    public static SuccessCriterion absoluteError(double tolerance, double requiredFraction, String source) {
        return new SuccessCriterion(tolerance, requiredFraction, source);
    }

    /** Whether there is a rule at all. */
    public boolean defined() {
        return !Double.isNaN(requiredFraction);
    }

    /** The same per-sequence rule with another fraction of sequences required (a study's own threshold). */
    public SuccessCriterion requiring(double fraction, String why) {
        return new SuccessCriterion(tolerance, fraction, why);
    }

    /** The rule in words, e.g. "a sequence is correct when |output − target| &lt; 0.04 at every loss step; ...". */
    public String describe() {
        if (!defined()) {
            return "no success criterion";
        }
        String seq = Double.isNaN(tolerance)
                ? "the arg-max output is the target at every loss step"
                : String.format(Locale.ROOT, "|output - target| < %s at every loss step", trim(tolerance));
        String run = requiredFraction == 1
                ? "every held-out sequence is correct"
                : String.format(
                        Locale.ROOT, "at least %s%% of held-out sequences are correct", trim(100 * requiredFraction));
        return "a sequence is correct when " + seq + "; a run succeeds when " + run
                + (source.isEmpty() ? "" : " (" + source + ")");
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.6f", v);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }
}
