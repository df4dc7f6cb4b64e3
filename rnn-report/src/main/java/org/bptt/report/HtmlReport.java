package org.bptt.report;

import static org.bptt.report.Page.esc;
import static org.bptt.report.Page.figure;
import static org.bptt.report.Page.head;
import static org.bptt.report.Page.tail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bptt.training.FitResult.Outcome;
import org.bptt.training.IterationMetrics;
import org.bptt.training.diag.GradientFlowVerdict;
import org.bptt.training.run.RunSummary;

/**
 * Writes the training report (and the {@code analyze} report) as one self-contained HTML file: inline CSS, charts
 * inlined as SVG, no scripts and no external references, so it opens the same offline, attached to a mail or
 * archived with the run.
 *
 * <p>Files are written atomically: either the previous file stays or the complete new report replaces it.
 */
public final class HtmlReport {

    /** Size of the line charts and the heatmap, in SVG user units (the page scales them down to fit). */
    public static final int WIDTH = 900;
    /** Height of the line charts. */
    public static final int HEIGHT = 400;
    /** Height of the gradient-flow heatmap. */
    public static final int HEATMAP_HEIGHT = 460;
    /** Side of the (square) eigenvalue chart. */
    public static final int EIGEN_SIZE = 560;

    /**
     * The number of charts in the training report of a cell with a single W with measured Jacobian
     * products, no held-out evaluations, a policy that clips by norm (the default) and full BPTT (a
     * truncated run adds the flow training back-propagated): loss, gradient norm, clipping, ρ(W),
     * gradient flow, Jacobian products, eigenvalues.
     */
    public static final int TRAINING_CHARTS = 7;
    /** The number of charts in an analysis report of a cell with a single W. */
    public static final int ANALYSIS_CHARTS = 2;

    private HtmlReport() {}

    /**
     * Writes the training report for {@code data} to {@code file}, atomically.
     *
     * @throws IOException naming the file and the reason when it cannot be written; the file is then unchanged and
     *                     no temp file is left behind
     */
    public static void write(Path file, ReportData data) throws IOException {
        String html = render(data); // render fully before touching the disk: a failing chart writes nothing
        AtomicWrite.write(file, "report", out -> out.write(html.getBytes(StandardCharsets.UTF_8)));
    }

    /** Writes the {@code analyze} report (eigenvalues and Jacobian-product norms), atomically, like {@link #write}. */
    public static void writeAnalysis(Path file, AnalysisData data) throws IOException {
        String html = renderAnalysis(data);
        AtomicWrite.write(file, "analysis report", out -> out.write(html.getBytes(StandardCharsets.UTF_8)));
    }

