package org.bptt.study;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.TickUnits;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/** The charts of study pages, as JFreeChart charts (rnn-report's {@code Charts.toSvg} draws them). */
public final class StudyCharts {
    /** Okabe–Ito colours, distinguishable by most colour-blind readers; they repeat after eight. */
    static final Color[] PALETTE = {
        new Color(0x0072B2),
        new Color(0xD55E00),
        new Color(0x009E73),
        new Color(0xE69F00),
        new Color(0xCC79A7),
        new Color(0x56B4E9),
        Color.BLACK,
        new Color(0xF0E442)
    };

    private static final String FONT = Font.SANS_SERIF;
    private static final BasicStroke LINE = new BasicStroke(1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    private static final BasicStroke THIN = new BasicStroke(1.0f);

    private StudyCharts() {}

    public static Color color(int i) {
        return PALETTE[Math.floorMod(i, PALETTE.length)];
    }

    /** The width of the whiskers' stroke: a width no other line of these charts has, so a page test can find them. */
    public static final float WHISKER_WIDTH = 1.25f;

    /**
     * A metric against the values of one setting: one line per series (a combination of the other
     * settings), a point per value at the mean over seeds with a whisker of ± one standard
     * deviation, cut at the ends of the quantity's range (a loss's whisker stops at 0, a rate's at
     * 0 and 1). Series are set slightly apart along x so that their whiskers do not overlap.
     *
     * @param values   the setting's values, in order (the x axis)
     * @param series   series name → per value: {mean, sd} (NaN mean: no point)
     * @param quantity the metric's range
     */
    public static JFreeChart byValue(
            String title,
            String setting,
            String metric,
            List<String> values,
            Map<String, double[][]> series,
            Quantity quantity) {
        YIntervalSeriesCollection ds = new YIntervalSeriesCollection();
        int k = 0;
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            YIntervalSeries s = new YIntervalSeries(e.getKey(), false, true);
            double shift = series.size() == 1
                    ? 0
                    : 0.12 * (k - (series.size() - 1) / 2.0) / Math.max(1, series.size() - 1) * 2;
            for (int i = 0; i < values.size(); i++) {
                double[] p = e.getValue()[i];
                if (!Double.isNaN(p[0])) {
                    double sd = Double.isNaN(p[1]) ? 0 : p[1];
                    s.add(i + shift, p[0], quantity.clip(p[0] - sd), quantity.clip(p[0] + sd));
                }
            }
            ds.addSeries(s);
            k++;
        }
        SymbolAxis x = new SymbolAxis(setting, values.toArray(String[]::new));
        x.setGridBandsVisible(false);
        x.setRange(-0.5, values.size() - 0.5);
        if (values.stream().mapToInt(String::length).sum() > 60) {
            x.setVerticalTickLabels(true);
        }
        NumberAxis y = new NumberAxis(metric);
        y.setAutoRangeIncludesZero(false);
        XYErrorRenderer r = new XYErrorRenderer();
        r.setDrawXError(false);
        r.setDrawYError(true);
        r.setDefaultLinesVisible(true);
        r.setDefaultShapesVisible(true);
        r.setErrorStroke(new BasicStroke(WHISKER_WIDTH));
        r.setCapLength(8);
        r.setDefaultStroke(LINE);
        r.setAutoPopulateSeriesStroke(false);
        for (int i = 0; i < series.size(); i++) {
            r.setSeriesPaint(i, color(i));
        }
        XYPlot plot = new XYPlot(ds, x, y, r);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        plot.setRangeGridlineStroke(THIN);
        plot.setOutlinePaint(new Color(0xBBBBBB));
        plot.setNoDataMessage("no finished run");
        JFreeChart chart = new JFreeChart(title, new Font(FONT, Font.BOLD, 15), plot, true);
        if (quantity == Quantity.RATE) {
            y.setRange(-0.02, 1.02);
        }
        return style(chart, x, y);
    }

