package org.bptt.report;

import org.bptt.training.run.IterationMetrics;
import org.bptt.training.diag.GradientFlowSnapshot;
import org.bptt.training.diag.Spectrum;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the training report shows about one run.
 *
 * @param title         the page title, e.g. "adding problem, T=100, tanh RNN"
 * @param configuration the run's settings, shown as a table in the given order
 * @param metrics       one entry per iteration, in training order
 * @param clipThreshold the gradient-norm clipping threshold, or NaN when the run did not clip
 * @param baselineLoss  the loss of the task's trivial baseline (e.g. always predicting the mean), or NaN when none
 * @param flow          gradient-flow snapshots in training order; may be empty
 * @param spectrumStart eigenvalues of W before training, or null when not measured
 * @param spectrumEnd   eigenvalues of W after training, or null when not measured
 * @param summary       free text appended to the verdict (e.g. the trainer's own words); may be empty
 */
public record ReportData(String title, Map<String, String> configuration, List<IterationMetrics> metrics,
        double clipThreshold, double baselineLoss, List<GradientFlowSnapshot> flow, Spectrum spectrumStart,
        Spectrum spectrumEnd, String summary) {

    public ReportData {
        Objects.requireNonNull(title, "title");
        // Copies keep the record immutable; LinkedHashMap keeps the caller's order for the table.
        configuration = Collections.unmodifiableMap(new LinkedHashMap<>(configuration));
        metrics = List.copyOf(metrics);
        flow = List.copyOf(flow);
        summary = summary == null ? "" : summary;
    }
}
