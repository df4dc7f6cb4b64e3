package org.bptt.report;

import static org.bptt.report.Charts.BLUE;
import static org.bptt.report.Charts.DASHED;
import static org.bptt.report.Charts.MAX_MARKERS;
import static org.bptt.report.Charts.THIN;
import static org.bptt.report.Charts.VERMILLION;
import static org.bptt.report.Charts.addLabelled;
import static org.bptt.report.Charts.chart;
import static org.bptt.report.Charts.concat;
import static org.bptt.report.Charts.finiteRange;
import static org.bptt.report.Charts.lines;
import static org.bptt.report.Charts.mark;
import static org.bptt.report.Charts.plot;
import static org.bptt.report.Charts.smooth;
import static org.bptt.report.Charts.smoothedPair;
import static org.bptt.report.Charts.smoothingWeight;
import static org.bptt.report.Charts.styleAxis;
import static org.bptt.report.Charts.thinned;
import static org.bptt.report.Charts.toSvg;
import static org.bptt.report.Charts.valueAxis;

import java.awt.Color;
import java.awt.Shape;
import java.util.ArrayList;
import java.util.List;
import org.bptt.report.Charts.EndMark;
import org.bptt.training.IterationMetrics;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The global gradient norm before the gradient policy over iterations, with the clip threshold and what was clipped or skipped. */
public final class GradientNormChart {

    private GradientNormChart() {}

    /** Most clipped iterations marked with a triangle; more clipping is drawn as a share instead. */
    static final int MAX_CLIP_MARKS = 300;

    /** {@link #of(List, double, EndMark)} without end mark. */
    public static JFreeChart of(List<IterationMetrics> metrics, double clipThreshold) {
        return of(metrics, clipThreshold, null);
    }

    /**
     * The gradient norm before the gradient policy over iterations, raw (faint) and smoothed, on a
     * log axis when positive, with the clip threshold as a line. Clipping shows as triangles on
     * the clipped iterations while it is rare ({@value #MAX_CLIP_MARKS} or fewer, and at most a
     * fifth of the iterations); when it is common, as the share of clipped updates (smoothed like
     * the norm) on a right-hand axis, since a triangle on every point would hide the line. Updates
     * skipped by the non-finite guard are crosses at the top.
     *
     * @param clipThreshold NaN when the run did not clip
     * @param end           where the run stopped early, or null
     */
    public static JFreeChart of(List<IterationMetrics> metrics, double clipThreshold, EndMark end) {
        int n = metrics.size();
        double[] x = new double[n];
        double[] before = new double[n];
        double[] clippedShare = new double[n];
        List<double[]> clipped = new ArrayList<>();
        List<Double> skippedAt = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            IterationMetrics m = metrics.get(i);
            x[i] = m.iteration();
            before[i] = m.gradNormBefore();
            clippedShare[i] = m.clipped() ? 1 : 0;
            if (m.clipped()) {
                clipped.add(new double[] {m.iteration(), m.gradNormBefore()});
            }
            if (m.skipped()) {
                skippedAt.add((double) m.iteration());
            }
        }
        double[] extra = Double.isFinite(clipThreshold) ? new double[] {clipThreshold} : new double[0];
        ValueAxis y = valueAxis("‖∇L‖ (global L2 norm)", before, extra);
        boolean log = y instanceof LogAxis;
        XYSeriesCollection ds = new XYSeriesCollection();
        XYLineAndShapeRenderer r = lines(BLUE);
        int next = smoothedPair(ds, r, 0, "‖∇L‖ before clipping", x, before, log, BLUE);
        boolean sparse = clipped.size() <= MAX_CLIP_MARKS && clipped.size() * 5 <= n;
        if (!clipped.isEmpty() && sparse) {
            XYSeries marks = new XYSeries("clipped", false, true);
            for (double[] p : clipped) {
                if (Double.isFinite(p[1]) && (!log || p[1] > 0)) {
                    marks.add(p[0], p[1], false);
                }
            }
            ds.addSeries(marks);
            markerSeries(r, next++, VERMILLION, triangle(3.5));
        }
        if (!skippedAt.isEmpty()) {
            // A skipped update usually has no finite norm, so it is pinned to the top of the visible range.
            XYSeries marks = new XYSeries("skipped (non-finite)", false, true);
            double[] fr = finiteRange(concat(before, extra), log);
            double top = fr == null ? 1 : fr[1]; // inside the axis range, unlike its padded upper bound
            int stride = Math.max(1, (skippedAt.size() + MAX_MARKERS - 1) / MAX_MARKERS);
            for (int i = 0; i < skippedAt.size(); i += stride) {
                marks.add(skippedAt.get(i).doubleValue(), top, false);
            }
            ds.addSeries(marks);
            markerSeries(r, next, Color.BLACK, cross(3.5));
        }
        XYPlot plot = plot(ds, new NumberAxis("iteration"), y, r);
        if (!clipped.isEmpty() && !sparse) {
            NumberAxis share = new NumberAxis("clipped updates");
            share.setRange(0, 1.05);
            share.setNumberFormatOverride(java.text.NumberFormat.getPercentInstance(java.util.Locale.ROOT));
            styleAxis(share);
            plot.setRangeAxis(1, share);
            plot.setRangeAxisLocation(1, AxisLocation.BOTTOM_OR_RIGHT);
            double w = Math.max(smoothingWeight(n), 0.9); // a share needs some averaging to be a share
            plot.setDataset(
                    1,
                    new XYSeriesCollection(thinned(
                            "share of clipped updates (right axis)", x, smooth(clippedShare, w, false), false)));
            plot.mapDatasetToRangeAxis(1, 1);
            XYLineAndShapeRenderer sr = lines(VERMILLION);
            sr.setSeriesStroke(0, THIN);
            plot.setRenderer(1, sr);
        }
        if (Double.isFinite(clipThreshold) && (!log || clipThreshold > 0)) {
            addLabelled(
                    plot,
                    new ValueMarker(clipThreshold, VERMILLION, DASHED),
                    "clip threshold " + Numbers.fmt(clipThreshold),
                    TextAnchor.BOTTOM_RIGHT);
        }
        mark(plot, end);
        return chart("Gradient norm", plot, true);
    }

    /** {@link #of} as SVG. */
    public static String svg(List<IterationMetrics> metrics, double clipThreshold, int width, int height) {
        return toSvg(of(metrics, clipThreshold), width, height);
    }

    private static void markerSeries(XYLineAndShapeRenderer r, int series, Color c, Shape shape) {
        r.setSeriesLinesVisible(series, false);
        r.setSeriesShapesVisible(series, true);
        r.setSeriesShape(series, shape);
        r.setSeriesPaint(series, c);
    }

    private static Shape triangle(double s) {
        java.awt.geom.Path2D.Double p = new java.awt.geom.Path2D.Double();
        p.moveTo(0, -s);
        p.lineTo(s, s);
        p.lineTo(-s, s);
        p.closePath();
        return p;
    }

    private static Shape cross(double s) {
        java.awt.geom.Path2D.Double p = new java.awt.geom.Path2D.Double();
        double t = s / 3;
        p.moveTo(-s, -s + t);
        p.lineTo(-s + t, -s);
        p.lineTo(0, -t);
        p.lineTo(s - t, -s);
        p.lineTo(s, -s + t);
        p.lineTo(t, 0);
        p.lineTo(s, s - t);
        p.lineTo(s - t, s);
        p.lineTo(0, t);
        p.lineTo(-s + t, s);
        p.lineTo(-s, s - t);
        p.lineTo(-t, 0);
        p.closePath();
        return p;
    }
}
