package org.bptt.report;

import static org.bptt.report.Charts.BLUE;
import static org.bptt.report.Charts.DASHED;
import static org.bptt.report.Charts.GREY;
import static org.bptt.report.Charts.PALETTE;
import static org.bptt.report.Charts.THIN;
import static org.bptt.report.Charts.addLabelled;
import static org.bptt.report.Charts.chart;
import static org.bptt.report.Charts.concat;
import static org.bptt.report.Charts.lines;
import static org.bptt.report.Charts.plot;
import static org.bptt.report.Charts.thinned;
import static org.bptt.report.Charts.toSvg;
import static org.bptt.report.Charts.valueAxis;

import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.util.Arrays;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeriesCollection;

/** The Jacobian-product norms ‖∂h_T/∂s_k‖ against k, one line per sample sequence, with the fitted factor per step. */
public final class JacobianNormsChart {

    private JacobianNormsChart() {}

    /**
     * The Jacobian-product norms ||dh_T/dh_k|| against k on a log axis, one line per sample sequence: a straight
     * falling line towards k = 0 is geometric vanishing, a rising one exploding.
     *
     * @param normsPerSequence {@code normsPerSequence[s][k]} for sequence s, step k
     */
    public static JFreeChart of(double[][] normsPerSequence) {
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
        return "fitted: ×" + Numbers.fmt(org.bptt.training.diag.GradientFlowVerdict.fitFactor(normsPerSequence))
                + " per step"
                + (normsPerSequence.length > 1 ? " (median of " + normsPerSequence.length + " sequences)" : "");
    }

    /** {@link #of} as SVG. */
    public static String svg(double[][] normsPerSequence, int width, int height) {
        return toSvg(of(normsPerSequence), width, height);
    }
}
