package org.bptt.report;

import static org.bptt.report.Charts.BLUE;
import static org.bptt.report.Charts.DASHED;
import static org.bptt.report.Charts.GREEN;
import static org.bptt.report.Charts.GREY;
import static org.bptt.report.Charts.LINE;
import static org.bptt.report.Charts.VERMILLION;
import static org.bptt.report.Charts.addLabelled;
import static org.bptt.report.Charts.chart;
import static org.bptt.report.Charts.concat;
import static org.bptt.report.Charts.lines;
import static org.bptt.report.Charts.mark;
import static org.bptt.report.Charts.points;
import static org.bptt.report.Charts.smoothedPair;
import static org.bptt.report.Charts.style;
import static org.bptt.report.Charts.styleAxis;
import static org.bptt.report.Charts.toSvg;
import static org.bptt.report.Charts.valueAxis;
import static org.bptt.report.Charts.widen;

import java.awt.geom.Ellipse2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bptt.report.Charts.EndMark;
import org.bptt.training.IterationMetrics;
import org.bptt.training.run.Evaluation;
import org.bptt.training.run.RunSummary;
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
 * Training loss over iterations (raw and smoothed), the task's baseline, held-out losses, and the
 * accuracy in a panel of its own when the task reports one.
 */
public final class LossChart {

    private LossChart() {}

    /** {@link #of(List, double, List, EndMark)} without evaluations or end mark. */
    public static JFreeChart of(List<IterationMetrics> metrics, double baselineLoss) {
        return of(metrics, baselineLoss, List.of(), null);
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
    public static JFreeChart of(
            List<IterationMetrics> metrics, double baselineLoss, List<Evaluation> evaluations, EndMark end) {
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
            addLabelled(
                    lossPlot,
                    new ValueMarker(baselineLoss, GREY, DASHED),
                    "baseline " + RunSummary.loss(baselineLoss),
                    TextAnchor.BOTTOM_RIGHT);
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

    /** {@link #of} as SVG. */
    public static String svg(List<IterationMetrics> metrics, double baselineLoss, int width, int height) {
        return toSvg(of(metrics, baselineLoss), width, height);
    }
}
