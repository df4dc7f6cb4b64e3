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
 * @param heldOut       the held-out evaluation of the final state, or null when there is none
 * @param symbolsPerLoss for a character model, the characters one unit of the loss covers (T for a
 *                      loss summed over a sequence), so that it can be given per character; 0 otherwise
 */
public record RunSummary(long iterations, long asked, double firstLoss, double finalLoss, double finalAccuracy,
                         double baseline, double clipRate, long skipped, double seconds, Path folder, Outcome outcome,
                         String message, Evaluation heldOut, int symbolsPerLoss) {

    /** A summary without a held-out evaluation, of a task that is not a character model. */
    public RunSummary(long iterations, long asked, double firstLoss, double finalLoss, double finalAccuracy, double baseline,
                      double clipRate, long skipped, double seconds, Path folder, Outcome outcome, String message) {
        this(iterations, asked, firstLoss, finalLoss, finalAccuracy, baseline, clipRate, skipped, seconds, folder, outcome,
                message, null, 0);
    }

    /** The loss the verdict is about: the held-out loss when there is one, else the mean of the last training batches. */
    public double judgedLoss() {
        return heldOut != null && Double.isFinite(heldOut.get("loss")) ? heldOut.get("loss") : finalLoss;
    }

    /** Whether the judged loss is under half the baseline (or, with no baseline, undecided: false). */
    public boolean learned() {
        return !Double.isNaN(baseline) && judgedLoss() < 0.5 * baseline;
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
        if (symbolsPerLoss > 0 && Double.isFinite(finalLoss)) {
            s.append(" (").append(perCharacter(finalLoss / symbolsPerLoss)).append(')');
        }
        if (!Double.isNaN(finalAccuracy)) {
            s.append(String.format(Locale.ROOT, ", accuracy %.1f%%", 100 * finalAccuracy));
        }
        if (heldOut != null) {
            s.append("; held-out ").append(heldOutText());
        }
        if (!Double.isNaN(baseline)) {
            double judged = judgedLoss();
            s.append(String.format(Locale.ROOT, " (baseline %s: %s)", Numbers.loss(baseline),
                    learned() ? "learned" : judged < baseline ? "partly learned" : "not learned yet"));
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

    /** The held-out figures in words: how many sequences, the loss, then whatever the task measures. */
    private String heldOutText() {
        StringBuilder s = new StringBuilder();
        if (heldOut.has("sequences")) {
            s.append(String.format(Locale.ROOT, "(%.0f sequences) ", heldOut.get("sequences")));
        }
        s.append("loss ").append(Numbers.loss(heldOut.get("loss")));
        if (heldOut.has("bits_per_char")) {
            s.append(" (").append(perCharacter(heldOut.get("nats_per_char"))).append(')');
        }
        if (heldOut.has("mse")) {
            s.append(", MSE ").append(Numbers.loss(heldOut.get("mse")));
        }
        if (heldOut.has("accuracy")) {
            s.append(String.format(Locale.ROOT, ", accuracy %.1f%%", 100 * heldOut.get("accuracy")));
        }
        if (heldOut.has("correct")) {
            s.append(String.format(Locale.ROOT, ", %.1f%% of sequences correct", 100 * heldOut.get("correct")));
            if (heldOut.has("success")) {
                s.append(heldOut.get("success") == 1 ? " (solved)" : " (not solved)");
            }
        }
        return s.toString();
    }

    /** A loss per character in nats, bits and perplexity. */
    private static String perCharacter(double nats) {
        return String.format(Locale.ROOT, "%.3f nats = %.3f bits per character, perplexity %.2f", nats, nats / Math.log(2),
                Math.exp(nats));
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
