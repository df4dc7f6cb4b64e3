package org.bptt.report;

import java.awt.Font;
import java.util.List;
import java.util.Locale;
import org.bptt.training.IterationMetrics;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Clipping on screen: the global gradient norm before and after the gradient policy, with the
 * policy's own threshold, above the share of updates it clipped over training. Two panels on one
 * iteration axis, because a norm and a share are different quantities and never share an axis.
 */
final class ClippingChart {
    static final String TITLE = "Clipping: the gradient norm before and after the policy";
    static final String NORM_AXIS = "‖∇L‖ (global L2 norm)";
    static final String SHARE_AXIS = "clipped updates (share)";

    private ClippingChart() {}

    /**
     * @param threshold the norm the policy lets through ({@code GradientPolicy.normThreshold()}), NaN for none
     * @param end       where the run stopped early, or null
     */
    static JFreeChart of(List<IterationMetrics> metrics, double threshold, Charts.EndMark end) {
        int n = metrics.size();
        double[] x = new double[n];
        double[] before = new double[n];
        double[] after = new double[n];
        double[] clipped = new double[n];
        for (int i = 0; i < n; i++) {
            IterationMetrics m = metrics.get(i);
            x[i] = m.iteration();
            before[i] = m.gradNormBefore();
            after[i] = m.gradNormAfter();
            clipped[i] = m.clipped() ? 1 : 0;
        }
        double[] extra = Double.isFinite(threshold) ? new double[] {threshold} : new double[0];
        ValueAxis y = Charts.valueAxis(NORM_AXIS, Charts.concat(before, after), extra);
        boolean log = y instanceof LogAxis;
        XYSeriesCollection norms = new XYSeriesCollection();
        norms.addSeries(Charts.thinned("‖∇L‖ before clipping", x, before, log));
        norms.addSeries(Charts.thinned("‖∇L‖ after clipping (what the optimizer got)", x, after, log));
        XYLineAndShapeRenderer r = Charts.lines(Charts.BLUE);
        r.setSeriesStroke(0, Charts.THIN);
        r.setSeriesPaint(1, Charts.GREEN);
        XYPlot top = Charts.plot(norms, new NumberAxis("iteration"), y, r);
        if (Double.isFinite(threshold) && (!log || threshold > 0)) {
            Charts.addLabelled(
                    top,
                    new ValueMarker(threshold, Charts.VERMILLION, Charts.DASHED),
                    "threshold " + Numbers.fmt(threshold),
                    TextAnchor.BOTTOM_RIGHT);
        }
        NumberAxis share = new NumberAxis(SHARE_AXIS);
        share.setRange(0, 1.05);
        share.setNumberFormatOverride(java.text.NumberFormat.getPercentInstance(Locale.ROOT));
        XYSeriesCollection rate = new XYSeriesCollection(Charts.thinned(
                "share of updates clipped (moving average)", x, Charts.smooth(clipped, shareWeight(n), false), false));
        XYPlot bottom = Charts.plot(rate, new NumberAxis("iteration"), share, Charts.lines(Charts.VERMILLION));
        NumberAxis iterations = new NumberAxis("iteration");
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(iterations);
        plot.setGap(12);
        plot.add(top, 3);
        plot.add(bottom, 1);
        Charts.mark(top, end);
        JFreeChart chart = Charts.chart(TITLE, plot, true);
        for (XYPlot p : List.of(top, bottom)) {
            Charts.styleAxis(p.getRangeAxis());
        }
        Charts.styleAxis(iterations);
        chart.getLegend().setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        return chart;
    }

    /** The share is a moving average over about 1% of the run, and never over fewer than about ten updates. */
    static double shareWeight(int n) {
        return Math.max(Charts.smoothingWeight(n), 0.9);
    }

    /** The caption, from the chart's own axis and the threshold it draws. */
    static String caption(JFreeChart chart, double threshold, int iterations) {
        double w = shareWeight(iterations);
        return String.format(
                Locale.ROOT,
                "Global gradient norm before (blue) and after (green) the gradient policy, %s%s. "
                        + "Below: the share of updates the policy clipped, a moving average over about %.0f iterations (0 to 100%%). "
                        + "Where blue stays above the threshold the optimizer sees only the threshold's length: the step's direction "
                        + "survives, its size does not.",
                Charts.scaleWords(chart),
                Double.isFinite(threshold) ? "; dashed: the policy's threshold " + Numbers.fmt(threshold) : "",
                1 / (1 - w));
    }
}
