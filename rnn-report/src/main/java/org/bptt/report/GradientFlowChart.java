package org.bptt.report;

import static org.bptt.report.Charts.chart;
import static org.bptt.report.Charts.evenlySpaced;
import static org.bptt.report.Charts.plot;
import static org.bptt.report.Charts.styleAxis;
import static org.bptt.report.Charts.toSvg;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bptt.training.diag.GradientFlowSnapshot;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CrosshairState;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYItemRendererState;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYDataset;
import org.jfree.data.xy.XYZDataset;

/** The gradient-flow heatmap: how much gradient reaches each time step, snapshot by snapshot, on a fixed colour scale. */
public final class GradientFlowChart {

    private GradientFlowChart() {}

    /** Most snapshots (heatmap rows) drawn; more are thinned evenly. */
    static final int MAX_HEATMAP_ROWS = 100;

    /** Most heatmap columns; longer sequences are binned. Rows x columns bounds the SVG at about 2.5 MB. */
    static final int MAX_HEATMAP_COLUMNS = 100;

    /** Heatmap colour for cells whose value is NaN or +∞ (an overflowed gradient). */
    static final Color NON_FINITE = Color.BLACK;

    /** The heatmap's fixed colour range, in decades of ‖∂L/∂h_k‖ relative to the last step's: −8 … +8. */
    public static final double DECADES = 8;

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
     * #DECADES} (dark blue: a hundred-millionth of the last step's gradient reaches step k —
     * vanishing) through 0 (white: as much as at the last step) to +{@value #DECADES} (dark red:
     * exploding), the same for every run so that runs can be compared; beyond it the colours clamp.
     * Norms of exactly 0 take the darkest blue; NaN or +∞ (an overflowed gradient) are black.
     */
    public static JFreeChart of(List<GradientFlowSnapshot> flow) {
        return of(flow, TITLE);
    }

    /** The heatmap's title when it shows the one recorded flow. */
    public static final String TITLE = "Gradient flow through time: ‖∂L/∂h_k‖ relative to the last step";

    /** {@link #of(List)} under another title (the flow training back-propagated, or full BPTT measured). */
    public static JFreeChart of(List<GradientFlowSnapshot> flow, String title) {
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
                double z = bad || Double.isNaN(ref) ? Double.NaN : n > 0 ? sum / n - ref : zero ? -DECADES : Double.NaN;
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
            double first = rows.stream()
                    .mapToLong(GradientFlowSnapshot::iteration)
                    .min()
                    .orElse(0);
            double last = rows.stream()
                    .mapToLong(GradientFlowSnapshot::iteration)
                    .max()
                    .orElse(0);
            y.setRange(first - gap / 2, last + gap / 2);
        }
        XYPlot plot = plot(ds, x, y, r);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        plot.setBackgroundPaint(new Color(0xC8C8C8)); // shows where no snapshot covers the plot
        JFreeChart chart = chart(title, plot, false);
        NumberAxis zAxis = new NumberAxis("log₁₀ ‖∂L/∂h_k‖ / ‖∂L/∂h_T‖ (fixed scale)");
        zAxis.setRange(-DECADES, DECADES);
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

    /** {@link #of} as SVG. */
    public static String svg(List<GradientFlowSnapshot> flow, int width, int height) {
        return toSvg(of(flow), width, height);
    }

    /**
     * The height of a heatmap row: the usual spacing of the snapshots' iterations (the median gap),
     * or the largest gap when it is at most twice that (thinned snapshots alternate between two
     * spacings, and rows one gap high would leave stripes), so that rows touch.
     */
    private static double typicalGap(List<GradientFlowSnapshot> flow) {
        long[] it = flow.stream()
                .mapToLong(GradientFlowSnapshot::iteration)
                .sorted()
                .distinct()
                .toArray();
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
        public void drawItem(
                Graphics2D g2,
                XYItemRendererState state,
                Rectangle2D dataArea,
                PlotRenderingInfo info,
                XYPlot plot,
                ValueAxis domainAxis,
                ValueAxis rangeAxis,
                XYDataset dataset,
                int series,
                int item,
                CrosshairState crosshairState,
                int pass) {
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
            g2.fill(new Rectangle2D.Double(
                    Math.min(x0, x1) - 0.25,
                    Math.min(y0, y1) - 0.25,
                    Math.abs(x1 - x0) + 0.5,
                    Math.abs(y1 - y0) + 0.5));
        }
    }

    /**
     * The heatmap's fixed diverging scale (ColorBrewer RdBu, readable with the common colour-vision
     * deficiencies): −{@value #DECADES} decades dark blue, 0 white, +{@value #DECADES}
     * dark red, interpolated between eleven anchors; values beyond clamp; NaN and +∞ get
     * {@link #NON_FINITE}, −∞ (a norm of 0) the darkest blue.
     */
    static final class FlowScale implements PaintScale {
        static final int[] ANCHORS = {
            0x053061, 0x2166AC, 0x4393C3, 0x92C5DE, 0xD1E5F0, 0xF7F7F7, 0xFDDBC7, 0xF4A582, 0xD6604D, 0xB2182B, 0x67001F
        };

        @Override
        public double getLowerBound() {
            return -DECADES;
        }

        @Override
        public double getUpperBound() {
            return DECADES;
        }

        @Override
        public Paint getPaint(double value) {
            if (Double.isNaN(value) || value == Double.POSITIVE_INFINITY) {
                return NON_FINITE;
            }
            double t = (value + DECADES) / (2 * DECADES);
            t = Math.max(0, Math.min(1, t)) * (ANCHORS.length - 1);
            int i = Math.min((int) t, ANCHORS.length - 2);
            double f = t - i;
            Color a = new Color(ANCHORS[i]);
            Color b = new Color(ANCHORS[i + 1]);
            return new Color(
                    mix(a.getRed(), b.getRed(), f),
                    mix(a.getGreen(), b.getGreen(), f),
                    mix(a.getBlue(), b.getBlue(), f));
        }

        private static int mix(int a, int b, double f) {
            return (int) Math.round(a + (b - a) * f);
        }
    }
}
