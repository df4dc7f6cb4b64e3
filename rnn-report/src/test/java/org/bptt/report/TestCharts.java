package org.bptt.report;

import org.bptt.training.run.IterationMetrics;
import org.bptt.training.diag.GradientFlowSnapshot;
import org.bptt.training.diag.Spectrum;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYDataset;
import org.jfree.data.xy.XYSeries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestCharts {

    @TempDir
    Path dir;

    @Test
    void heatmapHasOneCellPerValue() {
        List<GradientFlowSnapshot> flow = SampleRuns.flow(0.6);
        int cells = flow.size() * SampleRuns.STEPS;
        XYDataset ds = Charts.gradientFlowChart(flow).getXYPlot().getDataset();
        assertEquals(cells, ds.getItemCount(0));

        // The heatmap renderer fills one <rect> per cell; everything else (background, legend strip) is the same
        // as for a chart without data.
        int withData = TestHtmlReport.count(Charts.gradientFlowSvg(flow, 900, 460), "<rect");
        int without = TestHtmlReport.count(Charts.gradientFlowSvg(List.of(), 900, 460), "<rect");
        assertEquals(cells, withData - without);
    }

    @Test
    void heatmapKeepsZeroAndNonFiniteCells() {
        GradientFlowSnapshot s = new GradientFlowSnapshot(3, new double[] {0, 1e-3, 1, Double.NaN,
                Double.POSITIVE_INFINITY});
        XYDataset ds = Charts.gradientFlowChart(List.of(s)).getXYPlot().getDataset();
        assertEquals(5, ds.getItemCount(0));
        String svg = Charts.gradientFlowSvg(List.of(s), 600, 300);
        Charts.ViridisScale scale = new Charts.ViridisScale(-3, 0);
        assertEquals(Charts.NON_FINITE, scale.getPaint(Double.NaN));
        assertTrue(svg.contains("rgb(231,41,138)"), "non-finite cells drawn in magenta");
    }

    @Test
    void longSequencesAreBinnedAndManySnapshotsThinned() {
        List<GradientFlowSnapshot> flow = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            flow.add(new GradientFlowSnapshot(i, new double[1000]));
        }
        XYDataset ds = Charts.gradientFlowChart(flow).getXYPlot().getDataset();
        assertEquals(Charts.MAX_HEATMAP_ROWS * Charts.MAX_HEATMAP_COLUMNS, ds.getItemCount(0));
    }

    @Test
    void eigenvalueChartPlotsEveryEigenvalue() {
        Spectrum start = SampleRuns.circle(1.5);
        Spectrum end = SampleRuns.circle(1.2);
        XYDataset ds = Charts.eigenvalueChart(start, end).getXYPlot().getDataset();
        assertEquals(2, ds.getSeriesCount());
        assertEquals(start.size(), ds.getItemCount(0));
        assertEquals(end.size(), ds.getItemCount(1));

        // Start points are filled in the series blue; the legend swatch is the same with or without points.
        Spectrum none = new Spectrum(new double[0], new double[0]);
        String blue = "rgb(0,114,178)";
        int withPoints = TestHtmlReport.count(Charts.eigenvalueSvg(start, none, 560, 560), blue);
        int withoutPoints = TestHtmlReport.count(Charts.eigenvalueSvg(none, none, 560, 560), blue);
        assertEquals(start.size(), withPoints - withoutPoints);
    }

    @Test
    void eigenvalueChartHasEqualScalesWhateverTheSize() {
        JFreeChart chart = Charts.eigenvalueChart(SampleRuns.circle(1.5), null);
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
    void jacobianChartHasOneSeriesPerSequence() {
        double[][] j = SampleRuns.jacobians(5, 0.8);
        XYDataset ds = Charts.jacobianNormsChart(j).getXYPlot().getDataset();
        assertEquals(5, ds.getSeriesCount());
        for (int s = 0; s < 5; s++) {
            assertEquals(SampleRuns.STEPS, ds.getItemCount(s));
        }
        assertTrue(Charts.jacobianNormsSvg(j, 900, 400).startsWith("<svg"));
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
                new IterationMetrics(2, Double.POSITIVE_INFINITY, 0.5, Double.POSITIVE_INFINITY, 0, true, 1.2, 1.4,
                        true),
                new IterationMetrics(3, 0.5, 0.6, 1e9, 1, true, Double.NaN, Double.NaN, false));
        for (String svg : List.of(Charts.lossSvg(ms, 0.7, 600, 300), Charts.gradientNormSvg(ms, 1, 600, 300),
                Charts.spectralSvg(ms, 600, 300))) {
            assertTrue(svg.startsWith("<svg") && svg.endsWith("</svg>"));
            assertTrue(!svg.contains("NaN") && !svg.contains("Infinity"), "no NaN coordinates in the SVG");
        }
    }

    @Test
    void writesPngAtomically() throws IOException {
        Path png = dir.resolve("loss.png");
        Charts.writePng(Charts.lossChart(SampleRuns.exploding().metrics(), 0.25), png, 640, 320);
        byte[] head = new byte[4];
        System.arraycopy(Files.readAllBytes(png), 0, head, 0, 4);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, head);
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(png), s.toList());
        }
        assertThrows(IllegalArgumentException.class,
                () -> Charts.writePng(Charts.spectralChart(List.of()), png, 0, 10));
    }

    @Test
    void svgIdsAreUniqueSoChartsCanShareAPage() {
        String a = Charts.spectralSvg(SampleRuns.vanishing().metrics(), 300, 200);
        String b = Charts.spectralSvg(SampleRuns.vanishing().metrics(), 300, 200);
        String idA = a.substring(a.indexOf("id='") + 4, a.indexOf('\'', a.indexOf("id='") + 4));
        String idB = b.substring(b.indexOf("id='") + 4, b.indexOf('\'', b.indexOf("id='") + 4));
        assertTrue(!idA.equals(idB), idA + " vs " + idB);
    }
}
