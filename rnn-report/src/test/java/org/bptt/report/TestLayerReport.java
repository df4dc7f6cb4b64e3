package org.bptt.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bptt.training.Network;
import org.bptt.training.config.RunConfig;
import org.bptt.training.diag.GradientFlowSnapshot;
import org.bptt.training.plugin.PluginFamily;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.run.History;
import org.bptt.training.run.LayerSnapshot;
import org.bptt.training.run.TrainingRun;
import org.jfree.chart.JFreeChart;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stacked bidirectional run's report draws one gradient-flow series per layer and one ρ(W) series per matrix. */
final class TestLayerReport {
    private static final Plugins PLUGINS = Plugins.discover();

    @TempDir
    Path dir;

    private static RunConfig config() {
        return Network.builder()
                .task("adding", "steps", "12")
                .hidden(8)
                .batch(4)
                .layers(3)
                .bidirectional(true)
                .initializer("spectral", "radius", "0.9")
                .checkpointEvery(10)
                .diagnosticsEvery(10)
                .config()
                .withIterations(25);
    }

    @Test
    void reportShowsEveryLayersFlowAndSpectralRadius() throws IOException {
        Path run = dir.resolve("stack");
        TrainingRun.create(config(), run, PLUGINS, "csv").run(new RunReport());

        History h = History.read(run.resolve(TrainingRun.DIAGNOSTICS), Long.MAX_VALUE);
        assertEquals(
                List.of(0L, 10L, 20L, 24L),
                h.layers().stream().map(LayerSnapshot::iteration).toList());
        LayerSnapshot first = h.layers().get(0);
        assertEquals(3, first.layers());
        assertEquals(2, first.directions());
        // Before the first update every layer's and direction's W is the initializer's: ρ = 0.9 exactly as asked.
        for (double rho : first.radius()) {
            assertEquals(0.9, rho, 1e-4);
        }
        // The stored flow is the one the network measures: a fresh network of the same seed at iteration 0.
        Network fresh = Network.create(config(), PLUGINS.create(PluginFamily.TASK, config().task()), PLUGINS);
        List<GradientFlowSnapshot> measured =
                fresh.layerGradientFlow(PLUGINS.create(PluginFamily.TASK, config().task()));
        for (int l = 0; l < 3; l++) {
            assertArrayEquals(
                    measured.get(l).hiddenGradNorms(),
                    first.flow().get(l),
                    1e-12 * max(first.flow().get(l)));
            assertTrue(max(first.flow().get(l)) > 0, "layer " + l + " receives a gradient");
        }

        LayerSnapshot last = h.layers().get(h.layers().size() - 1);
        JFreeChart flow = LayerCharts.flowChart(last);
        XYSeriesCollection fds = (XYSeriesCollection) flow.getXYPlot().getDataset();
        assertEquals(List.of("layer 0", "layer 1", "layer 2"), keys(fds));
        assertEquals(12, fds.getSeries(1).getItemCount());
        assertEquals(last.flow().get(1)[5], fds.getSeries(1).getY(5).doubleValue(), 0);
        XYSeriesCollection rds = (XYSeriesCollection)
                LayerCharts.spectralChart(h.layers(), null).getXYPlot().getDataset();
        assertEquals(
                List.of(
                        "ρ(W) layer 0",
                        "ρ(W) layer 0 reverse",
                        "ρ(W) layer 1",
                        "ρ(W) layer 1 reverse",
                        "ρ(W) layer 2",
                        "ρ(W) layer 2 reverse"),
                keys(rds));
        assertEquals(4, rds.getSeries(3).getItemCount());
        assertEquals(last.radius()[3], rds.getSeries(3).getY(3).doubleValue(), 0);

        String html = Files.readString(run.resolve(TrainingRun.REPORT));
        assertTrue(
                html.contains("Gradient flow per layer") && html.contains("Spectral radius of each layer"),
                "both charts");
        for (String legend : List.of("layer 2", "ρ(W) layer 0 reverse", "ρ(W) layer 2 reverse")) {
            assertTrue(html.contains(legend), legend + " in the legend");
        }
        assertTrue(html.contains(Page.esc(HtmlReport.PER_LAYER_W)));
        // The verdict of the stack is still there.
        assertTrue(HtmlReport.flowText(RunReport.data(TrainingRun.resume(run, PLUGINS, "csv", 0), null))
                .startsWith("Gradient flow"));
    }

    @Test
    void aLayerSnapshotSurvivesTheHistoryFileAndAResumeCutsIt() throws IOException {
        History h = new History();
        h.add(new LayerSnapshot(
                0, List.of(new double[] {1, 2}, new double[] {Double.NaN, 0.5}), new double[] {0.9, Double.NaN}));
        h.add(new LayerSnapshot(7, List.of(new double[] {3, 4}, new double[] {5, 6}), new double[] {1.1, Double.NaN}));
        Path f = dir.resolve("d.json");
        h.write(f);
        assertEquals(h.layers(), History.read(f, Long.MAX_VALUE).layers());
        assertEquals(h.layers().subList(0, 1), History.read(f, 7).layers());
        assertTrue(Files.readString(f).replaceAll("\\s", "").contains("\"spectral_radius\":[0.9,null]"));
        // A stack of gated cells measures no ρ(W): no ρ chart, and the report says why as for one gated layer.
        List<LayerSnapshot> gated = List.of(new LayerSnapshot(
                0, List.of(new double[] {1}, new double[] {2}), new double[] {Double.NaN, Double.NaN}));
        assertTrue(LayerCharts.anyRadius(h.layers()));
        assertFalse(LayerCharts.anyRadius(gated));
        assertEquals(null, LayerCharts.spectralChart(gated, null));
        assertEquals(1, LayerCharts.figures(gated, null, 900, 400).size());
    }

    private static List<String> keys(XYSeriesCollection ds) {
        return ds.getSeries().stream()
                .map(s -> (String) ((org.jfree.data.xy.XYSeries) s).getKey())
                .toList();
    }

    private static double max(double[] a) {
        return java.util.Arrays.stream(a).filter(Double::isFinite).max().orElse(0);
    }
}