    /**
     * Seed-averaged curves: per setting, the mean over its seeds as a line and the band from the
     * lowest to the highest seed shaded in the line's colour (dashed past the eighth colour, dotted
     * past the sixteenth); a log y axis when the means span more than two decades.
     *
     * @param bands label (the setting and how many seeds) → its averaged points
     */
    public static JFreeChart bands(
            String title, String xLabel, String yLabel, Map<String, List<SeedBand.Point>> bands) {
        YIntervalSeriesCollection ds = new YIntervalSeriesCollection();
        // Log when the means span two decades; the axis then reaches the bands' ends as well.
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        double meanLo = Double.POSITIVE_INFINITY;
        double meanHi = 0;
        for (List<SeedBand.Point> b : bands.values()) {
            for (SeedBand.Point p : b) {
                if (Double.isFinite(p.low()) && p.low() > 0) {
                    lo = Math.min(lo, p.low());
                }
                if (Double.isFinite(p.high())) {
                    hi = Math.max(hi, p.high());
                }
                if (Double.isFinite(p.mean()) && p.mean() > 0) {
                    meanLo = Math.min(meanLo, p.mean());
                    meanHi = Math.max(meanHi, p.mean());
                }
            }
        }
        boolean log = meanHi > 0 && meanHi / meanLo > 100;
        DeviationRenderer r = new DeviationRenderer(true, false);
        r.setAlpha(0.18f);
        r.setDefaultStroke(LINE);
        r.setAutoPopulateSeriesStroke(false);
        int i = 0;
        for (Map.Entry<String, List<SeedBand.Point>> e : bands.entrySet()) {
            YIntervalSeries s = new YIntervalSeries(e.getKey(), false, true);
            for (SeedBand.Point p : e.getValue()) {
                boolean shown = Double.isFinite(p.mean()) && (!log || p.low() > 0);
                if (shown) {
                    s.add(p.x(), p.mean(), p.low(), p.high());
                }
            }
            ds.addSeries(s);
            r.setSeriesPaint(i, color(i));
            r.setSeriesFillPaint(i, color(i));
            // Past the eight colours, dashes tell the settings apart.
            r.setSeriesStroke(
                    i,
                    i < PALETTE.length
                            ? LINE
                            : new BasicStroke(
                                    1.6f,
                                    BasicStroke.CAP_BUTT,
                                    BasicStroke.JOIN_ROUND,
                                    10f,
                                    i < 2 * PALETTE.length ? new float[] {7f, 4f} : new float[] {2f, 3f},
                                    0f));
            i++;
        }
        NumberAxis x = new NumberAxis(xLabel);
        x.setAutoRangeIncludesZero(false);
        ValueAxis y;
        if (log) {
            y = logAxis(yLabel, lo, hi);
        } else {
            NumberAxis na = new NumberAxis(yLabel);
            na.setAutoRangeIncludesZero(false);
            y = na;
        }
        XYPlot plot = new XYPlot(ds, x, y, r);
        plot.setDomainGridlinePaint(new Color(0xDDDDDD));
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        plot.setOutlinePaint(new Color(0xBBBBBB));
        plot.setNoDataMessage("no data");
        JFreeChart chart = new JFreeChart(title, new Font(FONT, Font.BOLD, 15), plot, true);
        return style(chart, x, y);
    }

    /**
     * One bar per category, on a 0-to-{@code max} axis (taller when a bar is: a bar is never cut
     * off), with a legend naming the quantity.
     */
    public static JFreeChart bars(
            String title,
            String categoryLabel,
            String valueLabel,
            List<String> categories,
            double[] values,
            double max) {
        org.jfree.data.category.DefaultCategoryDataset ds = new org.jfree.data.category.DefaultCategoryDataset();
        for (int i = 0; i < categories.size(); i++) {
            ds.addValue(values[i], valueLabel, categories.get(i));
        }
        CategoryAxis x = new CategoryAxis(categoryLabel);
        NumberAxis y = new NumberAxis(valueLabel);
        double highest =
                java.util.Arrays.stream(values).filter(Double::isFinite).max().orElse(0);
        y.setRange(0, highest > max ? highest * 1.05 : max);
        org.jfree.chart.renderer.category.BarRenderer r = new org.jfree.chart.renderer.category.BarRenderer();
        r.setBarPainter(new org.jfree.chart.renderer.category.StandardBarPainter());
        r.setShadowVisible(false);
        r.setMaximumBarWidth(0.2);
        r.setSeriesPaint(0, color(0));
        CategoryPlot plot = new CategoryPlot(ds, x, y, r);
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        plot.setOutlinePaint(new Color(0xBBBBBB));
        JFreeChart chart = new JFreeChart(title, new Font(FONT, Font.BOLD, 15), plot, true);
        return style(chart, x, y);
    }

