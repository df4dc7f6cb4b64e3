package org.bptt.report;

import org.bptt.training.run.IterationMetrics;
import org.bptt.training.diag.GradientFlowSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

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

    /** The number of charts in a training report. */
    public static final int TRAINING_CHARTS = 5;
    /** The number of charts in an analysis report. */
    public static final int ANALYSIS_CHARTS = 2;

    /** The gradient at step 0 below this fraction of the one at step T-1 is called vanishing (above the inverse, exploding). */
    static final double FLOW_RATIO = 1e-3;

    private HtmlReport() {
    }

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
        head(b, d.title());
        b.append("<p class=\"verdict\">").append(esc(verdict(d))).append("</p>\n");
        configuration(b, d.configuration());
        figure(b, Charts.lossSvg(d.metrics(), d.baselineLoss(), WIDTH, HEIGHT),
                "Loss per iteration. It should fall well below the dashed baseline (what a trivial predictor "
                        + "scores); flat at the baseline means nothing was learned, gaps mean non-finite losses.");
        figure(b, Charts.gradientNormSvg(d.metrics(), d.clipThreshold(), WIDTH, HEIGHT),
                "Global gradient norm before clipping (log scale). Steady growth or spikes by orders of magnitude "
                        + "are exploding gradients; triangles mark clipped iterations, crosses skipped updates.");
        figure(b, Charts.spectralSvg(d.metrics(), WIDTH, HEIGHT),
                "Spectral radius λ₀ = max |λ| and spectral norm of the recurrent matrix W. λ₀ > 1: products of "
                        + "Jacobians through time tend to explode; λ₀ < 1: they vanish geometrically.");
        figure(b, Charts.gradientFlowSvg(d.flow(), WIDTH, HEATMAP_HEIGHT),
                "How much gradient reaches each time step k (log₁₀ ‖∂L/∂h_k‖), one row per snapshot. Dark towards "
                        + "k = 0 is vanishing (early inputs cannot be learned), bright towards k = 0 is exploding.");
        figure(b, Charts.eigenvalueSvg(d.spectrumStart(), d.spectrumEnd(), EIGEN_SIZE, EIGEN_SIZE),
                "Eigenvalues of W before and after training against the unit circle. Outside the circle: "
                        + "directions that grow through time (explode); well inside: directions that fade (vanish).");
        tail(b);
        return b.toString();
    }

    /** The analysis report as an HTML string. */
    public static String renderAnalysis(AnalysisData d) {
        StringBuilder b = new StringBuilder(1 << 16);
        head(b, d.title());
        b.append("<p class=\"verdict\">").append(esc(analysisVerdict(d))).append("</p>\n");
        configuration(b, d.configuration());
        if (d.spectrum() != null) {
            figure(b, Charts.toSvg(Charts.eigenvalueChart(d.spectrum()), EIGEN_SIZE, EIGEN_SIZE),
                    "Eigenvalues of W against the unit circle. Outside it (λ₀ > 1) some directions grow through time "
                            + "and gradients can explode; all well inside (λ₀ < 1) and they vanish.");
        } else {
            b.append("<p class=\"note\">No eigenvalue chart: this cell has no single square recurrent matrix W (a gated "
                    + "cell's recurrent weights are a stack of gate blocks, and how much of a gradient survives a step "
                    + "depends on its gates), so ρ(W) says nothing here. The measured Jacobian products below show the "
                    + "gradient flow itself.</p>\n");
        }
        figure(b, Charts.jacobianNormsSvg(d.jacobianNorms(), WIDTH, HEIGHT),
                "‖∂h_T/∂h_k‖ per sample sequence (log scale): how strongly the last state depends on step k. "
                        + "Falling steeply towards k = 0 is vanishing, rising is exploding.");
        tail(b);
        return b.toString();
    }

    /**
     * The training verdict in one sentence (plus the caller's summary), e.g. "Spectral radius of W went from 1.23
     * to 0.97; gradient norm exceeded the threshold 1 in 34% of iterations; final loss 0.012 vs baseline 0.083:
     * learned."
     */
    public static String verdict(ReportData d) {
        List<String> parts = new ArrayList<>();
        List<IterationMetrics> ms = d.metrics();

        double rho0 = d.spectrumStart() != null ? d.spectrumStart().spectralRadius() : firstFinite(ms, true);
        double rho1 = d.spectrumEnd() != null ? d.spectrumEnd().spectralRadius() : firstFinite(ms, false);
        if (Double.isFinite(rho0) && Double.isFinite(rho1)) {
            parts.add("spectral radius of W went from " + Numbers.fmt(rho0) + " to " + Numbers.fmt(rho1)
                    + regime(rho1));
        } else if (Double.isFinite(rho0) || Double.isFinite(rho1)) {
            double r = Double.isFinite(rho1) ? rho1 : rho0;
            parts.add("spectral radius of W was " + Numbers.fmt(r) + regime(r));
        }

        if (!ms.isEmpty()) {
            if (Double.isFinite(d.clipThreshold())) {
                long over = ms.stream().filter(m -> !(m.gradNormBefore() <= d.clipThreshold())).count();
                parts.add("gradient norm exceeded the threshold " + Numbers.fmt(d.clipThreshold()) + " in "
                        + Numbers.percent(over, ms.size()) + " of iterations (" + over + " of " + ms.size() + ")");
            } else {
                double[] g = ms.stream().mapToDouble(IterationMetrics::gradNormBefore).toArray();
                double[] r = Charts.finiteRange(g, false);
                if (r != null) {
                    parts.add("gradient norm ranged from " + Numbers.fmt(r[0]) + " to " + Numbers.fmt(r[1])
                            + " (no clipping)");
                }
            }
            long skipped = ms.stream().filter(IterationMetrics::skipped).count();
            if (skipped > 0) {
                parts.add(skipped + " update" + (skipped == 1 ? " was" : "s were")
                        + " skipped for non-finite values");
            }
        }

        if (!d.flow().isEmpty()) {
            GradientFlowSnapshot last = d.flow().get(d.flow().size() - 1);
            if (last.steps() >= 2) {
                double ratio = last.norm(0) / last.norm(last.steps() - 1);
                String what = !Double.isFinite(ratio) || ratio > 1 / FLOW_RATIO ? "exploding"
                        : ratio < FLOW_RATIO ? "vanishing" : "flowing";
                parts.add("at the last snapshot the gradient reaching step 0 was " + Numbers.fmt(ratio)
                        + "× the one at step " + (last.steps() - 1) + " (" + what + ")");
            }
        }

        double finalLoss = lastFiniteLoss(ms);
        if (Double.isFinite(finalLoss)) {
            String s = "final loss " + Numbers.fmt(finalLoss);
            if (Double.isFinite(d.baselineLoss())) {
                s += " vs baseline " + Numbers.fmt(d.baselineLoss()) + ": "
                        + (finalLoss < d.baselineLoss() ? "learned" : "not learned (no better than the baseline)");
            }
            parts.add(s);
        } else if (!ms.isEmpty()) {
            parts.add("no finite loss was recorded: the run diverged");
        }

        String text = parts.isEmpty() ? "No measurements were recorded." : capitalise(String.join("; ", parts)) + ".";
        return d.summary().isBlank() ? text : text + " " + d.summary().strip();
    }

    /**
     * The analysis verdict: the spectral radius and how ||dh_T/dh_k|| changes per step (the median over sequences
     * of the geometric-mean factor), then the caller's own verdict text.
     */
    public static String analysisVerdict(AnalysisData d) {
        List<String> parts = new ArrayList<>();
        if (d.spectrum() != null && d.spectrum().size() > 0) {
            double r = d.spectrum().spectralRadius();
            parts.add("spectral radius of W is " + Numbers.fmt(r) + regime(r));
        }
        double[][] j = d.jacobianNorms();
        double[] factors = Arrays.stream(j).filter(s -> s.length >= 2)
                .mapToDouble(s -> Math.pow(s[0] / s[s.length - 1], 1.0 / (s.length - 1)))
                .filter(Double::isFinite).sorted().toArray();
        if (factors.length > 0) {
            double f = factors[factors.length / 2];
            parts.add("going back one step multiplies ‖∂h_T/∂h_k‖ by " + Numbers.fmt(f)
                    + " (median over " + factors.length + " sequence" + (factors.length == 1 ? "" : "s") + ")"
                    + (f < 0.9 ? ": vanishing" : f > 1.1 ? ": exploding" : ": roughly preserved"));
        }
        String text = parts.isEmpty() ? "" : capitalise(String.join("; ", parts)) + ".";
        return (text + " " + d.verdict().strip()).strip();
    }

    // ---------------------------------------------------------------- pieces

    private static String regime(double rho) {
        return rho > 1 ? " (above 1: prone to exploding)" : rho < 1 ? " (below 1: prone to vanishing)" : "";
    }

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

    private static double lastFiniteLoss(List<IterationMetrics> ms) {
        for (int i = ms.size() - 1; i >= 0; i--) {
            if (Double.isFinite(ms.get(i).loss())) {
                return ms.get(i).loss();
            }
        }
        return Double.NaN;
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static void head(StringBuilder b, String title) {
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(esc(title)).append("</title>\n<style>\n").append(CSS)
                .append("</style>\n</head>\n<body>\n<main>\n<h1>").append(esc(title)).append("</h1>\n");
    }

    private static void tail(StringBuilder b) {
        b.append("</main>\n</body>\n</html>\n");
    }

    private static void configuration(StringBuilder b, Map<String, String> config) {
        if (config.isEmpty()) {
            return;
        }
        b.append("<h2>Configuration</h2>\n<table class=\"config\">\n<tbody>\n");
        config.forEach((k, v) -> b.append("<tr><th scope=\"row\">").append(esc(k)).append("</th><td>")
                .append(esc(v)).append("</td></tr>\n"));
        b.append("</tbody>\n</table>\n");
    }

    private static void figure(StringBuilder b, String svg, String caption) {
        b.append("<figure>\n").append(svg).append("\n<figcaption>").append(esc(caption))
                .append("</figcaption>\n</figure>\n");
    }

    /** Escapes text for HTML element content and attribute values. */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static final String CSS = """
            :root { color-scheme: light; }
            body { margin: 0; background: #f6f7f9; color: #222;
              font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
            main { max-width: 960px; margin: 0 auto; padding: 24px 20px 48px; }
            h1 { font-size: 1.6em; margin: 0 0 12px; }
            h2 { font-size: 1.15em; margin: 28px 0 8px; }
            .verdict { background: #fff; border-left: 4px solid #0072B2; padding: 12px 16px; margin: 0 0 8px;
              box-shadow: 0 1px 2px rgba(0,0,0,.08); }
            table.config { border-collapse: collapse; background: #fff; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
            table.config th, table.config td { padding: 4px 14px; border-bottom: 1px solid #e4e6ea;
              text-align: left; vertical-align: top; }
            table.config th { font-weight: 600; color: #444; white-space: nowrap; }
            table.config td { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .92em;
              word-break: break-word; }
            figure { background: #fff; margin: 20px 0; padding: 10px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
            figure svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
            figcaption { color: #555; font-size: .92em; padding: 6px 6px 0; }
            """;
}
