package org.bptt.report;

import static org.bptt.report.Charts.BLUE;
import static org.bptt.report.Charts.DASHED;
import static org.bptt.report.Charts.GREY;
import static org.bptt.report.Charts.VERMILLION;
import static org.bptt.report.Charts.chart;
import static org.bptt.report.Charts.style;
import static org.bptt.report.Charts.toSvg;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import org.bptt.training.diag.Spectrum;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYShapeAnnotation;
import org.jfree.chart.axis.AxisSpace;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.PlotState;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.Range;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The eigenvalues of W in the complex plane against the unit circle, on equal scales. */
public final class EigenvalueChart {

    private EigenvalueChart() {}

    /**
     * The eigenvalues of W in the complex plane against the unit circle, before (blue circles) and after (vermillion
     * squares) training, with equal scales on both axes so the circle stays round. Either spectrum may be null.
     */
    public static JFreeChart of(Spectrum start, Spectrum end) {
        return eigenvalues(new Spectrum[] {start, end}, new String[] {"start", "end"});
    }

    /** The eigenvalues of one matrix W (e.g. for {@code analyze}) against the unit circle, equal scales. */
    public static JFreeChart of(Spectrum w) {
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
            r.setSeriesShape(
                    idx, first ? new Ellipse2D.Double(-3.5, -3.5, 7, 7) : new Rectangle2D.Double(-3, -3, 6, 6));
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

    /** {@link #of} as SVG. */
    public static String svg(Spectrum start, Spectrum end, int width, int height) {
        return toSvg(of(start, end), width, height);
    }

    /**
     * An XY plot whose two axes get the same scale (units per pixel), centred on 0, so that the unit circle is drawn
     * as a circle whatever the chart's size. JFreeChart has no such option; the ranges are set just before drawing,
     * once the data area is known.
     */
    static final class EqualAspectPlot extends XYPlot {
        private static final long serialVersionUID = 1L;
        private final double halfExtent;

        EqualAspectPlot(
                org.jfree.data.xy.XYDataset ds,
                NumberAxis x,
                NumberAxis y,
                org.jfree.chart.renderer.xy.XYItemRenderer r,
                double halfExtent) {
            super(ds, x, y, r);
            this.halfExtent = halfExtent;
        }

        @Override
        public void draw(
                Graphics2D g2, Rectangle2D area, Point2D anchor, PlotState parentState, PlotRenderingInfo info) {
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
