package org.bptt.report;

import static org.bptt.report.Charts.BLUE;
import static org.bptt.report.Charts.DASHED;
import static org.bptt.report.Charts.ORANGE;
import static org.bptt.report.Charts.addLabelled;
import static org.bptt.report.Charts.chart;
import static org.bptt.report.Charts.concat;
import static org.bptt.report.Charts.finiteRange;
import static org.bptt.report.Charts.lines;
import static org.bptt.report.Charts.mark;
import static org.bptt.report.Charts.plot;
import static org.bptt.report.Charts.thinned;
import static org.bptt.report.Charts.toSvg;

import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.util.List;
import org.bptt.report.Charts.EndMark;
import org.bptt.training.IterationMetrics;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeriesCollection;

/** The spectral radius and spectral norm of the recurrent matrix W over training. */
public final class SpectralChart {

    private SpectralChart() {}

    /** {@link #of(List, EndMark)} without end mark. */
    public static JFreeChart of(List<IterationMetrics> metrics) {
        return of(metrics, null);
    }

    /**
     * The spectral radius ρ(W) and spectral norm ‖W‖₂ of the recurrent matrix over training, from the
     * iterations that measured them (each before its update, so the first point is the initial W),
     * with a line at 1. ρ(W) &gt; 1 is necessary for gradients to grow through time, not sufficient:
     * the measured gradient flow decides.
     */
    public static JFreeChart of(List<IterationMetrics> metrics, EndMark end) {
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

    /** {@link #of} as SVG. */
    public static String svg(List<IterationMetrics> metrics, int width, int height) {
        return toSvg(of(metrics), width, height);
    }
}
