package org.bptt.training.run;

import java.nio.file.Path;
import java.util.Locale;

import org.bptt.training.FitResult.Outcome;

/**
 * The numbers a person wants at the end of a run.
 *
 * @param iterations    iterations reached
 * @param asked         iterations the run was asked for
 * @param firstLoss     the loss of the first iteration
 * @param finalLoss     the mean loss of the last iterations (the last 10%, at most 50)
 * @param finalAccuracy the mean accuracy over the same iterations, NaN for regression
 * @param baseline      the task's baseline loss in the run's loss units, NaN when none
 * @param clipRate      the fraction of iterations whose update the policy clipped
 * @param skipped       updates skipped for non-finite values
 * @param seconds       wall time of this session of the run
 * @param folder        where the run lives
 * @param outcome       finished, interrupted or diverged
 * @param message       for a divergence, what happened; otherwise empty
 */
public record RunSummary(long iterations, long asked, double firstLoss, double finalLoss, double finalAccuracy,
                         double baseline, double clipRate, long skipped, double seconds, Path folder, Outcome outcome,
                         String message) {

    /** Whether the final loss is under half the baseline (or, with no baseline, undecided: false). */
    public boolean learned() {
        return !Double.isNaN(baseline) && finalLoss < 0.5 * baseline;
    }

    /** One paragraph. */
    public String text() {
        StringBuilder s = new StringBuilder();
        String verb = switch (outcome) {
            case FINISHED -> "trained";
            case INTERRUPTED -> "interrupted after";
            case DIVERGED -> "diverged after";
        };
        s.append(String.format(Locale.ROOT, "%s %d iterations in %.1f s: loss %s -> %s", verb, iterations, seconds,
                Numbers.loss(firstLoss), Numbers.loss(finalLoss)));
        if (!Double.isNaN(finalAccuracy)) {
            s.append(String.format(Locale.ROOT, ", accuracy %.1f%%", 100 * finalAccuracy));
        }
        if (!Double.isNaN(baseline)) {
            s.append(String.format(Locale.ROOT, " (baseline %s: %s)", Numbers.loss(baseline),
                    learned() ? "learned" : finalLoss < baseline ? "partly learned" : "not learned yet"));
        }
        s.append(String.format(Locale.ROOT, "; clipped %.0f%% of updates", 100 * clipRate));
        if (skipped > 0) {
            s.append("; skipped ").append(skipped).append(" non-finite updates");
        }
        if (!message.isEmpty()) {
            s.append("; ").append(message);
        }
        return s.toString();
    }

    /** How losses are printed: four significant digits, in scientific notation when huge or tiny. */
    static final class Numbers {
        private Numbers() {}

        static String loss(double v) {
            if (!Double.isFinite(v)) {
                return Double.toString(v);
            }
            double a = Math.abs(v);
            return a != 0 && (a >= 1e5 || a < 1e-4) ? String.format(Locale.ROOT, "%.3e", v) : String.format(Locale.ROOT, "%.4g", v);
        }
    }
}
