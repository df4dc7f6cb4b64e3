package org.bptt.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bptt.training.IterationMetrics;
import org.bptt.training.diag.GradientFlowSnapshot;
import org.bptt.training.diag.Spectrum;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.XYZDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestCharts {

    @TempDir
    Path dir;

    @Test
    void heatmapHasOneCellPerValue() {
        List<GradientFlowSnapshot> flow = SampleRuns.flow(0.6);
        int cells = flow.size() * SampleRuns.STEPS;
        XYDataset ds = GradientFlowChart.of(flow).getXYPlot().getDataset();
        assertEquals(cells, ds.getItemCount(0));

        // The heatmap renderer fills one <rect> per cell; everything else (background, legend strip) is the same
        // as for a chart without data.
        int withData = TestHtmlReport.count(GradientFlowChart.svg(flow, 900, 460), "<rect");
        int without = TestHtmlReport.count(GradientFlowChart.svg(List.of(), 900, 460), "<rect");
        assertEquals(cells, withData - without);
    }

    @Test
    void heatmapKeepsZeroAndNonFiniteCellsOnItsFixedScale() {
        GradientFlowSnapshot s =
                new GradientFlowSnapshot(3, new double[] {0, 1e-3, 1, Double.NaN, Double.POSITIVE_INFINITY, 2});
        XYZDataset ds =
                (XYZDataset) GradientFlowChart.of(List.of(s)).getXYPlot().getDataset();
        assertEquals(6, ds.getItemCount(0));
        // Relative to the last step's norm 2: log10(1e-3 / 2), log10(1 / 2), 0; zero clamps to the bottom.
        assertEquals(-GradientFlowChart.DECADES, ds.getZValue(0, 0));
        assertEquals(Math.log10(5e-4), ds.getZValue(0, 1), 1e-12);
        assertEquals(Math.log10(0.5), ds.getZValue(0, 2), 1e-12);
        assertTrue(Double.isNaN(ds.getZValue(0, 3)) && Double.isNaN(ds.getZValue(0, 4)));
        GradientFlowChart.FlowScale scale = new GradientFlowChart.FlowScale();
        assertEquals(GradientFlowChart.NON_FINITE, scale.getPaint(Double.NaN));
        assertEquals(GradientFlowChart.NON_FINITE, scale.getPaint(Double.POSITIVE_INFINITY));
        assertEquals(new Color(0xF7F7F7), scale.getPaint(0), "white: as much as at the last step");
        assertEquals(new Color(0x053061), scale.getPaint(-GradientFlowChart.DECADES));
        assertEquals(new Color(0x053061), scale.getPaint(-100), "clamped");
        assertEquals(new Color(0x67001F), scale.getPaint(GradientFlowChart.DECADES));
        assertTrue(GradientFlowChart.svg(List.of(s), 600, 300).contains("rgb(0,0,0)"), "non-finite cells drawn black");
    }

    @Test
    void heatmapColoursDoNotDependOnTheOtherSnapshots() {
        // A run is comparable with another only if a snapshot's colours are its own: add a wildly different one.
        GradientFlowSnapshot a = SampleRuns.flow(0.6).get(0);
        GradientFlowSnapshot huge = new GradientFlowSnapshot(
                100,
                java.util.stream.IntStream.range(0, SampleRuns.STEPS)
                        .mapToDouble(k -> Math.pow(10, 30 - k))
                        .toArray());
        XYZDataset alone =
                (XYZDataset) GradientFlowChart.of(List.of(a)).getXYPlot().getDataset();
        XYZDataset both =
                (XYZDataset) GradientFlowChart.of(List.of(a, huge)).getXYPlot().getDataset();
        var paint = ((org.jfree.chart.renderer.xy.XYBlockRenderer)
                        GradientFlowChart.of(List.of(a, huge)).getXYPlot().getRenderer())
                .getPaintScale();
        for (int k = 0; k < SampleRuns.STEPS; k++) {
            assertEquals(alone.getZValue(0, k), both.getZValue(0, k));
            // 0.6 per step: step k is (T-1-k)·log10(0.6) decades below the last.
            assertEquals((SampleRuns.STEPS - 1 - k) * Math.log10(0.6), alone.getZValue(0, k), 1e-9);
        }
        assertEquals(-GradientFlowChart.DECADES, paint.getLowerBound());
        assertEquals(GradientFlowChart.DECADES, paint.getUpperBound());
    }

    @Test
    void smoothingIsADebiasedMovingAverageOfTheLogsOnALogAxis() {
        // Independent reference: the weighted mean w^(i-j)(1-w) over the points so far, normalised by the weights' sum.
        double[] y = {4, 1, 16, Double.NaN, 2, 8};
        double w = 0.6;
        double[] lin = Charts.smooth(y, w, false);
        double[] log = Charts.smooth(y, w, true);
        double[] xs = {4, 1, 16, 2, 8};
        int[] at = {0, 1, 2, 4, 5};
        for (int i = 0; i < xs.length; i++) {
            double num = 0;
            double numLog = 0;
            double den = 0;
            for (int j = 0; j <= i; j++) {
                double wt = Math.pow(w, i - j) * (1 - w);
                num += wt * xs[j];
                numLog += wt * Math.log(xs[j]);
                den += wt;
            }
            assertEquals(num / den, lin[at[i]], 1e-12);
            assertEquals(Math.exp(numLog / den), log[at[i]], 1e-12);
        }
        assertTrue(Double.isNaN(lin[3]), "a missing point stays missing");
        assertEquals(0, Charts.smoothingWeight(60), "too short to smooth");
        assertEquals(1 - 1 / 80.0, Charts.smoothingWeight(8000), 1e-12);
    }

    @Test
    void frequentClippingIsAShareNotAWallOfTriangles() {
        List<IterationMetrics> all = new ArrayList<>();
        List<IterationMetrics> rare = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            all.add(new IterationMetrics(i, 1, Double.NaN, 5 + i % 3, 1, true, Double.NaN, Double.NaN, false));
            boolean c = i % 100 == 0;
            rare.add(
                    new IterationMetrics(i, 1, Double.NaN, c ? 5 : 0.5, c ? 1 : 0.5, c, Double.NaN, Double.NaN, false));
        }
        XYPlot wall = GradientNormChart.of(all, 1).getXYPlot();
        assertEquals(-1, ((XYSeriesCollection) wall.getDataset(0)).getSeriesIndex("clipped"), "no triangles");
        XYSeries share = ((XYSeriesCollection) wall.getDataset(1)).getSeries(0);
        assertEquals(1.0, share.getY(share.getItemCount() - 1).doubleValue(), 1e-9, "100% of updates clipped");
        XYPlot sparse = GradientNormChart.of(rare, 1).getXYPlot();
        XYSeriesCollection ds = (XYSeriesCollection) sparse.getDataset(0);
        assertEquals(20, ds.getSeries(ds.getSeriesIndex("clipped")).getItemCount(), "one triangle per clipped update");
        assertEquals(null, sparse.getDataset(1));
    }

    @Test
    void accuracyHasItsOwnPanelSoTheBaselineNeverCrossesIt() {
        JFreeChart c = LossChart.of(SampleRuns.exploding().metrics(), 0.25);
        CombinedDomainXYPlot plot = (CombinedDomainXYPlot) c.getXYPlot();
        assertEquals(2, plot.getSubplots().size());
        XYPlot loss = (XYPlot) plot.getSubplots().get(0);
        XYPlot acc = (XYPlot) plot.getSubplots().get(1);
        assertEquals(
                1, loss.getRangeMarkers(org.jfree.chart.ui.Layer.BACKGROUND).size(), "the baseline");
        assertEquals(
                null, acc.getRangeMarkers(org.jfree.chart.ui.Layer.BACKGROUND), "no baseline on the accuracy panel");
        assertEquals("accuracy", acc.getRangeAxis().getLabel());
        assertEquals(
                1,
                ((CombinedDomainXYPlot) LossChart.of(SampleRuns.vanishing().metrics(), 0.25)
                                .getXYPlot())
                        .getSubplots()
                        .size(),
                "no accuracy, no panel");
    }

    @Test
    void longSequencesAreBinnedAndManySnapshotsThinned() {
        List<GradientFlowSnapshot> flow = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            flow.add(new GradientFlowSnapshot(i, new double[1000]));
        }
        XYDataset ds = GradientFlowChart.of(flow).getXYPlot().getDataset();
        assertEquals(GradientFlowChart.MAX_HEATMAP_ROWS * GradientFlowChart.MAX_HEATMAP_COLUMNS, ds.getItemCount(0));
    }

    @Test
    void eigenvalueChartPlotsEveryEigenvalue() {
        Spectrum start = SampleRuns.circle(1.5);
        Spectrum end = SampleRuns.circle(1.2);
        XYDataset ds = EigenvalueChart.of(start, end).getXYPlot().getDataset();
        assertEquals(2, ds.getSeriesCount());
        assertEquals(start.size(), ds.getItemCount(0));
        assertEquals(end.size(), ds.getItemCount(1));

        // Start points are filled in the series blue; the legend swatch is the same with or without points.
        Spectrum none = new Spectrum(new double[0], new double[0]);
        String blue = "rgb(0,114,178)";
        int withPoints = TestHtmlReport.count(EigenvalueChart.svg(start, none, 560, 560), blue);
        int withoutPoints = TestHtmlReport.count(EigenvalueChart.svg(none, none, 560, 560), blue);
        assertEquals(start.size(), withPoints - withoutPoints);
    }

    @Test
    void eigenvalueChartHasEqualScalesWhateverTheSize() {
        JFreeChart chart = EigenvalueChart.of(SampleRuns.circle(1.5), null);
        ChartRenderingInfo info = new ChartRenderingInfo();
        BufferedImage img = chart.createBufferedImage(800, 400, info);
        assertEquals(800, img.getWidth());
        var area = info.getPlotInfo().getDataArea();
        XYPlot plot = chart.getXYPlot();
        double xPerPixel = plot.getDomainAxis().getRange().getLength() / area.getWidth();
        double yPerPixel = plot.getRangeAxis().getRange().getLength() / area.getHeight();
        assertEquals(1, xPerPixel / yPerPixel, 0.02);
        assertTrue(plot.getRangeAxis().getRange().contains(1.5));
    }

    @Test
    void jacobianChartHasOneSeriesPerSequenceAndTheFittedLine() {
        double[][] j = SampleRuns.jacobians(5, 0.8);
        XYDataset ds = JacobianNormsChart.of(j).getXYPlot().getDataset();
        assertEquals(6, ds.getSeriesCount(), "five sequences and the fitted line");
        for (int s = 0; s < 6; s++) {
            assertEquals(SampleRuns.STEPS, ds.getItemCount(s));
        }
        assertEquals(JacobianNormsChart.fittedLabel(j), ds.getSeriesKey(5));
        double[] line = org.bptt.training.diag.GradientFlowVerdict.fittedCurve(j);
        for (int k = 0; k < SampleRuns.STEPS; k++) {
            assertEquals(line[k], ds.getYValue(5, k), 0, "the line drawn is the engine's");
        }
        // Its slope per step is the verdict's factor.
        assertEquals(
                org.bptt.training.diag.GradientFlowVerdict.fitFactor(j), ds.getYValue(5, 0) / ds.getYValue(5, 1), 1e-9);
        assertTrue(JacobianNormsChart.svg(j, 900, 400).startsWith("<svg"));
    }

    @Test
    void longRunsAreThinnedButKeepTheirSpikes() {
        int n = 100_000;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = 1 + (i % 7) * 0.01;
        }
        y[54_321] = 1e6;
        XYSeries s = Charts.thinned("g", x, y, true);
        assertTrue(s.getItemCount() <= Charts.MAX_LINE_POINTS, "thinned to " + s.getItemCount());
        assertEquals(1e6, s.getMaxY());
    }

    @Test
    void nonFiniteAndNonPositiveValuesDoNotBreakTheCharts() {
        List<IterationMetrics> ms = List.of(
                new IterationMetrics(0, 1, Double.NaN, 0, 0, false, Double.NaN, Double.NaN, false),
                new IterationMetrics(1, Double.NaN, Double.NaN, Double.NaN, 0, true, 1.1, 1.3, true),
                new IterationMetrics(
                        2, Double.POSITIVE_INFINITY, 0.5, Double.POSITIVE_INFINITY, 0, true, 1.2, 1.4, true),
                new IterationMetrics(3, 0.5, 0.6, 1e9, 1, true, Double.NaN, Double.NaN, false));
        for (String svg : List.of(
                LossChart.svg(ms, 0.7, 600, 300),
                GradientNormChart.svg(ms, 1, 600, 300),
                SpectralChart.svg(ms, 600, 300))) {
            assertTrue(svg.startsWith("<svg") && svg.endsWith("</svg>"));
            assertTrue(!svg.contains("NaN") && !svg.contains("Infinity"), "no NaN coordinates in the SVG");
        }
    }

    @Test
    void writesPngAtomically() throws IOException {
        Path png = dir.resolve("loss.png");
        Charts.writePng(LossChart.of(SampleRuns.exploding().metrics(), 0.25), png, 640, 320);
        byte[] head = new byte[4];
        System.arraycopy(Files.readAllBytes(png), 0, head, 0, 4);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, head);
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(png), s.toList());
        }
        assertThrows(IllegalArgumentException.class, () -> Charts.writePng(SpectralChart.of(List.of()), png, 0, 10));
    }

    @Test
    void svgIdsAreUniqueSoChartsCanShareAPage() {
        String a = SpectralChart.svg(SampleRuns.vanishing().metrics(), 300, 200);
        String b = SpectralChart.svg(SampleRuns.vanishing().metrics(), 300, 200);
        String idA = a.substring(a.indexOf("id='") + 4, a.indexOf('\'', a.indexOf("id='") + 4));
        String idB = b.substring(b.indexOf("id='") + 4, b.indexOf('\'', b.indexOf("id='") + 4));
        assertTrue(!idA.equals(idB), idA + " vs " + idB);
    }

    @Test
    void heldOutPanelKeepsCountsOffAndRatesOnTheirOwnAxisAndOneEvaluationReadsOnce() {
        // One evaluation at iteration 8000, as a run with --eval-every 0 makes at its end.
        java.util.Map<String, Double> m = new java.util.LinkedHashMap<>();
        m.put("loss", 0.17);
        m.put("mse", 0.17);
        m.put("correct", 0.072);
        m.put("success", 0.0);
        m.put("sequences", 1000.0);
        JFreeChart chart = EvaluationChart.of(List.of(new org.bptt.training.run.Evaluation(8000, m)), null);
        XYPlot plot = chart.getXYPlot();
        List<String> left = new ArrayList<>();
        List<String> right = new ArrayList<>();
        for (int d = 0; d < plot.getDatasetCount(); d++) {
            XYDataset ds = plot.getDataset(d);
            for (int k = 0; k < ds.getSeriesCount(); k++) {
                (plot.getRangeAxisForDataset(d) == plot.getRangeAxis(0) ? left : right)
                        .add(ds.getSeriesKey(k).toString());
            }
        }
        assertEquals(List.of("mse"), left, "the count and the fractions are not on the MSE's axis");
        assertEquals(List.of("correct (right axis)", "success (right axis)"), right);
        assertEquals(1.02, plot.getRangeAxis(1).getUpperBound(), 1e-12);
        String svg = Charts.toSvg(chart, 800, 400);
        assertTrue(!svg.contains("8E3"), "ticks in whole numbers, not 8E3 at every tick");
        assertEquals(0, plot.getDomainAxis().getLowerBound(), 1e-9);
        assertTrue(plot.getDomainAxis().getUpperBound() >= 8000);
    }

    @Test
    void captionsNameTheScaleTheGradientChartUses() {
        List<IterationMetrics> positive = new ArrayList<>();
        List<IterationMetrics> narrow = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            double wide = Math.pow(10, i / 10.0); // five decades: a log axis
            positive.add(new IterationMetrics(i, 1, Double.NaN, wide, wide, false, Double.NaN, Double.NaN, false));
            double g = 5 + 0.01 * i; // a narrow range: the axis is linear, which the caption once called "log scale"
            narrow.add(new IterationMetrics(i, 1, Double.NaN, g, g, false, Double.NaN, Double.NaN, false));
        }
        JFreeChart log = GradientNormChart.of(positive, Double.NaN);
        JFreeChart linear = GradientNormChart.of(narrow, Double.NaN);
        assertTrue(log.getXYPlot().getRangeAxis() instanceof org.jfree.chart.axis.LogAxis);
        assertEquals("log scale", Charts.scaleWords(log));
        assertTrue(!(linear.getXYPlot().getRangeAxis() instanceof org.jfree.chart.axis.LogAxis));
        assertEquals("linear scale", Charts.scaleWords(linear));
    }
}