    /** The training report as an HTML string. */
    public static String render(ReportData d) {
        StringBuilder b = new StringBuilder(1 << 18);
        head(b, d.title(), Page.Width.READING);
        RunSummary sum = d.summary();
        Charts.EndMark end = endMark(sum);
        if (sum.outcome() == Outcome.DIVERGED) {
            b.append("<p class=\"alert\">")
                    .append(esc("This run diverged at iteration " + sum.iterations()
                            + (sum.message().isEmpty() ? "" : ": " + sum.message())
                            + ". The charts show it up to there (red line); "
                            + "the last good state is in the checkpoint."))
                    .append("</p>\n");
        } else if (sum.outcome() == Outcome.INTERRUPTED) {
            b.append("<p class=\"alert\">")
                    .append(esc("This run was interrupted at iteration " + sum.iterations() + " of " + sum.asked()
                            + " (red line); its checkpoint continues it."))
                    .append("</p>\n");
        } else if (sum.inProgress()) {
            b.append("<p class=\"note\">")
                    .append(esc("In progress: this report is rewritten at every checkpoint and at the end."))
                    .append("</p>\n");
        }
        if (sum.folder() != null && java.nio.file.Files.isDirectory(sum.folder())) {
            // A page outlives its writer: a running record is true of when the page was written, and says so.
            var outcome = org.bptt.training.run.RunOutcome.read(sum.folder());
            String o = (outcome.ended() ? "Outcome: " : "Outcome when this page was written: ") + outcome.sentence();
            b.append("<p class=\"note outcome\">")
                    .append(esc(o.endsWith(".") ? o : o + "."))
                    .append("</p>\n");
        }
        b.append("<p class=\"verdict\">")
                .append(esc(capitalise(sum.headline())))
                .append("</p>\n");
        String flow = flowText(d);
        if (!flow.isEmpty()) {
            b.append("<p class=\"verdict flow\">").append(esc(flow)).append("</p>\n");
        }
        if (!sum.reachText().isEmpty()) {
            b.append("<p class=\"verdict reach\">").append(esc(sum.reachText())).append("</p>\n");
        }
        String facts = facts(d);
        if (!facts.isEmpty()) {
            b.append("<p class=\"facts\">").append(esc(facts)).append("</p>\n");
        }
        configuration(b, d.configuration());
        figure(
                b,
                Charts.toSvg(LossChart.of(d.metrics(), d.baselineLoss(), d.evaluations(), end), WIDTH, HEIGHT),
                "Training loss per iteration (faint: raw; solid: smoothed over about 1% of the run). It should fall well "
                        + "below the dashed baseline (what a trivial predictor scores); the run counts as learned when its "
                        + "final loss is under half the loss of " + d.summary().learnedAgainst()
                        + ". Held-out evaluations, when the run has them, are the red points.");
        var evals = EvaluationChart.of(d.evaluations(), end);
        if (evals != null) {
            figure(
                    b,
                    Charts.toSvg(evals, WIDTH, HEIGHT),
                    "Metrics of the held-out evaluations over training (" + Charts.scaleWords(evals)
                            + "; fractions of sequences on the right-hand axis when there are any).");
        }
        var norms = GradientNormChart.of(d.metrics(), d.clipThreshold(), end);
        figure(
                b,
                Charts.toSvg(norms, WIDTH, HEIGHT),
                "Global gradient norm before clipping (" + Charts.scaleWords(norms)
                        + "; faint: raw, solid: smoothed). Steady growth or spikes "
                        + "by orders of magnitude are exploding gradients; triangles mark clipped iterations (when clipping "
                        + "is common, a red line gives the share of clipped updates instead), crosses skipped updates.");
        if (Double.isFinite(d.clipThreshold()) || d.metrics().stream().anyMatch(IterationMetrics::clipped)) {
            var clipping = ClippingChart.of(d.metrics(), d.clipThreshold(), end);
            figure(
                    b,
                    Charts.toSvg(clipping, WIDTH, HEIGHT + HEIGHT / 3),
                    ClippingChart.caption(
                            clipping, d.clipThreshold(), d.metrics().size()));
        }
        if (d.singleW()) {
            figure(
                    b,
                    Charts.toSvg(SpectralChart.of(d.metrics(), end), WIDTH, HEIGHT),
                    "Spectral radius ρ(W) = max |λ| and spectral norm of the recurrent matrix W, each measured before "
                            + "its iteration's update (the first point is the initial W). ρ(W) > 1 is necessary for gradients "
                            + "to grow through time, not sufficient: saturated or switched-off units shrink each step's "
                            + "Jacobian. The measured flow below decides.");
        } else {
            b.append("<p class=\"note\">")
                    .append(esc(LayerCharts.anyRadius(d.layers()) ? PER_LAYER_W : NO_W))
                    .append("</p>\n");
        }
        String scale =
                "on a fixed colour scale (the same for every run): white is as much as at the last step, blue towards "
                        + "k = 0 is vanishing (−8 is a hundred-millionth), red is exploding, black an overflow."
                        + perStepLossCaveat(sum);
        if (d.showsTrainedFlow()) {
            var reach = sum.reach();
            figure(
                    b,
                    Charts.toSvg(
                            TruncationMarks.mark(
                                    GradientFlowChart.of(
                                            d.trainedFlow(),
                                            "Gradient training back-propagated (" + reach.truncation()
                                                    + "): ‖∂L/∂h_k‖ relative to the last step"),
                                    reach),
                            WIDTH,
                            HEATMAP_HEIGHT),
                    "The gradient training itself back-propagated to each time step k, summed over the truncation's "
                            + reach.windows().size()
                            + " backward passes (dashed lines: where each pass ends), one row per "
                            + "snapshot. No pass goes back more than " + reach.horizon()
                            + " steps: left of the bold horizon "
                            + "line the last pass sends nothing, and steps that no pass reaches get exactly 0 (the darkest "
                            + "blue, here truncation, not vanishing)"
                            + (reach.longestLag() >= 0
                                    ? "; the red line is where the task's longest dependency (" + reach.longestLag()
                                            + " steps) begins"
                                    : "")
                            + ". Colours " + scale);
        }
        figure(
                b,
                Charts.toSvg(
                        GradientFlowChart.of(
                                d.flow(),
                                d.showsTrainedFlow()
                                        ? "Gradient flow of full BPTT, measured: ‖∂L/∂h_k‖ relative to the last step"
                                        : GradientFlowChart.TITLE),
                        WIDTH,
                        HEATMAP_HEIGHT),
                (d.showsTrainedFlow()
                                ? "Full BPTT, measured: what one backward pass through all the steps would carry "
                                        + "(training truncated it; see above). "
                                : "")
                        + "How much gradient reaches each time step k relative to the last step, one row per snapshot, "
                        + scale);
        for (LayerCharts.Figure f : LayerCharts.figures(d.layers(), end, WIDTH, HEIGHT)) {
            figure(b, f.svg(), f.caption());
        }
        double[][] j = d.jacobianNorms();
        if (j.length > 0) {
            figure(
                    b,
                    JacobianNormsChart.svg(j, WIDTH, HEIGHT),
                    "Jacobian products ‖∂h_T/∂s_k‖ of the network " + (sum.inProgress() ? "now" : "at the end")
                            + ", measured through the cell's own backward pass on sample sequences (log scale): how strongly "
                            + "the last state depends on step k. The verdict above is decided by the gain at k = 0 (over held-out "
                            + "sequences, with its interval); the fitted factor per step (dashed line) explains it, and where the curves bend "
                            + "away from that line (a U shape) one factor does not describe them.");
        }
        if (d.singleW()) {
            figure(
                    b,
                    EigenvalueChart.svg(d.spectrumStart(), d.spectrumEnd(), EIGEN_SIZE, EIGEN_SIZE),
                    "Eigenvalues of W before training and now against the unit circle. Outside the circle: directions "
                            + "that W expands; well inside: directions it contracts.");
        }
        tail(b);
        return b.toString();
    }