    /**
     * Points (x, y) per series, with an optional reference line y = x drawn dashed.
     *
     * @param series name → points {x, y}
     */
    public static JFreeChart scatter(
            String title, String xLabel, String yLabel, Map<String, List<double[]>> series, boolean identityLine) {
        XYSeriesCollection ds = new XYSeriesCollection();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        int i = 0;
        for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
            XYSeries s = new XYSeries(e.getKey(), false, true);
            for (double[] p : e.getValue()) {
                if (Double.isFinite(p[0]) && Double.isFinite(p[1])) {
                    s.add(p[0], p[1]);
                    lo = Math.min(lo, p[0]);
                    hi = Math.max(hi, p[0]);
                }
            }
            ds.addSeries(s);
            r.setSeriesPaint(i, color(i));
            r.setSeriesShape(i, new java.awt.geom.Ellipse2D.Double(-4, -4, 8, 8));
            i++;
        }
        if (identityLine && lo < hi) {
            XYSeries id = new XYSeries("slope = ln ρ (the lecture's λ₀^(T−k))", false, true);
            id.add(lo, lo);
            id.add(hi, hi);
            ds.addSeries(id);
            r.setSeriesLinesVisible(i, true);
            r.setSeriesShapesVisible(i, false);
            r.setSeriesPaint(i, new Color(0x666666));
            r.setSeriesStroke(
                    i,
                    new BasicStroke(1.4f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        }
        NumberAxis x = new NumberAxis(xLabel);
        x.setAutoRangeIncludesZero(false);
        NumberAxis y = new NumberAxis(yLabel);
        y.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(ds, x, y, r);
        plot.setDomainGridlinePaint(new Color(0xDDDDDD));
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        plot.setOutlinePaint(new Color(0xBBBBBB));
        JFreeChart chart = new JFreeChart(title, new Font(FONT, Font.BOLD, 15), plot, true);
        return style(chart, x, y);
    }

    /** A log axis from lo to hi with ticks at whole decades only (the default labels fractional powers like 10^-0.2). */
    private static LogAxis logAxis(String label, double lo, double hi) {
        LogAxis a = new LogAxis(label);
        a.setBase(10);
        a.setSmallestValue(lo / 2);
        double l0 = Math.log10(lo);
        double l1 = Math.log10(hi);
        double pad = (l1 - l0) * 0.05;
        a.setRange(Math.pow(10, l0 - pad), Math.pow(10, l1 + pad));
        a.setMinorTickMarksVisible(true);
        TickUnits decades = new TickUnits();
        for (double u : new double[] {1, 2, 5, 10, 20, 50, 100}) {
            decades.add(new NumberTickUnit(u));
        }
        a.setStandardTickUnits(decades);
        return a;
    }

    private static JFreeChart style(JFreeChart chart, org.jfree.chart.axis.Axis x, org.jfree.chart.axis.Axis y) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(6, 6, 6, 10));
        chart.getTitle().setPaint(new Color(0x222222));
        for (org.jfree.chart.axis.Axis a : new org.jfree.chart.axis.Axis[] {x, y}) {
            a.setLabelFont(new Font(FONT, Font.PLAIN, 13));
            a.setTickLabelFont(new Font(FONT, Font.PLAIN, 11));
            a.setLabelPaint(new Color(0x333333));
            a.setTickLabelPaint(new Color(0x333333));
        }
        LegendTitle l = chart.getLegend();
        if (l != null) {
            l.setFrame(BlockBorder.NONE);
            l.setPosition(RectangleEdge.BOTTOM);
            l.setItemFont(new Font(FONT, Font.PLAIN, 12));
            l.setBackgroundPaint(Color.WHITE);
        }
        return chart;
    }
}
