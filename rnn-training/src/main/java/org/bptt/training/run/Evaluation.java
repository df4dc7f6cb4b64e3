package org.bptt.training.run;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one evaluation of a network on held-out data measured, saved in a run's history
 * ({@code diagnostics.json}, field {@code evaluations}) so that reports and dashboards can draw
 * it as a curve. Metric names are lower case with underscores ({@code loss}, {@code accuracy},
 * {@code bits_per_char}, ...; see {@code org.bptt.training.eval.HeldOutEvaluator}); non-finite
 * values are allowed and saved as null. Immutable.
 *
 * @param iteration the number of updates the evaluated parameters had received
 * @param metrics   metric name → value, in the order they are shown
 */
public record Evaluation(long iteration, Map<String, Double> metrics) {
    public Evaluation {
        requireNonNull(metrics, "metrics is null");
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** The value of one metric, NaN when it was not measured. */
    public double get(String name) {
        Double v = metrics.get(name);
        return v == null ? Double.NaN : v;
    }

    public boolean has(String name) {
        return metrics.containsKey(name);
    }
}
