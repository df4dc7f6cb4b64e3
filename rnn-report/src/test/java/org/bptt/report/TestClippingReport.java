package org.bptt.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bptt.training.IterationMetrics;
import org.bptt.training.Network;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.run.RunListener;
import org.bptt.training.run.RunSummary;
import org.bptt.training.run.TrainingRun;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clipping on screen: the norm before and after the policy, the policy's own threshold, the share clipped. */
final class TestClippingReport {
    private static final Plugins PLUGINS = Plugins.discover();

    @TempDir
    Path dir;

    private TrainingRun train(Path run, String policy, String... options) throws IOException {
        RunReport report = new RunReport();
        var cfg = Network.builder()
                .task("adding", "steps", "12")
                .hidden(8)
                .batch(4)
                .checkpointEvery(40)
                .diagnosticsEvery(20)
                .policy(policy, options)
                .config()
                .withIterations(40);
        TrainingRun.create(cfg, run, PLUGINS, "csv").run(new RunListener() {
            @Override
            public void checkpointed(TrainingRun r, long it) {
                report.checkpointed(r, it);
            }

            @Override
            public void finished(TrainingRun r, RunSummary s) {
                report.finished(r, s);
            }
        });
        return TrainingRun.resume(run, PLUGINS, "csv", 0);
    }

    @Test
    void aClippedRunShowsTheNormBeforeAndAfterWithThePolicysThreshold() throws IOException {
        Path run = dir.resolve("clipped");
        TrainingRun r = train(run, "clip-norm", "threshold", "0.01");
        assertEquals(0.01, RunReport.clipThreshold(r.network()), 0, "the threshold as the policy states it");
        List<IterationMetrics> ms = r.history().metrics();
        for (IterationMetrics m : ms) {
            // The rule g <- threshold/||g|| * g when ||g|| >= threshold, checked on what the run recorded.
            assertEquals(m.gradNormBefore() >= 0.01, m.clipped(), "iteration " + m.iteration());
            assertEquals(
                    m.clipped() ? 0.01 : m.gradNormBefore(), m.gradNormAfter(), 1e-12, "iteration " + m.iteration());
        }
        JFreeChart c = ClippingChart.of(ms, 0.01, null);
        CombinedDomainXYPlot plot = assertInstanceOf(CombinedDomainXYPlot.class, c.getPlot());
        XYPlot norms = plot.getSubplots().get(0);
        XYPlot share = plot.getSubplots().get(1);
        assertEquals(ClippingChart.NORM_AXIS, norms.getRangeAxis().getLabel());
        assertEquals(2, norms.getDataset().getSeriesCount(), "before and after: one unit, one axis");
        // Norms from about 1 down to the threshold 0.01 span decades: a log axis, and the caption says so (a combined
        // plot once read as "linear scale", its own range axis being none).
        assertInstanceOf(org.jfree.chart.axis.LogAxis.class, norms.getRangeAxis());
        assertTrue(
                ClippingChart.caption(c, 0.01, ms.size()).contains(", log scale;"),
                ClippingChart.caption(c, 0.01, ms.size()));
        assertEquals(ClippingChart.SHARE_AXIS, share.getRangeAxis().getLabel());
        assertNotSame(norms.getRangeAxis(), share.getRangeAxis(), "a share never shares the norm's axis");
        assertEquals(
                0.01,
                norms.getRangeMarkers(org.jfree.chart.ui.Layer.BACKGROUND).stream()
                        .mapToDouble(m -> ((org.jfree.chart.plot.ValueMarker) m).getValue())
                        .findFirst()
                        .orElse(Double.NaN),
                0);
        String html = Files.readString(run.resolve(TrainingRun.REPORT));
        assertTrue(html.contains(ClippingChart.TITLE), "the clipping chart is in the report");
        assertTrue(
                html.contains("dashed: the policy&#39;s threshold 0.01"),
                "its caption names the threshold the policy states");
        assertTrue(html.contains(
                ClippingChart.caption(c, 0.01, ms.size()).substring(0, 60).replace("'", "&#39;")));
    }

    @Test
    void aRunThatNeverClipsByNormHasNoThresholdAndNoClippingChart() throws IOException {
        Path run = dir.resolve("none");
        TrainingRun r = train(run, "none");
        assertTrue(Double.isNaN(RunReport.clipThreshold(r.network())));
        assertFalse(Files.readString(run.resolve(TrainingRun.REPORT)).contains(ClippingChart.TITLE));
        // Clipping by value bounds components, not the norm: no norm threshold is drawn.
        assertTrue(Double.isNaN(RunReport.clipThreshold(
                train(dir.resolve("value"), "clip-value", "value", "0.5").network())));
    }
}
