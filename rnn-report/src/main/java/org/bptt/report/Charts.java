package org.bptt.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.TickUnits;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.Range;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

/**
 * What every chart of the pages shares: the colours and strokes, the chart and plot styling, axes
 * fitted to the data (logarithmic when it spans two decades), thinning and smoothing of long lines,
 * the end-of-run mark, and the output as inline SVG ({@link #toSvg}) or PNG ({@link #writePng}).
 * Each chart is a class of its own that builds a {@link JFreeChart}: {@link LossChart}, {@link
 * EvaluationChart}, {@link GradientNormChart}, {@code ClippingChart}, {@link SpectralChart}, {@link
 * GradientFlowChart}, {@link EigenvalueChart}, {@link JacobianNormsChart}, {@code LayerCharts}.
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
    static final Color[] PALETTE = {
        BLUE, VERMILLION, GREEN, ORANGE, PURPLE, SKY, Color.BLACK, new Color(0xF0E442).darker()
    };

    private static final String FONT = Font.SANS_SERIF; // JFreeSVG writes it as the generic "sans-serif"
    static final BasicStroke LINE = new BasicStroke(1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    static final BasicStroke THIN = new BasicStroke(1.0f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    static final BasicStroke DASHED =
            new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);

    private static final AtomicLong SVG_IDS = new AtomicLong();

    static {
        // Rotated labels (every y axis) as SVG text, not glyph outlines: a browser, a search or a screen reader reads
        // them.
        org.jfree.chart.text.TextUtils.setUseDrawRotatedStringWorkaround(false);
    }

    private Charts() {}

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
    static void widen(XYPlot plot, EndMark end) {
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
    static int smoothedPair(
            XYSeriesCollection ds,
            XYLineAndShapeRenderer r,
            int at,
            String key,
            double[] x,
            double[] y,
            boolean log,
            Color c) {
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

    /** Points (x, y) in order as a series, the finite (and on a log axis positive) ones. */
    static XYSeries points(String key, List<double[]> xy, boolean log) {
        XYSeries s = new XYSeries(key, false, true);
        for (double[] p : xy) {
            if (Double.isFinite(p[1]) && (!log || p[1] > 0)) {
                s.add(p[0], p[1], false);
            }
        }
        return s;
    }

    /** How a chart's main value axis is scaled, in words for its caption, read from the chart itself: "log scale" or "linear scale". */
    public static String scaleWords(JFreeChart chart) {
        org.jfree.chart.plot.Plot p = chart.getPlot();
        // A combined plot is an XYPlot too, with no range axis of its own: its first panel's axis is the main one.
        XYPlot xy = p instanceof org.jfree.chart.plot.CombinedDomainXYPlot c
                ? (XYPlot) c.getSubplots().get(0)
                : p instanceof XYPlot x ? x : null;
        return xy != null && xy.getRangeAxis() instanceof LogAxis ? "log scale" : "linear scale";
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

    static XYPlot plot(
            org.jfree.data.xy.XYDataset ds, ValueAxis x, ValueAxis y, org.jfree.chart.renderer.xy.XYItemRenderer r) {
        XYPlot plot = new XYPlot(ds, x, y, r);
        style(plot);
        return plot;
    }

    static void style(XYPlot plot) {
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
            a.setRange(
                    Math.pow(10, Math.max(-MAX_DECADE - 5, l0 - pad)),
                    Math.pow(10, Math.min(MAX_DECADE + 5, l1 + pad)));
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
        return java.util.Arrays.stream(extra)
                .filter(e -> Double.isFinite(e)
                        && Math.abs(e) <= scale * MARKER_REACH
                        && (pos == null || e <= 0 || e >= pos[0] / MARKER_REACH))
                .toArray();
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
}
