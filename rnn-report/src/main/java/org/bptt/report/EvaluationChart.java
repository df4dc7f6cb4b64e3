package org.bptt.report;

import static org.bptt.report.Charts.PALETTE;
import static org.bptt.report.Charts.chart;
import static org.bptt.report.Charts.lines;
import static org.bptt.report.Charts.mark;
import static org.bptt.report.Charts.plot;
import static org.bptt.report.Charts.points;
import static org.bptt.report.Charts.styleAxis;
import static org.bptt.report.Charts.valueAxis;

import java.awt.geom.Ellipse2D;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bptt.report.Charts.EndMark;
import org.bptt.training.run.Evaluation;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeriesCollection;

/** The held-out metrics over training that are neither a loss nor an accuracy, one axis per kind of quantity. */
public final class EvaluationChart {

    private EvaluationChart() {}

    /** Held-out keys that count things (how many sequences were evaluated): never drawn beside a loss or a rate. */
    static final java.util.Set<String> COUNT_KEYS = java.util.Set.of("sequences");

    /** Held-out keys that are fractions of sequences: drawn on their own 0-to-1 axis on the right. */
    static final java.util.Set<String> RATE_KEYS = java.util.Set.of("correct", "success");

    /**
     * Every held-out metric that is neither a loss nor an accuracy (bits per character, MSE, …)
     * over iterations, one line each, log y when they span two decades; the fractions of
     * sequences (correct, success) on a 0-to-1 axis of their own; counts nowhere (one axis per kind
     * of quantity). The iteration axis starts at 0 with whole-number ticks, so that a single
     * evaluation reads "8,000" once, not "8E3" at every tick. Null when there is nothing to draw.
     */
    public static JFreeChart of(List<Evaluation> evaluations, EndMark end) {
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        Map<String, List<double[]>> rates = new LinkedHashMap<>();
        for (Evaluation e : evaluations) {
            e.metrics().forEach((k, v) -> {
                if (!k.contains("loss") && !k.contains("accuracy") && !COUNT_KEYS.contains(k)) {
                    (RATE_KEYS.contains(k) ? rates : series)
                            .computeIfAbsent(k, key -> new ArrayList<>())
                            .add(new double[] {e.iteration(), v});
                }
            });
        }
        if (series.isEmpty() && rates.isEmpty()) {
            return null;
        }
        NumberAxis x = new NumberAxis("iteration");
        // From 0 to the last evaluation: a single evaluation gets a range, not a point (whose ticks all read 8E3).
        long last = evaluations.stream().mapToLong(Evaluation::iteration).max().orElse(0);
        x.setRange(0, Math.max(1, last) * 1.03);
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits(java.util.Locale.ROOT));
        boolean onLeft = !series.isEmpty();
        Map<String, List<double[]>> left = onLeft ? series : rates;
        double[] all = left.values().stream()
                .flatMap(List::stream)
                .mapToDouble(p -> p[1])
                .toArray();
        ValueAxis y = onLeft ? valueAxis("value", all, new double[0]) : rateAxis();
        boolean log = y instanceof LogAxis;
        XYPlot plot = plot(evaluationSeries(left, log, 0), x, y, evaluationRenderer(left.size(), 0));
        if (onLeft && !rates.isEmpty()) {
            plot.setRangeAxis(1, rateAxis());
            plot.setRangeAxisLocation(1, AxisLocation.BOTTOM_OR_RIGHT);
            plot.setDataset(1, evaluationSeries(rates, false, 1));
            plot.mapDatasetToRangeAxis(1, 1);
            plot.setRenderer(1, evaluationRenderer(rates.size(), series.size()));
        }
        mark(plot, end);
        boolean bpc = series.keySet().stream().anyMatch(k -> k.contains("bits") || k.equals("bpc"));
        return chart(bpc ? "Held-out bits per character and other metrics" : "Held-out metrics", plot, true);
    }

    private static NumberAxis rateAxis() {
        NumberAxis a = new NumberAxis("fraction of sequences");
        a.setRange(0, 1.02);
        styleAxis(a);
        return a;
    }

    private static XYSeriesCollection evaluationSeries(Map<String, List<double[]>> series, boolean log, int axis) {
        XYSeriesCollection ds = new XYSeriesCollection();
        series.forEach((k, v) -> ds.addSeries(points(metricName(k) + (axis == 1 ? " (right axis)" : ""), v, log)));
        return ds;
    }

    private static XYLineAndShapeRenderer evaluationRenderer(int n, int firstColour) {
        XYLineAndShapeRenderer r = lines(PALETTE[firstColour % PALETTE.length]);
        for (int i = 0; i < n; i++) {
            r.setSeriesPaint(i, PALETTE[(firstColour + i) % PALETTE.length]);
            r.setSeriesShapesVisible(i, true);
            r.setSeriesShape(i, new Ellipse2D.Double(-3, -3, 6, 6));
        }
        return r;
    }

    /** A metric's key in words: "bits_per_char" is "bits per char", "bpc" "bits per character". */
    static String metricName(String key) {
        return key.equals("bpc") ? "bits per character" : key.replace('_', ' ');
    }
}
