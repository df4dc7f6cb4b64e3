package org.bptt.report;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bptt.training.IterationMetrics;
import org.bptt.training.diag.GradientFlowSnapshot;
import org.bptt.training.diag.Spectrum;
import org.bptt.training.run.Evaluation;
import org.bptt.training.run.LayerSnapshot;
import org.bptt.training.run.RunSummary;

/**
 * Everything the training report shows about one run.
 *
 * @param title         the page title, e.g. "adding problem, T=100, tanh RNN"
 * @param configuration the run's settings, shown as a table in the given order
 * @param metrics       one entry per iteration, in training order
 * @param clipThreshold the gradient-norm clipping threshold, or NaN when the run did not clip
 * @param flow          gradient-flow snapshots measured by one full-BPTT pass, in training order; may be empty
 * @param spectrumStart eigenvalues of W before training, or null when not measured or when the cell has no single W
 * @param spectrumEnd   eigenvalues of W now, or null likewise
 * @param summary       the run's summary (final figure, learned rule, outcome, gradient-flow verdict); see {@link RunSummary}
 * @param evaluations   held-out evaluations in training order; may be empty
 * @param singleW       whether the cell has a single square recurrent matrix W (else no ρ(W) is shown, and why)
 * @param trainedFlow   the flow training back-propagated at the same iterations, window by window; may be empty
 * @param layers        per-layer diagnostics of a stacked or bidirectional network in training order; empty for one layer
 */
public record ReportData(
        String title,
        Map<String, String> configuration,
        List<IterationMetrics> metrics,
        double clipThreshold,
        List<GradientFlowSnapshot> flow,
        Spectrum spectrumStart,
        Spectrum spectrumEnd,
        RunSummary summary,
        List<Evaluation> evaluations,
        boolean singleW,
        List<GradientFlowSnapshot> trainedFlow,
        List<LayerSnapshot> layers) {

    public ReportData {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(summary, "summary");
        // Copies keep the record immutable; LinkedHashMap keeps the caller's order for the table.
        configuration = Collections.unmodifiableMap(new LinkedHashMap<>(configuration));
        metrics = List.copyOf(metrics);
        flow = List.copyOf(flow);
        evaluations = List.copyOf(evaluations);
        trainedFlow = List.copyOf(trainedFlow);
        layers = List.copyOf(layers);
    }

    /** A report of one layer without the trained flow (only the full-BPTT measurement is shown). */
    public ReportData(
            String title,
            Map<String, String> configuration,
            List<IterationMetrics> metrics,
            double clipThreshold,
            List<GradientFlowSnapshot> flow,
            Spectrum spectrumStart,
            Spectrum spectrumEnd,
            RunSummary summary,
            List<Evaluation> evaluations,
            boolean singleW) {
        this(
                title,
                configuration,
                metrics,
                clipThreshold,
                flow,
                spectrumStart,
                spectrumEnd,
                summary,
                evaluations,
                singleW,
                List.of(),
                List.of());
    }

    /** Whether the page shows what training back-propagated apart from the full-BPTT measurement: a truncated run's. */
    public boolean showsTrainedFlow() {
        return !trainedFlow.isEmpty()
                && summary.reach() != null
                && summary.reach().truncated();
    }

    /** The task's baseline loss, NaN when none. */
    public double baselineLoss() {
        return summary.baseline();
    }

    /** The Jacobian-product norms the verdict was measured on, one row per sample sequence; empty when not measured. */
    public double[][] jacobianNorms() {
        return summary.jacobianNorms();
    }

    @Override
    public String toString() {
        return "ReportData[title=" + title + ", iterations=" + metrics.size() + ", snapshots=" + flow.size()
                + ", jacobians=" + Arrays.stream(jacobianNorms()).count() + "]";
    }
}
