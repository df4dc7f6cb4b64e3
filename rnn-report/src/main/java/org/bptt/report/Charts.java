package org.bptt.report;

import org.bptt.training.IterationMetrics;
import org.bptt.training.diag.GradientFlowSnapshot;
import org.bptt.training.diag.Spectrum;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bptt.training.run.Evaluation;
import org.bptt.training.run.RunSummary;
import java.util.concurrent.atomic.AtomicLong;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYShapeAnnotation;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.AxisSpace;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.TickUnits;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.PlotState;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.plot.CrosshairState;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYItemRendererState;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.Range;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYDataset;
import org.jfree.data.xy.XYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

/**
 * The report's charts, built with JFreeChart. Each chart has a builder returning the {@link JFreeChart} (to tweak it
 * or save it as PNG with {@link #writePng}) and a shortcut returning it as SVG markup ({@link #toSvg}).
 *
 * <p>Non-finite values (a run that blew up) and, on logarithmic axes, non-positive values are left out of the
 * lines rather than breaking the chart. Long runs are thinned to at most {@value #MAX_LINE_POINTS} points per line,
 * keeping each bucket's minimum and maximum so that spikes stay visible.
 */
public final class Charts {

    static {
        // The charts are drawn off-screen; without this AWT may try to reach a display. Callers may still override.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** Most points drawn per line; more would only bloat the SVG, the chart is at most ~1000 px wide. */
    static final int MAX_LINE_POINTS = 2000;
    /** Most markers drawn per marker series (clipped iterations etc.). */
    static final int MAX_MARKERS = 1500;
    /** Most clipped iterations marked with a triangle; more clipping is drawn as a share instead. */
    static final int MAX_CLIP_MARKS = 300;
    /** Most snapshots (heatmap rows) drawn; more are thinned evenly. */
    static final int MAX_HEATMAP_ROWS = 100;
    /** Most heatmap columns; longer sequences are binned. Rows x columns bounds the SVG at about 2.5 MB. */
    static final int MAX_HEATMAP_COLUMNS = 100;
    /** A y range spanning at least this factor is drawn on a log axis. */
    static final double LOG_WHEN_RATIO = 100;
    /**
     * How far (a factor) beyond the data a marker line may stretch an axis: a clip threshold of
     * 1e300 over norms near 1 would otherwise ask a log axis for 300 decades (or, past 1e308, an
     * infinite range whose ticks never end). A marker farther out is left off the chart.
     */
    static final double MARKER_REACH = 1e4;
    /** The widest a log axis goes, in decades either side of 1: inside a double's range with room for padding. */
    static final double MAX_DECADE = 300;

    // Okabe-Ito: distinguishable with the common colour-vision deficiencies.
    static final Color BLUE = new Color(0x0072B2);
    static final Color ORANGE = new Color(0xE69F00);
    static final Color VERMILLION = new Color(0xD55E00);
    static final Color GREEN = new Color(0x009E73);
    static final Color SKY = new Color(0x56B4E9);
    static final Color PURPLE = new Color(0xCC79A7);
    static final Color GREY = new Color(0x666666);
    static final Color[] PALETTE = {BLUE, VERMILLION, GREEN, ORANGE, PURPLE, SKY, Color.BLACK,
            new Color(0xF0E442).darker()};
    /** Heatmap colour for cells whose value is NaN or +∞ (an overflowed gradient). */
    static final Color NON_FINITE = Color.BLACK;

    private static final String FONT = Font.SANS_SERIF; // JFreeSVG writes it as the generic "sans-serif"
    static final BasicStroke LINE = new BasicStroke(1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    static final BasicStroke THIN = new BasicStroke(1.0f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    static final BasicStroke DASHED = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
            10f, new float[] {6f, 4f}, 0f);

    private static final AtomicLong SVG_IDS = new AtomicLong();

    static {
        // Rotated labels (every y axis) as SVG text, not glyph outlines: a browser, a search or a screen reader reads them.
        org.jfree.chart.text.TextUtils.setUseDrawRotatedStringWorkaround(false);
    }

    private Charts() {
    }

    // ---------------------------------------------------------------- end of a run

    /**
     * Where a run stopped early, marked on the charts over iterations: a divergence or an interruption.
     *
     * @param iteration the first iteration not trained
     * @param label     what happened, e.g. "diverged at iteration 412"
     */
    public record EndMark(long iteration, String label) {}

    static void mark(XYPlot plot, EndMark end) {
        if (end == null) {
            return;
        }
        widen(plot, end);
        ValueMarker m = new ValueMarker(end.iteration(), VERMILLION, new BasicStroke(2f));
        m.setLabel(end.label());
        m.setLabelFont(new Font(FONT, Font.BOLD, 11));
        m.setLabelPaint(VERMILLION);
        m.setLabelAnchor(RectangleAnchor.TOP_LEFT);
        m.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
        m.setLabelOffset(new RectangleInsets(4, 4, 4, 4));
        m.setLabelBackgroundColor(new Color(255, 255, 255, 220));
        plot.addDomainMarker(m, Layer.FOREGROUND);
    }

    /** The mark is one past the last iteration recorded: widens the iteration axis so that it is drawn. */
    private static void widen(XYPlot plot, EndMark end) {
        ValueAxis a = plot.getDomainAxis();
        if (a != null) {
            Range r = a.getRange();
            double hi = end.iteration() + Math.max(1, 0.015 * (end.iteration() - r.getLowerBound()));
            if (hi > r.getUpperBound()) {
                a.setRange(r.getLowerBound(), hi);
            }
        }
    }

    // ---------------------------------------------------------------- smoothing

    /**
     * The smoothing weight the reports use for {@code n} points: an exponential moving average over
     * about 1% of the run (at least 1 point, at most 500).
     */
    static double smoothingWeight(int n) {
        double window = Math.max(1, Math.min(500, n / 100.0));
        return 1 - 1 / window;
    }

    /**
     * TensorBoard's smoothing: an exponential moving average with weight {@code w}, debiased at the
     * start; of the logarithms when {@code log}, so that a log chart's smoothed line is a geometric
     * mean. Non-finite (and, with {@code log}, non-positive) points are skipped and stay NaN.
     */
    static double[] smooth(double[] y, double w, boolean log) {
        double[] s = new double[y.length];
        double last = 0;
        int seen = 0;
        for (int i = 0; i < y.length; i++) {
            double v = y[i];
            if (!Double.isFinite(v) || (log && v <= 0)) {
                s[i] = Double.NaN;
                continue;
            }
            double x = log ? Math.log(v) : v;
            last = last * w + (1 - w) * x;
            seen++;
            double debiased = w == 0 ? last : last / (1 - Math.pow(w, seen));
            s[i] = log ? Math.exp(debiased) : debiased;
        }
        return s;
    }

    private static Color faint(Color c) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), 70);
    }

    /**
     * Adds {@code y} to {@code ds} as a faint raw line with its smoothed line over it (or the raw
     * line alone when there is too little to smooth); returns the next series index.
     */
    private static int smoothedPair(XYSeriesCollection ds, XYLineAndShapeRenderer r, int at, String key, double[] x, double[] y,
            boolean log, Color c) {
        double w = smoothingWeight(y.length);
        if (w <= 0) {
            ds.addSeries(thinned(key, x, y, log));
            r.setSeriesPaint(at, c);
            return at + 1;
        }
        ds.addSeries(thinned(key + " (raw)", x, y, log));
        r.setSeriesPaint(at, faint(c));
        r.setSeriesStroke(at, THIN);
        ds.addSeries(thinned(key + " (smoothed)", x, smooth(y, w, log), log));
        r.setSeriesPaint(at + 1, c);
        r.setSeriesStroke(at + 1, LINE);
        return at + 2;
    }

    // ---------------------------------------------------------------- loss

    /** {@link #lossChart(List, double, List, EndMark)} without evaluations or end mark. */
    public static JFreeChart lossChart(List<IterationMetrics> metrics, double baselineLoss) {
        return lossChart(metrics, baselineLoss, List.of(), null);
    }

    /**
     * Training loss over iterations, raw (faint) and smoothed (log y when it spans two decades or
     * more), the task's baseline as a dashed line, held-out losses as points on a line when the run
     * has them; and, when the task reports accuracy, the accuracy in a panel of its own below, so
     * that the baseline line never crosses it.
     *
     * @param baselineLoss NaN for none
     * @param evaluations  held-out evaluations; those with a loss are drawn
     * @param end          where the run stopped early, or null
     */
    public static JFreeChart lossChart(List<IterationMetrics> metrics, double baselineLoss, List<Evaluation> evaluations,
            EndMark end) {
        int n = metrics.size();
        double[] x = new double[n];
        double[] loss = new double[n];
        double[] acc = new double[n];
        boolean anyAcc = false;
        for (int i = 0; i < n; i++) {
            IterationMetrics m = metrics.get(i);
            x[i] = m.iteration();
            loss[i] = m.skipped() ? Double.NaN : m.loss(); // a skipped update's loss is not a loss the model had
            acc[i] = m.accuracy();
            anyAcc |= Double.isFinite(m.accuracy());
        }
        List<double[]> held = new ArrayList<>();
        List<double[]> heldAcc = new ArrayList<>();
        String heldKey = null;
        for (Evaluation e : evaluations) {
            for (Map.Entry<String, Double> v : e.metrics().entrySet()) {
                if (v.getKey().contains("loss") && (heldKey == null || heldKey.equals(v.getKey()))) {
                    heldKey = v.getKey();
                    held.add(new double[] {e.iteration(), v.getValue()});
                } else if (v.getKey().contains("accuracy")) {
                    heldAcc.add(new double[] {e.iteration(), v.getValue()});
                }
            }
        }
        double[] heldY = held.stream().mapToDouble(p -> p[1]).toArray();
        double[] extra = concat(Double.isFinite(baselineLoss) ? new double[] {baselineLoss} : new double[0], heldY);
        ValueAxis y = valueAxis("loss", loss, extra);
        boolean log = y instanceof LogAxis;
        XYSeriesCollection ds = new XYSeriesCollection();
        XYLineAndShapeRenderer r = lines(BLUE);
        int next = smoothedPair(ds, r, 0, "training loss", x, loss, log, BLUE);
        if (!held.isEmpty()) {
            ds.addSeries(points("held-out " + heldKey.replace('_', ' '), held, log));
            r.setSeriesPaint(next, VERMILLION);
            r.setSeriesShapesVisible(next, true);
            r.setSeriesShape(next, new Ellipse2D.Double(-3.5, -3.5, 7, 7));
            r.setSeriesStroke(next, LINE);
        }
        XYPlot lossPlot = new XYPlot(ds, null, y, r);
        style(lossPlot);
        if (Double.isFinite(baselineLoss) && (!log || baselineLoss > 0)) {
            addLabelled(lossPlot, new ValueMarker(baselineLoss, GREY, DASHED),
                    "baseline " + RunSummary.loss(baselineLoss), TextAnchor.BOTTOM_RIGHT);
        }
        mark(lossPlot, end);
        NumberAxis it = new NumberAxis("iteration");
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(it);
        plot.setGap(8);
        plot.add(lossPlot, 3);
        if (anyAcc || !heldAcc.isEmpty()) {
            NumberAxis accAxis = new NumberAxis("accuracy");
            accAxis.setRange(0, 1.02);
            styleAxis(accAxis); // a combined plot's panels are not styled by chart()
            XYSeriesCollection ads = new XYSeriesCollection();
            XYLineAndShapeRenderer ar = lines(GREEN);
            int a = smoothedPair(ads, ar, 0, "training accuracy", x, acc, false, GREEN);
            if (!heldAcc.isEmpty()) {
                ads.addSeries(points("held-out accuracy", heldAcc, false));
                ar.setSeriesPaint(a, VERMILLION);
                ar.setSeriesShapesVisible(a, true);
                ar.setSeriesShape(a, new Ellipse2D.Double(-3.5, -3.5, 7, 7));
            }
            XYPlot accPlot = new XYPlot(ads, null, accAxis, ar);
            style(accPlot);
            mark(accPlot, end);
            plot.add(accPlot, 1);
        }
        style(plot);
        if (end != null) {
            widen(plot, end);
        }
        return chart("Training loss" + (anyAcc ? " and accuracy" : ""), plot, true);
    }

    /** Points (x, y) in order as a series, the finite (and on a log axis positive) ones. */
    private static XYSeries points(String key, List<double[]> xy, boolean log) {
        XYSeries s = new XYSeries(key, false, true);
        for (double[] p : xy) {
            if (Double.isFinite(p[1]) && (!log || p[1] > 0)) {
                s.add(p[0], p[1], false);
            }
        }
        return s;
    }

    /** {@link #lossChart} as SVG. */
    public static String lossSvg(List<IterationMetrics> metrics, double baselineLoss, int width, int height) {
        return toSvg(lossChart(metrics, baselineLoss), width, height);
    }

    // ---------------------------------------------------------------- held-out metrics

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
    public static JFreeChart evaluationChart(List<Evaluation> evaluations, EndMark end) {
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        Map<String, List<double[]>> rates = new LinkedHashMap<>();
        for (Evaluation e : evaluations) {
            e.metrics().forEach((k, v) -> {
                if (!k.contains("loss") && !k.contains("accuracy") && !COUNT_KEYS.contains(k)) {
                    (RATE_KEYS.contains(k) ? rates : series).computeIfAbsent(k, key -> new ArrayList<>()).add(new double[] {e.iteration(), v});
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
        double[] all = left.values().stream().flatMap(List::stream).mapToDouble(p -> p[1]).toArray();
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

    /** How a chart's main value axis is scaled, in words for its caption, read from the chart itself: "log scale" or "linear scale". */
    public static String scaleWords(JFreeChart chart) {
        org.jfree.chart.plot.Plot p = chart.getPlot();
        // A combined plot is an XYPlot too, with no range axis of its own: its first panel's axis is the main one.
        XYPlot xy = p instanceof org.jfree.chart.plot.CombinedDomainXYPlot c ? (XYPlot) c.getSubplots().get(0)
                : p instanceof XYPlot x ? x : null;
        return xy != null && xy.getRangeAxis() instanceof LogAxis ? "log scale" : "linear scale";
    }

    /** A metric's key in words: "bits_per_char" is "bits per char", "bpc" "bits per character". */
    static String metricName(String key) {
        return key.equals("bpc") ? "bits per character" : key.replace('_', ' ');
    }

    // ---------------------------------------------------------------- gradient norm

    /** {@link #gradientNormChart(List, double, EndMark)} without end mark. */
    public static JFreeChart gradientNormChart(List<IterationMetrics> metrics, double clipThreshold) {
        return gradientNormChart(metrics, clipThreshold, null);
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
    public static JFreeChart gradientNormChart(List<IterationMetrics> metrics, double clipThreshold, EndMark end) {
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
            plot.setDataset(1, new XYSeriesCollection(thinned("share of clipped updates (right axis)", x,
                    smooth(clippedShare, w, false), false)));
            plot.mapDatasetToRangeAxis(1, 1);
            XYLineAndShapeRenderer sr = lines(VERMILLION);
            sr.setSeriesStroke(0, THIN);
            plot.setRenderer(1, sr);
        }
        if (Double.isFinite(clipThreshold) && (!log || clipThreshold > 0)) {
            addLabelled(plot, new ValueMarker(clipThreshold, VERMILLION, DASHED),
                    "clip threshold " + Numbers.fmt(clipThreshold), TextAnchor.BOTTOM_RIGHT);
        }
        mark(plot, end);
        return chart("Gradient norm", plot, true);
    }

    /** {@link #gradientNormChart} as SVG. */
    public static String gradientNormSvg(List<IterationMetrics> metrics, double clipThreshold, int width,
            int height) {
        return toSvg(gradientNormChart(metrics, clipThreshold), width, height);
    }

    // ---------------------------------------------------------------- spectral radius / norm

    /** {@link #spectralChart(List, EndMark)} without end mark. */
    public static JFreeChart spectralChart(List<IterationMetrics> metrics) {
        return spectralChart(metrics, null);
    }

    /**
     * The spectral radius ρ(W) and spectral norm ‖W‖₂ of the recurrent matrix over training, from the
     * iterations that measured them (each before its update, so the first point is the initial W),
     * with a line at 1. ρ(W) &gt; 1 is necessary for gradients to grow through time, not sufficient:
     * the measured gradient flow decides.
     */
    public static JFreeChart spectralChart(List<IterationMetrics> metrics, EndMark end) {
        int n = metrics.size();
        double[] x = new double[n];
        double[] rho = new double[n];
        double[] norm = new double[n];
        for (int i = 0; i < n; i++) {
            IterationMetrics m = metrics.get(i);
            x[i] = m.iteration();
            rho[i] = m.spectralRadius();
            norm[i] = m.spectralNorm();
        }
        double[] all = concat(rho, norm);
        double[] r = finiteRange(all, false);
        double lo = Math.min(r == null ? 1 : r[0], 1);
        double hi = Math.max(r == null ? 1 : r[1], 1);
        double pad = Math.max((hi - lo) * 0.08, 0.05);
        NumberAxis y = new NumberAxis("value");
        y.setRange(Math.max(0, lo - pad), hi + pad);
        XYSeriesCollection ds = new XYSeriesCollection();
        ds.addSeries(thinned("spectral radius ρ(W) = max |λ|", x, rho, false));
        ds.addSeries(thinned("spectral norm ‖W‖₂ = σ_max", x, norm, false));
        XYLineAndShapeRenderer rr = lines(BLUE);
        rr.setSeriesPaint(1, ORANGE);
        int points = Math.max(ds.getSeries(0).getItemCount(), ds.getSeries(1).getItemCount());
        if (points <= 60) {
            // Measured rarely: show where the measurements are.
            rr.setDefaultShapesVisible(true);
            rr.setSeriesShape(0, new Ellipse2D.Double(-3, -3, 6, 6));
            rr.setSeriesShape(1, new Rectangle2D.Double(-3, -3, 6, 6));
        }
        XYPlot plot = plot(ds, new NumberAxis("iteration"), y, rr);
        ValueMarker one = new ValueMarker(1, Color.BLACK, DASHED);
        addLabelled(plot, one, "1: growth needs ρ(W) > 1 (not sufficient: see the verdict)", TextAnchor.BOTTOM_LEFT);
        one.setLabelAnchor(RectangleAnchor.TOP_LEFT);
        mark(plot, end);
        return chart("Spectral radius and norm of the recurrent matrix W", plot, true);
    }

    /** {@link #spectralChart} as SVG. */
    public static String spectralSvg(List<IterationMetrics> metrics, int width, int height) {
        return toSvg(spectralChart(metrics), width, height);
    }

    // ---------------------------------------------------------------- gradient flow heatmap

    /** The heatmap's fixed colour range, in decades of ‖∂L/∂h_k‖ relative to the last step's: −8 … +8. */
    public static final double FLOW_DECADES = 8;

    /**
     * The reference a snapshot's norms are divided by: the norm at the last step that has a
     * positive finite one (the last step itself for every built-in task), NaN when there is none.
     */
    static double flowReference(GradientFlowSnapshot s) {
        for (int k = s.steps() - 1; k >= 0; k--) {
            double v = s.norm(k);
            if (Double.isFinite(v) && v > 0) {
                return v;
            }
        }
        return Double.NaN;
    }

    /**
     * A heatmap of the gradient flow: x is the time step k, y the training iteration of the
     * snapshot, colour log₁₀(‖∂L/∂h_k‖ / ‖∂L/∂h_{T−1}‖) on a FIXED diverging scale from −{@value
     * #FLOW_DECADES} (dark blue: a hundred-millionth of the last step's gradient reaches step k —
     * vanishing) through 0 (white: as much as at the last step) to +{@value #FLOW_DECADES} (dark red:
     * exploding), the same for every run so that runs can be compared; beyond it the colours clamp.
     * Norms of exactly 0 take the darkest blue; NaN or +∞ (an overflowed gradient) are black.
     */
    public static JFreeChart gradientFlowChart(List<GradientFlowSnapshot> flow) {
        return gradientFlowChart(flow, FLOW_TITLE);
    }

    /** The heatmap's title when it shows the one recorded flow. */
    public static final String FLOW_TITLE = "Gradient flow through time: ‖∂L/∂h_k‖ relative to the last step";

    /** {@link #gradientFlowChart(List)} under another title (the flow training back-propagated, or full BPTT measured). */
    public static JFreeChart gradientFlowChart(List<GradientFlowSnapshot> flow, String title) {
        List<GradientFlowSnapshot> rows = evenlySpaced(flow, MAX_HEATMAP_ROWS);
        int maxSteps = 1;
        for (GradientFlowSnapshot s : rows) {
            maxSteps = Math.max(maxSteps, s.steps());
        }
        // Long sequences are binned (mean log norm per bin) to keep the SVG small; one block per bin.
        int bin = (maxSteps + MAX_HEATMAP_COLUMNS - 1) / MAX_HEATMAP_COLUMNS;
        List<double[]> cells = new ArrayList<>();
        for (GradientFlowSnapshot s : rows) {
            double ref = Math.log10(flowReference(s));
            for (int k0 = 0; k0 < s.steps(); k0 += bin) {
                double sum = 0;
                int n = 0;
                boolean bad = false;
                boolean zero = false;
                for (int k = k0; k < Math.min(s.steps(), k0 + bin); k++) {
                    double v = Math.log10(s.norm(k));
                    if (Double.isFinite(v)) {
                        sum += v;
                        n++;
                    } else if (v == Double.NEGATIVE_INFINITY) {
                        zero = true;
                    } else {
                        bad = true;
                    }
                }
                double z = bad || Double.isNaN(ref) ? Double.NaN : n > 0 ? sum / n - ref : zero ? -FLOW_DECADES : Double.NaN;
                cells.add(new double[] {k0 + (bin - 1) / 2.0, s.iteration(), z});
            }
        }
        double[][] xyz = new double[3][cells.size()];
        for (int i = 0; i < cells.size(); i++) {
            double[] c = cells.get(i);
            xyz[0][i] = c[0];
            xyz[1][i] = c[1];
            xyz[2][i] = c[2];
        }
        DefaultXYZDataset ds = new DefaultXYZDataset();
        if (!cells.isEmpty()) {
            ds.addSeries("log10 ‖∂L/∂h_k‖ / ‖∂L/∂h_T‖", xyz);
        }
        double gap = typicalGap(rows);
        FlowScale scale = new FlowScale();
        HeatmapRenderer r = new HeatmapRenderer(bin, gap);
        r.setPaintScale(scale);
        NumberAxis x = new NumberAxis("time step k");
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        x.setRange(-0.5, maxSteps - 0.5);
        NumberAxis y = new NumberAxis("iteration");
        y.setAutoRangeIncludesZero(false);
        y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        if (!rows.isEmpty()) {
            double first = rows.stream().mapToLong(GradientFlowSnapshot::iteration).min().orElse(0);
            double last = rows.stream().mapToLong(GradientFlowSnapshot::iteration).max().orElse(0);
            y.setRange(first - gap / 2, last + gap / 2);
        }
        XYPlot plot = plot(ds, x, y, r);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        plot.setBackgroundPaint(new Color(0xC8C8C8)); // shows where no snapshot covers the plot
        JFreeChart chart = chart(title, plot, false);
        NumberAxis zAxis = new NumberAxis("log₁₀ ‖∂L/∂h_k‖ / ‖∂L/∂h_T‖ (fixed scale)");
        zAxis.setRange(-FLOW_DECADES, FLOW_DECADES);
        zAxis.setTickUnit(new NumberTickUnit(2));
        styleAxis(zAxis);
        PaintScaleLegend legend = new PaintScaleLegend(scale, zAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setSubdivisionCount(128);
        legend.setStripWidth(14);
        legend.setAxisOffset(4);
        legend.setMargin(new RectangleInsets(30, 8, 30, 4));
        legend.setBackgroundPaint(Color.WHITE);
        chart.addSubtitle(legend);
        return chart;
    }

    /** {@link #gradientFlowChart} as SVG. */
    public static String gradientFlowSvg(List<GradientFlowSnapshot> flow, int width, int height) {
        return toSvg(gradientFlowChart(flow), width, height);
    }

    // ---------------------------------------------------------------- eigenvalues

    /**
     * The eigenvalues of W in the complex plane against the unit circle, before (blue circles) and after (vermillion
     * squares) training, with equal scales on both axes so the circle stays round. Either spectrum may be null.
     */
    public static JFreeChart eigenvalueChart(Spectrum start, Spectrum end) {
        return eigenvalues(new Spectrum[] {start, end}, new String[] {"start", "end"});
    }

    /** The eigenvalues of one matrix W (e.g. for {@code analyze}) against the unit circle, equal scales. */
    public static JFreeChart eigenvalueChart(Spectrum w) {
        return eigenvalues(new Spectrum[] {w}, new String[] {"W"});
    }

    private static JFreeChart eigenvalues(Spectrum[] both, String[] names) {
        XYSeriesCollection ds = new XYSeriesCollection();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
        r.setDrawOutlines(false); // translucent fills show overlapping eigenvalues; outlines would hide that
        double extent = 1;
        for (int i = 0; i < both.length; i++) {
            Spectrum s = both[i];
            if (s == null) {
                continue;
            }
            boolean first = i == 0;
            String name = names[i];
            XYSeries series = new XYSeries(name + " (ρ = " + Numbers.fmt(s.spectralRadius()) + ")", false, true);
            for (int k = 0; k < s.size(); k++) {
                if (Double.isFinite(s.re(k)) && Double.isFinite(s.im(k))) {
                    series.add(s.re(k), s.im(k), false);
                    extent = Math.max(extent, Math.max(Math.abs(s.re(k)), Math.abs(s.im(k))));
                }
            }
            int idx = ds.getSeriesCount();
            ds.addSeries(series);
            Color col = first ? BLUE : VERMILLION;
            r.setSeriesPaint(idx, new Color(col.getRed(), col.getGreen(), col.getBlue(), 170));
            r.setSeriesShape(idx, first ? new Ellipse2D.Double(-3.5, -3.5, 7, 7)
                    : new Rectangle2D.Double(-3, -3, 6, 6));
        }
        NumberAxis x = new NumberAxis("Re λ");
        NumberAxis y = new NumberAxis("Im λ");
        EqualAspectPlot plot = new EqualAspectPlot(ds, x, y, r, extent * 1.08);
        style(plot);
        plot.addAnnotation(new XYShapeAnnotation(new Ellipse2D.Double(-1, -1, 2, 2), DASHED, GREY));
        plot.setDomainZeroBaselineVisible(true);
        plot.setRangeZeroBaselineVisible(true);
        plot.setNoDataMessage("no eigenvalues measured");
        return chart("Eigenvalues of W (dashed: unit circle)", plot, true);
    }

    /** {@link #eigenvalueChart} as SVG. */
    public static String eigenvalueSvg(Spectrum start, Spectrum end, int width, int height) {
        return toSvg(eigenvalueChart(start, end), width, height);
    }

    // ---------------------------------------------------------------- Jacobian norms (analyze)

    /**
     * The Jacobian-product norms ||dh_T/dh_k|| against k on a log axis, one line per sample sequence: a straight
     * falling line towards k = 0 is geometric vanishing, a rising one exploding.
     *
     * @param normsPerSequence {@code normsPerSequence[s][k]} for sequence s, step k
     */
    public static JFreeChart jacobianNormsChart(double[][] normsPerSequence) {
        XYSeriesCollection ds = new XYSeriesCollection();
        XYLineAndShapeRenderer r = lines(BLUE);
        double[] all = new double[0];
        int maxLen = 1;
        for (double[] seq : normsPerSequence) {
            all = concat(all, seq);
            maxLen = Math.max(maxLen, seq.length);
        }
        ValueAxis y = valueAxis("‖∂h_T/∂s_k‖", all, new double[0]);
        boolean log = y instanceof LogAxis;
        for (int s = 0; s < normsPerSequence.length; s++) {
            double[] seq = normsPerSequence[s];
            double[] k = new double[seq.length];
            Arrays.setAll(k, j -> j);
            ds.addSeries(thinned("sequence " + (s + 1), k, seq, log));
            r.setSeriesPaint(s, PALETTE[s % PALETTE.length]);
            r.setSeriesStroke(s, THIN);
        }
        if (maxLen <= 60) {
            r.setDefaultShapesVisible(true);
            for (int s = 0; s < normsPerSequence.length; s++) {
                r.setSeriesShape(s, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
            }
        }
        double[] fit = org.bptt.training.diag.GradientFlowVerdict.fittedCurve(normsPerSequence);
        if (fit.length > 0) {
            double[] k = new double[fit.length];
            Arrays.setAll(k, j -> j);
            int s = ds.getSeriesCount();
            ds.addSeries(thinned(fittedLabel(normsPerSequence), k, fit, log));
            r.setSeriesPaint(s, Color.BLACK);
            r.setSeriesStroke(s, DASHED);
            r.setSeriesShapesVisible(s, false);
        }
        NumberAxis x = new NumberAxis("time step k");
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        XYPlot plot = plot(ds, x, y, r);
        if (log) {
            addLabelled(plot, new ValueMarker(1, GREY, DASHED), "1", TextAnchor.BOTTOM_LEFT);
        }
        return chart("Jacobian-product norms ‖∂h_T/∂s_k‖", plot, normsPerSequence.length <= 10);
    }

    /** The fitted line's legend: "fitted: ×0.744 per step (median of 4 sequences)". */
    static String fittedLabel(double[][] normsPerSequence) {
        return "fitted: ×" + Numbers.fmt(org.bptt.training.diag.GradientFlowVerdict.fitFactor(normsPerSequence)) + " per step"
                + (normsPerSequence.length > 1 ? " (median of " + normsPerSequence.length + " sequences)" : "");
    }

    /** {@link #jacobianNormsChart} as SVG. */
    public static String jacobianNormsSvg(double[][] normsPerSequence, int width, int height) {
        return toSvg(jacobianNormsChart(normsPerSequence), width, height);
    }

    // ---------------------------------------------------------------- output

    /**
     * Renders a chart as a standalone {@code <svg>} element (with a viewBox, so CSS may scale it). Ids inside are
     * unique per call, so several charts can be inlined into one HTML page without their clip paths clashing.
     */
    public static String toSvg(JFreeChart chart, int width, int height) {
        checkSize(width, height);
        long id = SVG_IDS.incrementAndGet();
        SVGGraphics2D g2 = new SVGGraphics2D(width, height);
        g2.setDefsKeyPrefix("c" + id + "_");
        g2.setGeomDoubleConverter(Numbers::svg);
        chart.draw(g2, new Rectangle2D.Double(0, 0, width, height));
        g2.dispose();
        return g2.getSVGElement("chart" + id, true, new ViewBox(0, 0, width, height), null, null);
    }

    /** Saves a chart as a PNG image, atomically (the file is either the old one or the complete new image). */
    public static void writePng(JFreeChart chart, Path file, int width, int height) throws IOException {
        checkSize(width, height);
        AtomicWrite.write(file, "chart image", out -> ChartUtils.writeChartAsPNG(out, chart, width, height));
    }

    private static void checkSize(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("chart size must be positive, got " + width + "x" + height);
        }
    }

    // ---------------------------------------------------------------- helpers

    static JFreeChart chart(String title, XYPlot plot, boolean legend) {
        JFreeChart chart = new JFreeChart(title, new Font(FONT, Font.BOLD, 17), plot, legend);
        // Styled by hand rather than with a ChartTheme: applying a theme resets the series colours chosen above.
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        chart.setPadding(new RectangleInsets(6, 6, 6, 10));
        chart.getTitle().setPaint(new Color(0x222222));
        plot.setOutlinePaint(new Color(0xBBBBBB));
        plot.setDomainGridlinePaint(new Color(0xDDDDDD));
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        for (int i = 0; i < plot.getDomainAxisCount(); i++) {
            styleAxis(plot.getDomainAxis(i));
        }
        for (int i = 0; i < plot.getRangeAxisCount(); i++) {
            styleAxis(plot.getRangeAxis(i));
        }
        LegendTitle l = chart.getLegend();
        if (l != null) {
            l.setFrame(BlockBorder.NONE);
            l.setPosition(RectangleEdge.BOTTOM);
            l.setItemFont(new Font(FONT, Font.PLAIN, 12));
            l.setItemPaint(new Color(0x333333));
            l.setBackgroundPaint(Color.WHITE);
        }
        return chart;
    }

    static XYPlot plot(org.jfree.data.xy.XYDataset ds, ValueAxis x, ValueAxis y,
            org.jfree.chart.renderer.xy.XYItemRenderer r) {
        XYPlot plot = new XYPlot(ds, x, y, r);
        style(plot);
        return plot;
    }

    private static void style(XYPlot plot) {
        plot.setAxisOffset(new RectangleInsets(4, 4, 4, 4));
        plot.setDomainGridlineStroke(THIN);
        plot.setRangeGridlineStroke(THIN);
        plot.setNoDataMessage("no data");
        if (plot.getDomainAxis() instanceof NumberAxis na) {
            na.setAutoRangeIncludesZero(false);
            na.setAutoRangeStickyZero(false); // otherwise points at iteration 0 sit on the axis, half cut off
            na.setLowerMargin(0.015);
            na.setUpperMargin(0.015);
        }
    }

    static void styleAxis(ValueAxis a) {
        if (a == null) {
            return;
        }
        a.setLabelFont(new Font(FONT, Font.PLAIN, 13));
        a.setTickLabelFont(new Font(FONT, Font.PLAIN, 11));
        a.setLabelPaint(new Color(0x333333));
        a.setTickLabelPaint(new Color(0x333333));
    }

    static XYLineAndShapeRenderer lines(Color first) {
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        r.setDrawSeriesLineAsPath(true); // one <path> per series instead of one <line> per segment
        r.setSeriesPaint(0, first);
        r.setDefaultStroke(LINE);
        r.setAutoPopulateSeriesStroke(false);
        return r;
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

    /** Adds a labelled marker line behind the data, so that its label never hides a curve. */
    static void addLabelled(XYPlot plot, ValueMarker m, String label, TextAnchor anchor) {
        m.setLabel(label);
        m.setLabelFont(new Font(FONT, Font.PLAIN, 11));
        m.setLabelPaint(new Color(0x333333));
        m.setLabelAnchor(anchor == TextAnchor.BOTTOM_LEFT ? RectangleAnchor.TOP_LEFT : RectangleAnchor.TOP_RIGHT);
        m.setLabelTextAnchor(anchor);
        m.setLabelOffset(new RectangleInsets(2, 6, 2, 6));
        m.setLabelBackgroundColor(new Color(255, 255, 255, 200));
        plot.addRangeMarker(m, Layer.BACKGROUND);
    }

    /**
     * A y axis fitted to the finite values plus {@code extra} (marker lines that must stay visible): logarithmic
     * when all are positive and they span at least {@link #LOG_WHEN_RATIO}, linear otherwise.
     */
    static ValueAxis valueAxis(String label, double[] values, double[] extra) {
        double[] all = concat(values, nearData(values, extra));
        double[] pos = finiteRange(all, true);
        double[] any = finiteRange(all, false);
        boolean allPositive = pos != null && any != null && any[0] > 0;
        if (allPositive && pos[1] / pos[0] >= LOG_WHEN_RATIO) {
            LogAxis a = new LogAxis(label);
            a.setBase(10);
            a.setSmallestValue(Double.MIN_NORMAL);
            double l0 = Math.max(-MAX_DECADE, Math.log10(pos[0]));
            double l1 = Math.min(MAX_DECADE, Math.log10(pos[1]));
            double pad = (l1 - l0) * 0.05;
            a.setRange(Math.pow(10, Math.max(-MAX_DECADE - 5, l0 - pad)), Math.pow(10, Math.min(MAX_DECADE + 5, l1 + pad)));
            a.setMinorTickMarksVisible(true);
            // Ticks at whole decades only: the default would label fractional powers like 10^-0.2.
            TickUnits decades = new TickUnits();
            for (double u : new double[] {1, 2, 5, 10, 20, 50, 100}) {
                decades.add(new NumberTickUnit(u));
            }
            a.setStandardTickUnits(decades);
            styleAxis(a);
            return a;
        }
        NumberAxis a = new NumberAxis(label);
        a.setAutoRangeIncludesZero(false);
        if (any != null) {
            double pad = any[1] > any[0] ? (any[1] - any[0]) * 0.06 : Math.max(Math.abs(any[0]) * 0.1, 0.1);
            double lo = any[0] - pad;
            if (any[0] >= 0 && lo < 0) {
                lo = 0; // norms and losses are never negative; don't suggest they could be
            }
            a.setRange(lo, any[1] + pad);
        }
        styleAxis(a);
        return a;
    }

    /** The markers within {@link #MARKER_REACH} of the data's finite range (all of them when there is no data). */
    static double[] nearData(double[] values, double[] extra) {
        double[] data = finiteRange(values, false);
        if (data == null) {
            return extra;
        }
        double scale = Math.max(Math.max(Math.abs(data[0]), Math.abs(data[1])), Double.MIN_NORMAL);
        double[] pos = finiteRange(values, true);
        return java.util.Arrays.stream(extra).filter(e -> Double.isFinite(e) && Math.abs(e) <= scale * MARKER_REACH
                && (pos == null || e <= 0 || e >= pos[0] / MARKER_REACH)).toArray();
    }

    /** [min, max] of the finite (and, if asked, positive) values, or null when there are none. */
    static double[] finiteRange(double[] v, boolean positiveOnly) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double d : v) {
            if (Double.isFinite(d) && (!positiveOnly || d > 0)) {
                lo = Math.min(lo, d);
                hi = Math.max(hi, d);
            }
        }
        return lo <= hi ? new double[] {lo, hi} : null;
    }

    static double[] concat(double[] a, double[] b) {
        double[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /**
     * The drawable points of one line (finite, and positive on a log axis), thinned to {@link #MAX_LINE_POINTS} by
     * keeping the minimum and maximum of each bucket in x order.
     */
    static XYSeries thinned(String key, double[] x, double[] y, boolean log) {
        XYSeries s = new XYSeries(key, false, true);
        int[] keep = new int[x.length];
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(y[i]) && (!log || y[i] > 0)) {
                keep[n++] = i;
            }
        }
        if (n <= MAX_LINE_POINTS) {
            for (int j = 0; j < n; j++) {
                s.add(x[keep[j]], y[keep[j]], false);
            }
            return s;
        }
        int buckets = MAX_LINE_POINTS / 2;
        for (int b = 0; b < buckets; b++) {
            int from = (int) ((long) b * n / buckets);
            int to = (int) ((long) (b + 1) * n / buckets);
            int iMin = keep[from];
            int iMax = keep[from];
            for (int j = from; j < to; j++) {
                int i = keep[j];
                if (y[i] < y[iMin]) {
                    iMin = i;
                }
                if (y[i] > y[iMax]) {
                    iMax = i;
                }
            }
            int a = Math.min(iMin, iMax);
            int c = Math.max(iMin, iMax);
            s.add(x[a], y[a], false);
            if (c != a) {
                s.add(x[c], y[c], false);
            }
        }
        return s;
    }

    /**
     * The height of a heatmap row: the usual spacing of the snapshots' iterations (the median gap),
     * or the largest gap when it is at most twice that (thinned snapshots alternate between two
     * spacings, and rows one gap high would leave stripes), so that rows touch.
     */
    private static double typicalGap(List<GradientFlowSnapshot> flow) {
        long[] it = flow.stream().mapToLong(GradientFlowSnapshot::iteration).sorted().distinct().toArray();
        if (it.length < 2) {
            return 1;
        }
        long[] gaps = new long[it.length - 1];
        for (int i = 1; i < it.length; i++) {
            gaps[i - 1] = it[i] - it[i - 1];
        }
        Arrays.sort(gaps);
        long median = Math.max(1, gaps[gaps.length / 2]);
        long max = gaps[gaps.length - 1];
        return max <= 2 * median ? max : median;
    }

    /** At most {@code max} elements of {@code list}, evenly spaced, always including the first and the last. */
    static <T> List<T> evenlySpaced(List<T> list, int max) {
        if (list.size() <= max) {
            return list;
        }
        List<T> out = new ArrayList<>(max);
        for (int i = 0; i < max; i++) {
            out.add(list.get((int) Math.round((double) i * (list.size() - 1) / (max - 1))));
        }
        return out;
    }

    /**
     * Fills each block once, centred on its (x, y) and enlarged by half a pixel so anti-aliased neighbours overlap
     * without seams. XYBlockRenderer also strokes every block's outline, doubling the SVG for nothing.
     */
    static final class HeatmapRenderer extends XYBlockRenderer {
        private static final long serialVersionUID = 1L;

        HeatmapRenderer(double blockWidth, double blockHeight) {
            setBlockWidth(blockWidth);
            setBlockHeight(blockHeight);
            setBlockAnchor(RectangleAnchor.CENTER);
        }

        @Override
        public void drawItem(Graphics2D g2, XYItemRendererState state, Rectangle2D dataArea,
                PlotRenderingInfo info, XYPlot plot, ValueAxis domainAxis, ValueAxis rangeAxis, XYDataset dataset,
                int series, int item, CrosshairState crosshairState, int pass) {
            double x = dataset.getXValue(series, item);
            double y = dataset.getYValue(series, item);
            double z = ((XYZDataset) dataset).getZValue(series, item);
            double hw = getBlockWidth() / 2;
            double hh = getBlockHeight() / 2;
            double x0 = domainAxis.valueToJava2D(x - hw, dataArea, plot.getDomainAxisEdge());
            double x1 = domainAxis.valueToJava2D(x + hw, dataArea, plot.getDomainAxisEdge());
            double y0 = rangeAxis.valueToJava2D(y - hh, dataArea, plot.getRangeAxisEdge());
            double y1 = rangeAxis.valueToJava2D(y + hh, dataArea, plot.getRangeAxisEdge());
            g2.setPaint(getPaintScale().getPaint(z));
            g2.fill(new Rectangle2D.Double(Math.min(x0, x1) - 0.25, Math.min(y0, y1) - 0.25,
                    Math.abs(x1 - x0) + 0.5, Math.abs(y1 - y0) + 0.5));
        }
    }

    /**
     * The heatmap's fixed diverging scale (ColorBrewer RdBu, readable with the common colour-vision
     * deficiencies): −{@value #FLOW_DECADES} decades dark blue, 0 white, +{@value #FLOW_DECADES}
     * dark red, interpolated between eleven anchors; values beyond clamp; NaN and +∞ get
     * {@link #NON_FINITE}, −∞ (a norm of 0) the darkest blue.
     */
    static final class FlowScale implements PaintScale {
        static final int[] ANCHORS = {0x053061, 0x2166AC, 0x4393C3, 0x92C5DE, 0xD1E5F0, 0xF7F7F7, 0xFDDBC7, 0xF4A582,
                0xD6604D, 0xB2182B, 0x67001F};

        @Override
        public double getLowerBound() {
            return -FLOW_DECADES;
        }

        @Override
        public double getUpperBound() {
            return FLOW_DECADES;
        }

        @Override
        public Paint getPaint(double value) {
            if (Double.isNaN(value) || value == Double.POSITIVE_INFINITY) {
                return NON_FINITE;
            }
            double t = (value + FLOW_DECADES) / (2 * FLOW_DECADES);
            t = Math.max(0, Math.min(1, t)) * (ANCHORS.length - 1);
            int i = Math.min((int) t, ANCHORS.length - 2);
            double f = t - i;
            Color a = new Color(ANCHORS[i]);
            Color b = new Color(ANCHORS[i + 1]);
            return new Color(mix(a.getRed(), b.getRed(), f), mix(a.getGreen(), b.getGreen(), f),
                    mix(a.getBlue(), b.getBlue(), f));
        }

        private static int mix(int a, int b, double f) {
            return (int) Math.round(a + (b - a) * f);
        }
    }

    /**
     * An XY plot whose two axes get the same scale (units per pixel), centred on 0, so that the unit circle is drawn
     * as a circle whatever the chart's size. JFreeChart has no such option; the ranges are set just before drawing,
     * once the data area is known.
     */
    static final class EqualAspectPlot extends XYPlot {
        private static final long serialVersionUID = 1L;
        private final double halfExtent;

        EqualAspectPlot(org.jfree.data.xy.XYDataset ds, NumberAxis x, NumberAxis y,
                org.jfree.chart.renderer.xy.XYItemRenderer r, double halfExtent) {
            super(ds, x, y, r);
            this.halfExtent = halfExtent;
        }

        @Override
        public void draw(Graphics2D g2, Rectangle2D area, Point2D anchor, PlotState parentState,
                PlotRenderingInfo info) {
            // Mirror XYPlot.draw's layout to find the data area; twice, since tick labels depend on the ranges.
            for (int pass = 0; pass < 2; pass++) {
                Rectangle2D a = (Rectangle2D) area.clone();
                getInsets().trim(a);
                AxisSpace space = calculateAxisSpace(g2, a);
                Rectangle2D data = space.shrink(a, null);
                getAxisOffset().trim(data);
                if (data.getWidth() <= 0 || data.getHeight() <= 0) {
                    break;
                }
                double perPixel = 2 * halfExtent / Math.min(data.getWidth(), data.getHeight());
                double hx = perPixel * data.getWidth() / 2;
                double hy = perPixel * data.getHeight() / 2;
                ((NumberAxis) getDomainAxis()).setRange(new Range(-hx, hx), true, false);
                ((NumberAxis) getRangeAxis()).setRange(new Range(-hy, hy), true, false);
            }
            super.draw(g2, area, anchor, parentState, info);
        }
    }
}
