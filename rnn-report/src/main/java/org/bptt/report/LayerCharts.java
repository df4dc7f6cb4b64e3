package org.bptt.report;

import java.awt.geom.Ellipse2D;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bptt.training.run.LayerSnapshot;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The per-layer charts of a stacked or bidirectional network: each layer's gradient flow
 * ‖∂L/∂h_k‖ at the last diagnostic iteration, and ρ(W) of each layer (and direction) that has a
 * single square recurrent matrix, over training. One series per layer, in the layers' order.
 */
public final class LayerCharts {

    private LayerCharts() {}

    /** A chart with its caption. */
    public record Figure(String svg, String caption) {}

    /** The figures for a report; none for a network of one layer and direction (nothing was recorded). */
    public static List<Figure> figures(List<LayerSnapshot> layers, Charts.EndMark end, int width, int height) {
        if (layers.isEmpty()) {
            return List.of();
        }
        List<Figure> out = new ArrayList<>();
        LayerSnapshot last = layers.get(layers.size() - 1);
        out.add(new Figure(
                Charts.toSvg(flowChart(last), width, height),
                "Gradient flow ‖∂L/∂h_k‖ of each layer at iteration " + last.iteration() + " (both directions of a "
                        + "bidirectional layer in one norm; log scale when it spans two decades). Each layer's gradient comes "
                        + "from the readout through the layers above it: a lower layer whose line falls far below the top "
                        + "one's learns little. The verdict above is the whole stack's."));
        JFreeChart rho = spectralChart(layers, end);
        if (rho != null) {
            out.add(new Figure(
                    Charts.toSvg(rho, width, height),
                    "Spectral radius ρ(W) of each layer's recurrent matrix (per direction), measured before the update of "
                            + "each diagnostic iteration. Layers whose cell has no single square W are left out."));
        }
        return out;
    }

    /** Whether some layer of the recorded network has a single square W (a ρ(W) was measured). */
    public static boolean anyRadius(List<LayerSnapshot> layers) {
        return layers.stream().anyMatch(s -> Arrays.stream(s.radius()).anyMatch(Double::isFinite));
    }

    /** Each layer's ‖∂L/∂h_k‖ against k, one series per layer ("layer 0", "layer 1", …). */
    public static JFreeChart flowChart(LayerSnapshot s) {
        double[] all = new double[0];
        for (double[] f : s.flow()) {
            all = concat(all, f);
        }
        ValueAxis y = Charts.valueAxis("‖∂L/∂h_k‖", all, new double[0]);
        boolean log = y instanceof LogAxis;
        XYSeriesCollection ds = new XYSeriesCollection();
        XYLineAndShapeRenderer r = Charts.lines(Charts.BLUE);
        int steps = 1;
        for (int l = 0; l < s.layers(); l++) {
            double[] f = s.flow().get(l);
            steps = Math.max(steps, f.length);
            double[] k = new double[f.length];
            Arrays.setAll(k, j -> j);
            ds.addSeries(Charts.thinned("layer " + l, k, f, log));
            r.setSeriesPaint(l, Charts.PALETTE[l % Charts.PALETTE.length]);
        }
        shapesWhenFew(r, s.layers(), steps);
        NumberAxis x = new NumberAxis("time step k");
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        return Charts.chart("Gradient flow per layer", Charts.plot(ds, x, y, r), true);
    }

    /** ρ(W) over training, one series per layer and direction with a single W; null when none has one. */
    public static JFreeChart spectralChart(List<LayerSnapshot> layers, Charts.EndMark end) {
        LayerSnapshot first = layers.get(0);
        int matrices = first.radius().length;
        double[] x = layers.stream().mapToDouble(LayerSnapshot::iteration).toArray();
        XYSeriesCollection ds = new XYSeriesCollection();
        XYLineAndShapeRenderer r = Charts.lines(Charts.BLUE);
        double[] all = new double[0];
        for (int i = 0; i < matrices; i++) {
            final int m = i;
            double[] rho = layers.stream()
                    .mapToDouble(s -> m < s.radius().length ? s.radius()[m] : Double.NaN)
                    .toArray();
            if (Arrays.stream(rho).noneMatch(Double::isFinite)) {
                continue;
            }
            r.setSeriesPaint(ds.getSeriesCount(), Charts.PALETTE[i % Charts.PALETTE.length]);
            ds.addSeries(Charts.thinned("ρ(W) " + first.matrixName(i), x, rho, false));
            all = concat(all, rho);
        }
        if (ds.getSeriesCount() == 0) {
            return null;
        }
        shapesWhenFew(r, ds.getSeriesCount(), x.length);
        double[] range = Charts.finiteRange(all, false);
        double lo = Math.min(range[0], 1);
        double hi = Math.max(range[1], 1);
        double pad = Math.max((hi - lo) * 0.08, 0.05);
        NumberAxis y = new NumberAxis("ρ(W)");
        y.setRange(Math.max(0, lo - pad), hi + pad);
        XYPlot plot = Charts.plot(ds, new NumberAxis("iteration"), y, r);
        Charts.addLabelled(plot, new ValueMarker(1, java.awt.Color.BLACK, Charts.DASHED), "1", TextAnchor.BOTTOM_LEFT);
        Charts.mark(plot, end);
        return Charts.chart("Spectral radius of each layer's recurrent matrix", plot, true);
    }

    /** Marks the measured points when they are few, so that a rare measurement is seen as one. */
    private static void shapesWhenFew(XYLineAndShapeRenderer r, int series, int points) {
        if (points <= 60) {
            r.setDefaultShapesVisible(true);
            for (int i = 0; i < series; i++) {
                r.setSeriesShape(i, new Ellipse2D.Double(-3, -3, 6, 6));
            }
        }
    }

    private static double[] concat(double[] a, double[] b) {
        double[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
