package org.bptt.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.bptt.training.IterationMetrics;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.junit.jupiter.api.Test;

/** Chart ranges bounded before drawing: a marker far from the data never stretches an axis without end. */
final class TestChartBounds {

    private static List<IterationMetrics> norms(double... g) {
        List<IterationMetrics> l = new ArrayList<>();
        for (int i = 0; i < g.length; i++) {
            l.add(new IterationMetrics(i, 1, Double.NaN, g[i], g[i], false, Double.NaN, Double.NaN, false));
        }
        return l;
    }

    @Test
    void anAbsurdThresholdIsLeftOffAndTheAxisFitsTheData() {
        for (double threshold : new double[] {1e300, Double.MAX_VALUE, 1e-300, Double.MIN_VALUE, -1e300}) {
            XYPlot plot = GradientNormChart.of(norms(0.5, 1, 2, 500), threshold).getXYPlot();
            ValueAxis y = plot.getRangeAxis();
            assertTrue(y instanceof LogAxis, "the data span three decades: " + threshold);
            assertTrue(
                    y.getUpperBound() < 1e4 && y.getLowerBound() > 1e-2,
                    threshold + " stretched the axis to " + y.getLowerBound() + ".." + y.getUpperBound());
            String svg = Charts.toSvg(GradientNormChart.of(norms(0.5, 1, 2, 500), threshold), 600, 300);
            assertTrue(svg.startsWith("<svg") && svg.length() < 200_000, "drawn, and small: " + svg.length());
        }
    }

    @Test
    void aThresholdNearTheDataStaysOnTheChart() {
        XYPlot plot = GradientNormChart.of(norms(0.5, 1, 2, 5), 1000).getXYPlot();
        assertTrue(plot.getRangeAxis().getUpperBound() >= 1000, "1000 is within the reach of data up to 5");
        assertEquals(
                1, plot.getRangeMarkers(org.jfree.chart.ui.Layer.BACKGROUND).size());
    }

    @Test
    void dataAtTheEdgesOfADoubleGivesAFiniteAxis() {
        ValueAxis y = Charts.valueAxis("x", new double[] {Double.MIN_VALUE, 1, Double.MAX_VALUE}, new double[0]);
        assertTrue(
                Double.isFinite(y.getUpperBound()) && y.getLowerBound() > 0,
                y.getLowerBound() + ".." + y.getUpperBound());
    }

    @Test
    void theReachIsAFactorEachWay() {
        assertEquals(
                List.of(4e4, 1e-4),
                java.util.Arrays.stream(Charts.nearData(
                                new double[] {1, 4},
                                new double[] {4e4, 4.1e4, 1e-4, 0.9e-4, Double.NaN, Double.POSITIVE_INFINITY}))
                        .boxed()
                        .toList());
    }
}