    /**
     * For a task with a loss at several steps, why red on the heatmap need not be explosion: ‖∂L/∂h_k‖
     * sums every later loss's gradient. Empty for a task with one loss step or an unknown one.
     */
    static String perStepLossCaveat(RunSummary sum) {
        var reach = sum.reach();
        if (reach == null || !reach.lossesAddUp()) {
            return "";
        }
        return " But this task has a loss at " + reach.lossSteps() + " of its " + reach.steps()
                + " steps: ‖∂L/∂h_k‖ sums "
                + "the gradients of every loss at step k or later, so it grows towards k = 0 by adding terms even where "
                + "nothing explodes. Red here is not explosion by itself; the Jacobian products decide.";
    }

    /** Why a report or analysis of a cell without a single W shows no ρ(W). */
    static final String NO_W =
            "No spectral radius and no eigenvalue chart: this cell has no single square recurrent matrix W "
                    + "(a gated cell's recurrent weights are a stack of gate blocks, and how much of a gradient survives a step depends "
                    + "on its gates), so ρ(W) says nothing here. The gradient flow is measured instead: ‖∂L/∂h_k‖ of full BPTT "
                    + "(heatmap) and the Jacobian products through the cell's own backward pass.";

    /** Why a stacked or bidirectional network's report shows ρ(W) per layer rather than one. */
    static final String PER_LAYER_W =
            "This network has a recurrent matrix per layer and direction, not one W: ρ(W) of each "
                    + "layer whose cell has a single square W is in the per-layer chart below.";

    private static Charts.EndMark endMark(RunSummary s) {
        if (s.outcome() == Outcome.DIVERGED) {
            return new Charts.EndMark(s.iterations(), "diverged at iteration " + s.iterations());
        }
        if (s.outcome() == Outcome.INTERRUPTED) {
            return new Charts.EndMark(s.iterations(), "interrupted at iteration " + s.iterations());
        }
        return null;
    }

    /** The gradient-flow verdict: the summary's, or from the recorded snapshots when nothing else was measured. */
    static String flowText(ReportData d) {
        if (d.summary().flow() != null) {
            return d.summary().flowText();
        }
        double rho = d.spectrumEnd() == null ? Double.NaN : d.spectrumEnd().spectralRadius();
        GradientFlowVerdict v = RunSummary.recordedVerdict(d.flow(), rho, Double.NaN, d.singleW());
        return v == null ? "" : "Gradient flow: " + v.sentence();
    }

