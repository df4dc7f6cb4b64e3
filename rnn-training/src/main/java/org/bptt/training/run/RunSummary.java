package org.bptt.training.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.bptt.training.FitResult;
import org.bptt.training.FitResult.Outcome;
import org.bptt.training.IterationMetrics;
import org.bptt.training.Network;
import org.bptt.training.diag.BackpropReach;
import org.bptt.training.diag.GradientFlowSnapshot;
import org.bptt.training.diag.GradientFlowVerdict;
import org.bptt.training.diag.NetworkFlow;
import org.bptt.training.diag.Spectral;

/**
 * The numbers a person wants at the end of a run (or so far), and the one rule that says whether
 * the run learned ({@link #learning(double, double, double)}): the final loss under half the loss of
 * a model that ignores the long-lag input ({@link org.bptt.api.data.Task#memorylessLoss()}) is
 * "learned", under 90% of the baseline "partly learned" (within 10% of the baseline is noise around
 * it), otherwise "not learned". The final loss is one figure, computed
 * here and printed the same everywhere (terminal, report, dashboard): the last held-out loss
 * when the run evaluated on held-out data, else the mean training loss of the last iterations
 * (the last 10%, at most 50) that had a finite loss.
 *
 * @param iterations    iterations reached
 * @param asked         iterations the run was asked for
 * @param firstLoss     the loss of the first iteration
 * @param finalLoss     the final figure (see above); NaN when no finite loss was recorded
 * @param finalAccuracy the mean accuracy over the same iterations, NaN for regression
 * @param baseline      the task's baseline loss in the run's loss units, NaN when none
 * @param clipRate      the fraction of iterations whose update the policy clipped
 * @param skipped       updates skipped for non-finite values
 * @param seconds       wall time of this session of the run
 * @param folder        where the run lives
 * @param outcome       finished, interrupted or diverged; null while the run is still training
 * @param message       for a divergence, what happened; otherwise empty
 * @param finalSource   what the final figure is, in words ("mean training loss of the last 50 iterations")
 * @param flow          the gradient-flow verdict at the end, or null when none was measured
 * @param jacobianNorms the Jacobian products ‖∂h_T/∂s_k‖ the verdict was measured on, one row per
 *                      sample sequence; empty when they were not measured (copied in and out)
 * @param heldOut       the held-out evaluation of the final state, or null when there is none
 * @param symbolsPerLoss for a character model, the characters one unit of the loss covers (T for a
 *                      loss summed over a sequence), so that it can be given per character; 0 otherwise
 * @param memoryless    the loss of a model that ignores the long-lag input, in the run's loss units; NaN
 *                      when unknown (then the baseline stands in for it)
 * @param reach         how far back training's backward passes reach beside the task's longest lag, or
 *                      null when unknown
 */