    /**
     * The facts beside the verdict, e.g. "ρ(W) went from 1.5 to 0.97; the gradient norm exceeded
     * the threshold 1 in 34% of iterations (340 of 1000)".
     */
    static String facts(ReportData d) {
        List<String> parts = new ArrayList<>();
        List<IterationMetrics> ms = d.metrics();
        if (d.singleW()) {
            double rho0 = d.spectrumStart() != null ? d.spectrumStart().spectralRadius() : firstFinite(ms, true);
            double rho1 = d.spectrumEnd() != null ? d.spectrumEnd().spectralRadius() : firstFinite(ms, false);
            if (Double.isFinite(rho0) && Double.isFinite(rho1)) {
                parts.add("ρ(W) went from " + Numbers.fmt(rho0) + " to " + Numbers.fmt(rho1));
            }
        }
        if (!ms.isEmpty()) {
            if (Double.isFinite(d.clipThreshold())) {
                long over = ms.stream()
                        .filter(m -> !(m.gradNormBefore() <= d.clipThreshold()))
                        .count();
                parts.add("the gradient norm exceeded the threshold " + Numbers.fmt(d.clipThreshold()) + " in "
                        + Numbers.percent(over, ms.size()) + " of iterations (" + over + " of " + ms.size() + ")");
            } else {
                double[] g = ms.stream()
                        .mapToDouble(IterationMetrics::gradNormBefore)
                        .toArray();
                double[] r = Charts.finiteRange(g, false);
                if (r != null) {
                    parts.add("the gradient norm ranged from " + Numbers.fmt(r[0]) + " to " + Numbers.fmt(r[1])
                            + " (no clipping)");
                }
            }
        }
        return parts.isEmpty() ? "" : capitalise(String.join("; ", parts)) + ".";
    }

    /** The analysis report as an HTML string. */
    public static String renderAnalysis(AnalysisData d) {
        StringBuilder b = new StringBuilder(1 << 16);
        head(b, d.title(), Page.Width.READING);
        b.append("<p class=\"verdict\">")
                .append(esc(capitalise(d.verdict().sentence())))
                .append("</p>\n");
        if (!d.notes().isBlank()) {
            b.append("<p class=\"facts\">").append(esc(d.notes().strip())).append("</p>\n");
        }
        configuration(b, d.configuration());
        figure(
                b,
                JacobianNormsChart.svg(d.jacobianNorms(), WIDTH, HEIGHT),
                "‖∂h_T/∂s_k‖ per sample sequence (log scale), measured through the cell's own backward pass: how strongly "
                        + "the last state depends on step k. Falling towards k = 0 is vanishing, rising is exploding; the "
                        + "gain at k = 0 over every measured sequence, with its interval, decides the verdict; the dashed line is the fitted "
                        + "factor per step, which explains it only where the curves follow it.");
        if (d.spectrum() != null) {
            figure(
                    b,
                    Charts.toSvg(EigenvalueChart.of(d.spectrum()), EIGEN_SIZE, EIGEN_SIZE),
                    "Eigenvalues of W against the unit circle. Outside it W expands some directions; but the gradient "
                            + "also passes the activation's slope at every step, so the measured products above decide.");
        } else {
            b.append("<p class=\"note\">").append(esc(NO_W)).append("</p>\n");
        }
        tail(b);
        return b.toString();
    }

    // ---------------------------------------------------------------- pieces

    private static double firstFinite(List<IterationMetrics> ms, boolean first) {
        double v = Double.NaN;
        for (IterationMetrics m : ms) {
            if (Double.isFinite(m.spectralRadius())) {
                v = m.spectralRadius();
                if (first) {
                    break;
                }
            }
        }
        return v;
    }

    /** The first letter in upper case when it is a Latin one (ρ stays ρ: Ρ is another symbol). */
    private static String capitalise(String s) {
        return s.isEmpty() || s.charAt(0) < 'a' || s.charAt(0) > 'z'
                ? s
                : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static void configuration(StringBuilder b, Map<String, String> config) {
        if (config.isEmpty()) {
            return;
        }
        b.append("<h2>Configuration</h2>\n<table class=\"config\">\n<tbody>\n");
        config.forEach((k, v) -> b.append("<tr><th scope=\"row\">")
                .append(esc(k))
                .append("</th><td>")
                .append(esc(v))
                .append("</td></tr>\n"));
        b.append("</tbody>\n</table>\n");
    }
}