public record RunSummary(
        long iterations,
        long asked,
        double firstLoss,
        double finalLoss,
        double finalAccuracy,
        double baseline,
        double clipRate,
        long skipped,
        double seconds,
        Path folder,
        Outcome outcome,
        String message,
        String finalSource,
        GradientFlowVerdict flow,
        double[][] jacobianNorms,
        Evaluation heldOut,
        int symbolsPerLoss,
        double memoryless,
        BackpropReach reach) {

    /** Most iterations the final training loss is averaged over. */
    public static final int FINAL_WINDOW = 50;
    /** Measuring the Jacobian products costs about samples·T·H²·S flops; above this, the recorded ‖∂L/∂h_k‖ decides alone. */
    static final double MEASURE_BUDGET = 2e9;

    public RunSummary {
        message = message == null ? "" : message;
        finalSource = finalSource == null ? "" : finalSource;
        jacobianNorms = copy(jacobianNorms == null ? new double[0][] : jacobianNorms);
    }

    @Override
    public double[][] jacobianNorms() {
        return copy(jacobianNorms);
    }

    private static double[][] copy(double[][] a) {
        return java.util.Arrays.stream(a).map(double[]::clone).toArray(double[][]::new);
    }

    /** A summary without a final-figure description or flow verdict (kept for callers of the first version). */
    public RunSummary(
            long iterations,
            long asked,
            double firstLoss,
            double finalLoss,
            double finalAccuracy,
            double baseline,
            double clipRate,
            long skipped,
            double seconds,
            Path folder,
            Outcome outcome,
            String message) {
        this(
                iterations,
                asked,
                firstLoss,
                finalLoss,
                finalAccuracy,
                baseline,
                clipRate,
                skipped,
                seconds,
                folder,
                outcome,
                message,
                "",
                null,
                null,
                null,
                0,
                Double.NaN,
                null);
    }

    /** This summary with {@code r} as its reach. */
    public RunSummary withReach(BackpropReach r) {
        return new RunSummary(
                iterations,
                asked,
                firstLoss,
                finalLoss,
                finalAccuracy,
                baseline,
                clipRate,
                skipped,
                seconds,
                folder,
                outcome,
                message,
                finalSource,
                flow,
                jacobianNorms,
                heldOut,
                symbolsPerLoss,
                memoryless,
                r);
    }

    /** How far the run got by the one rule. */
    public enum Learning {
        LEARNED("learned: under half the loss of %s"),
        PARTLY("partly learned: below the baseline, not under half the loss of %s"),
        NOT_YET("not learned: no better than the baseline"),
        NO_BASELINE("");

        /** What "learned" is measured against when the task has a long-lag input apart from the rest. */
        private static final String IGNORING_LONG_LAG = "a model that ignores the long-lag input";

        private final String words;

        Learning(String words) {
            this.words = words;
        }

        /** The judgement in words, empty without a baseline, for a task with a separate long-lag input. */
        public String words() {
            return words(true);
        }

        /**
         * The judgement in words; {@code longLag}: the task's memoryless loss is apart from its baseline
         * (the adding problem), else "learned" is measured against the baseline itself (a text).
         */
        public String words(boolean longLag) {
            return words.replace("%s", against(longLag));
        }

        /** What "learned" is measured against: half its loss is the bound. */
        public static String against(boolean longLag) {
            return longLag ? IGNORING_LONG_LAG : "the baseline";
        }

        /** Whether a memoryless loss is apart from the baseline, as {@link #learning} takes them. */
        public static boolean longLag(double baseline, double memoryless) {
            return Double.isFinite(memoryless) && memoryless > 0 && memoryless != baseline;
        }
    }

    /** Under this fraction of the baseline a run has partly learned. */
    public static final double PARTLY_BELOW = 0.9;
    /**
     * Under this fraction of the memoryless loss a run has learned. A model that ignores the long-lag
     * input scatters around the memoryless loss (for the adding problem exactly half the baseline),
     * so the bound must sit well below it.
     */
    public static final double LEARNED_BELOW = 0.5;

    /**
     * The one rule for "learned", used by train, the report, the dashboard, evaluate, sweeps and
     * experiments: loss under half the memoryless loss learned; under 90% of the baseline partly; else
     * not. All three in the same units; a NaN memoryless loss is taken as the baseline.
     */
    public static Learning learning(double loss, double baseline, double memoryless) {
        if (Double.isNaN(baseline) || baseline <= 0) {
            return Learning.NO_BASELINE;
        }
        double blind = Double.isNaN(memoryless) || memoryless <= 0 ? baseline : memoryless;
        if (loss < LEARNED_BELOW * blind) {
            return Learning.LEARNED;
        }
        return loss < PARTLY_BELOW * baseline ? Learning.PARTLY : Learning.NOT_YET;
    }

    public Learning learning() {
        return learning(finalLoss, baseline, memoryless);
    }

    /** What this run's "learned" is measured against, in words ({@link Learning#against}). */
    public String learnedAgainst() {
        return Learning.against(Learning.longLag(baseline, memoryless));
    }

    /** Whether the run learned by the one rule (with no baseline, undecided: false). */
    public boolean learned() {
        return learning() == Learning.LEARNED;
    }

    /** Whether the run is still training (a summary so far). */
    public boolean inProgress() {
        return outcome == null;
    }

    // ---------------------------------------------------------------- computing it

    /** The summary of a run that ended with {@code result}. */
    public static RunSummary of(TrainingRun run, FitResult result) {
        return of(run, result.to(), result.outcome(), result.message(), result.seconds());
    }

    /** The summary of a run so far, while it trains (for reports refreshed at checkpoints). */
    public static RunSummary soFar(TrainingRun run) {
        return of(run, run.network().iteration(), null, "", Double.NaN);
    }

    private static RunSummary of(TrainingRun run, long reached, Outcome outcome, String message, double seconds) {
        Measured m = measure(run);
        return of(
                        run.history().metrics(),
                        run.history().evaluations(),
                        reached,
                        run.config().iterations(),
                        run.baseline(),
                        seconds,
                        run.folder(),
                        outcome,
                        message,
                        m.verdict,
                        m.norms,
                        run.symbolsPerLoss(),
                        run.memoryless())
                .withReach(run.network().backpropReach(run.task()));
    }

    /**
     * The one computation of a summary's figures from what a run recorded.
     *
     * @param metrics       every iteration's metrics, in order
     * @param evaluations   held-out evaluations, in order (may be empty)
     * @param reached       iterations reached
     * @param asked         iterations asked for
     * @param baseline      the task's baseline in the run's loss units, NaN for none
     * @param seconds       wall time, NaN when unknown
     * @param folder        the run's folder, or null
     * @param outcome       how the run ended, null while it trains
     * @param message       for a divergence, what happened
     * @param flow          the gradient-flow verdict, or null
     * @param jacobianNorms the Jacobian products it was measured on, or empty
     * @param symbolsPerLoss for a character model, the characters one unit of the loss covers; 0 otherwise
     */
    public static RunSummary of(
            List<IterationMetrics> metrics,
            List<Evaluation> evaluations,
            long reached,
            long asked,
            double baseline,
            double seconds,
            Path folder,
            Outcome outcome,
            String message,
            GradientFlowVerdict flow,
            double[][] jacobianNorms,
            int symbolsPerLoss) {
        return of(
                metrics,
                evaluations,
                reached,
                asked,
                baseline,
                seconds,
                folder,
                outcome,
                message,
                flow,
                jacobianNorms,
                symbolsPerLoss,
                Double.NaN);
    }

    /** As the method above, with the memoryless loss in the run's loss units (NaN: the baseline stands in). */
    public static RunSummary of(
            List<IterationMetrics> metrics,
            List<Evaluation> evaluations,
            long reached,
            long asked,
            double baseline,
            double seconds,
            Path folder,
            Outcome outcome,
            String message,
            GradientFlowVerdict flow,
            double[][] jacobianNorms,
            int symbolsPerLoss,
            double memoryless) {
        FinalFigure last = finalFigure(metrics);
        double finalLoss = last.loss;
        String source = last.source;
        Evaluation held = Evaluation.lastWithLoss(evaluations);
        if (held != null) {
            String key = held.lossKey();
            finalLoss = held.get(key);
            source = "held-out " + key.replace('_', ' ') + " at iteration " + held.iteration();
        }
        // The held-out evaluation of the state reached, when the run made one there.
        Evaluation latest = evaluations.isEmpty() ? null : evaluations.get(evaluations.size() - 1);
        Evaluation heldOut = latest != null && latest.iteration() == reached ? latest : null;
        long clipped = metrics.stream().filter(IterationMetrics::clipped).count();
        long skipped = metrics.stream().filter(IterationMetrics::skipped).count();
        double first = metrics.stream()
                .filter(x -> !x.skipped() && Double.isFinite(x.loss()))
                .mapToDouble(IterationMetrics::loss)
                .findFirst()
                .orElse(Double.NaN);
        return new RunSummary(
                reached,
                asked,
                first,
                finalLoss,
                last.accuracy,
                baseline,
                metrics.isEmpty() ? 0 : (double) clipped / metrics.size(),
                skipped,
                seconds,
                folder,
                outcome,
                message,
                source,
                flow,
                jacobianNorms,
                heldOut,
                symbolsPerLoss,
                memoryless,
                null);
    }

    private record FinalFigure(double loss, double accuracy, String source) {}

    /** The final training loss by the rule of {@link #finalFigure}, whatever was held out; NaN when no loss was finite. */
    public static double finalTrainingLoss(List<IterationMetrics> metrics) {
        return finalFigure(metrics).loss;
    }

    /** The mean training loss (and accuracy) of the last 10% of the iterations, at most 50, that had a finite loss. */
    static FinalFigure finalFigure(List<IterationMetrics> ms) {
        List<IterationMetrics> finite = ms.stream()
                .filter(m -> !m.skipped() && Double.isFinite(m.loss()))
                .toList();
        int n = finite.size();
        if (n == 0) {
            return new FinalFigure(Double.NaN, Double.NaN, "no finite training loss was recorded");
        }
        int window = Math.max(1, Math.min(FINAL_WINDOW, n / 10));
        double loss = 0;
        double acc = 0;
        for (IterationMetrics m : finite.subList(n - window, n)) {
            loss += m.loss() / window;
            acc += m.accuracy() / window;
        }
        String source = window == 1
                ? "training loss of iteration " + finite.get(n - 1).iteration()
                : "mean training loss of the last " + window + " iterations";
        return new FinalFigure(loss, acc, source);
    }

    private record Measured(GradientFlowVerdict verdict, double[][] norms) {}

    /**
     * The gradient flow of the run's network now: its gain over T on held-out sequences decides
     * when it is affordable, else the last recorded ‖∂L/∂h_k‖; the first and last recorded
     * ‖∂L/∂h_k‖ are shown beside.
     */
    private static Measured measure(TrainingRun run) {
        List<GradientFlowSnapshot> flow = run.history().flow();
        Network net = run.network();
        double cost = (double) NetworkFlow.SEQUENCES
                * run.task().steps()
                * net.model().hiddenSize()
                * net.model().hiddenSize()
                * net.model().stateWidth();
        if (cost <= MEASURE_BUDGET) {
            try {
                NetworkFlow f = NetworkFlow.measure(net, run.task());
                return new Measured(f.verdict(recordedFits(flow)), f.norms());
            } catch (RuntimeException e) {
                // Weights that are not finite (updates skipped too late): the recorded flow still says something.
            }
        }
        Spectral s = net.spectral();
        return new Measured(
                recordedVerdict(
                        flow,
                        s == null ? Double.NaN : s.radius(),
                        s == null ? Double.NaN : s.norm(),
                        net.model().recurrentMatrix().isPresent()),
                new double[0][]);
    }

    /**
     * What the recorded ‖∂L/∂h_k‖ is: one full-BPTT backward pass over a training batch, whatever the
     * truncation (what training itself back-propagated is {@link History#trainedFlow()}).
     */
    public static final String FULL_BPTT_FLOW = "‖∂L/∂h_k‖ (full BPTT, measured)";

    /** Fits of the first and the last recorded ‖∂L/∂h_k‖, in that order. */
    public static List<GradientFlowVerdict.Fit> recordedFits(List<GradientFlowSnapshot> flow) {
        List<GradientFlowVerdict.Fit> fits = new ArrayList<>();
        if (!flow.isEmpty()) {
            GradientFlowSnapshot a = flow.get(0);
            fits.add(
                    GradientFlowVerdict.Fit.of(FULL_BPTT_FLOW + " at iteration " + a.iteration(), a.hiddenGradNorms()));
            GradientFlowSnapshot b = flow.get(flow.size() - 1);
            if (b != a) {
                fits.add(GradientFlowVerdict.Fit.of(
                        FULL_BPTT_FLOW + " at iteration " + b.iteration(), b.hiddenGradNorms()));
            }
        }
        return fits;
    }

    /**
     * The verdict of the recorded ‖∂L/∂h_k‖ alone, when nothing else was measured: the gain of
     * the last snapshot decides (one batch-summed curve, so no interval), the fits of the last and
     * first explain. Null with no snapshot.
     */
    public static GradientFlowVerdict recordedVerdict(
            List<GradientFlowSnapshot> flow, double radius, double norm, boolean singleW) {
        List<GradientFlowVerdict.Fit> fits = new ArrayList<>(recordedFits(flow));
        if (fits.isEmpty()) {
            return null;
        }
        Collections.reverse(fits);
        GradientFlowSnapshot last = flow.get(flow.size() - 1);
        GradientFlowVerdict.Gain gain = GradientFlowVerdict.Gain.recorded(
                "‖∂L/∂h_0‖ / ‖∂L/∂h_T‖ (full BPTT, measured) at iteration " + last.iteration(), last.hiddenGradNorms());
        return GradientFlowVerdict.of(gain, fits, null, radius, norm, singleW, null);
    }

    // ---------------------------------------------------------------- saying it

    /** What happened, the final figure against the baseline, then the gradient flow: what {@code train} prints. */
    public String text() {
        return text(0);
    }

    /** {@link #text()} of a session that resumed the run at iteration {@code from}: the iterations and time are this session's. */
    public String text(long from) {
        StringBuilder s = new StringBuilder(headline(from));
        for (String more : List.of(flowText(), reachText())) {
            if (!more.isEmpty()) {
                s.append(System.lineSeparator()).append(more);
            }
        }
        return s.toString();
    }

    /** What happened and the final figure against the baseline, in one sentence. */
    public String headline() {
        return headline(0);
    }

    /** {@link #headline()} of a session that resumed the run at iteration {@code from}. */
    public String headline(long from) {
        StringBuilder s = new StringBuilder();
        String verb = outcome == null
                ? "so far"
                : switch (outcome) {
                    case FINISHED -> "trained";
                    case INTERRUPTED -> "interrupted after";
                    case DIVERGED -> "diverged after";
                };
        if (outcome == null) {
            s.append(String.format(
                    Locale.ROOT,
                    "at iteration %d of %d; loss %s -> %s",
                    iterations,
                    asked,
                    loss(firstLoss),
                    loss(finalLoss)));
        } else {
            // The time is this session's: after a resume, so is the count it goes with.
            long trained = iterations - Math.max(0, Math.min(from, iterations));
            s.append(String.format(
                    Locale.ROOT,
                    "%s %d iteration%s%s%s: loss %s -> %s",
                    verb,
                    trained,
                    trained == 1 ? "" : "s",
                    trained == iterations ? "" : " (from " + (iterations - trained) + " to " + iterations + ")",
                    Double.isNaN(seconds) ? "" : String.format(Locale.ROOT, " in %.1f s", seconds),
                    loss(firstLoss),
                    loss(finalLoss)));
        }
        List<String> about = new ArrayList<>();
        if (!finalSource.isEmpty()) {
            about.add(finalSource);
        }
        if (symbolsPerLoss > 0 && Double.isFinite(finalLoss)) {
            about.add(perCharacter(finalLoss / symbolsPerLoss));
        }
        if (!about.isEmpty()) {
            s.append(" (").append(String.join("; ", about)).append(')');
        }
        if (!Double.isNaN(finalAccuracy)) {
            s.append(String.format(Locale.ROOT, ", accuracy %.1f%%", 100 * finalAccuracy));
        }
        if (heldOut != null) {
            s.append("; held-out ").append(heldOutText());
        }
        if (learning() != Learning.NO_BASELINE && Double.isFinite(finalLoss)) {
            s.append("; baseline ")
                    .append(loss(baseline))
                    .append(": ")
                    .append(learning().words(Learning.longLag(baseline, memoryless)));
        }
        s.append(String.format(Locale.ROOT, "; clipped %.0f%% of updates", 100 * clipRate));
        if (skipped > 0) {
            s.append("; skipped ").append(skipped).append(" non-finite update").append(skipped == 1 ? "" : "s");
        }
        if (!message.isEmpty()) {
            s.append("; ").append(message);
        }
        s.append('.');
        return s.toString();
    }

    /** The gradient-flow verdict in one paragraph, empty when none was measured. */
    public String flowText() {
        return flow == null ? "" : "Gradient flow " + (outcome == null ? "now" : "at the end") + ": " + flow.sentence();
    }

    /** For a truncated run, "Truncation: the gradient reaches back at most 15 steps (…); …."; empty otherwise. */
    public String reachText() {
        return reach == null || reach.sentence().isEmpty() ? "" : "Truncation: " + reach.sentence() + ".";
    }

    /** The held-out figures in words: how many sequences, then whatever the task measures beside the loss. */
    private String heldOutText() {
        java.util.List<String> parts = new java.util.ArrayList<>();
        if (heldOut.has("mse")) {
            parts.add("MSE " + loss(heldOut.get("mse")));
        }
        if (heldOut.has("accuracy")) {
            parts.add(String.format(Locale.ROOT, "accuracy %.1f%%", 100 * heldOut.get("accuracy")));
        }
        if (heldOut.has("correct")) {
            parts.add(correctText(
                            heldOut.get("correct"), heldOut.has("sequences") ? (long) heldOut.get("sequences") : 0)
                    + (heldOut.has("success") ? heldOut.get("success") == 1 ? " (solved)" : " (not solved)" : ""));
        }
        if (heldOut.has("stream_bits_per_char")) {
            long segments = Math.round(heldOut.get("stream_segments"));
            double error = heldOut.get("stream_bits_per_char_se");
            parts.add(String.format(
                    Locale.ROOT,
                    "streamed %.3f bits per character%s%s",
                    heldOut.get("stream_bits_per_char"),
                    Double.isFinite(error) ? String.format(Locale.ROOT, " ± %.3f", error) : "",
                    segments == 1 ? "" : " over " + segments + " segments"));
        }
        String n = heldOut.has("sequences")
                ? String.format(Locale.ROOT, "(%.0f sequences) ", heldOut.get("sequences"))
                : "";
        return n + String.join(", ", parts);
    }

    /** "97.0% of sequences correct (95% interval 95.7 … 97.9%)": the fraction with its Wilson interval. */
    public static String correctText(double fraction, long sequences) {
        String s = String.format(Locale.ROOT, "%.1f%% of sequences correct", 100 * fraction);
        if (sequences <= 0) {
            return s;
        }
        org.bptt.training.diag.Interval w =
                org.bptt.training.diag.Interval.wilson(Math.round(fraction * sequences), sequences);
        return s + String.format(Locale.ROOT, " (95%% interval %.1f … %.1f%%)", 100 * w.low(), 100 * w.high());
    }

    /** A loss per character in nats, bits and perplexity. */
    static String perCharacter(double nats) {
        return String.format(
                Locale.ROOT,
                "%.3f nats = %.3f bits per character, perplexity %.2f",
                nats,
                nats / Math.log(2),
                Math.exp(nats));
    }

    /** How every loss is printed: four significant digits, in scientific notation when huge or tiny. */
    public static String loss(double v) {
        if (!Double.isFinite(v)) {
            return Double.isNaN(v) ? "n/a" : Double.toString(v);
        }
        double a = Math.abs(v);
        return a != 0 && (a >= 1e5 || a < 1e-4)
                ? String.format(Locale.ROOT, "%.3e", v)
                : String.format(Locale.ROOT, "%.4g", v);
    }
}
