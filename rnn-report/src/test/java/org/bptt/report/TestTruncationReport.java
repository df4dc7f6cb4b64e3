package org.bptt.report;

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
import org.bptt.training.plugin.Plugins;
import org.bptt.training.run.RunListener;
import org.bptt.training.run.RunSummary;
import org.bptt.training.run.TrainingRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Truncation on screen: a TBPTT(5, 15) run on the adding problem with T = 100 records the flow its
 * training back-propagated — exactly 0 more than 15 steps back from the one loss at step 99 — and its
 * report marks the horizon; the same run under full BPTT does neither.
 */
final class TestTruncationReport {
    private static final Plugins PLUGINS = Plugins.discover();
    private static final int T = 100;
    private static final int K2 = 15;

    @TempDir
    Path dir;

    private static Network.Builder adding(String truncation, String... options) {
        return Network.builder()
                .task("adding", "steps", Integer.toString(T))
                .hidden(10)
                .batch(4)
                .checkpointEvery(10)
                .diagnosticsEvery(5)
                .truncation(truncation, options);
    }

    private static RunSummary train(Path run, RunConfig cfg) throws IOException {
        RunReport report = new RunReport();
        return TrainingRun.create(cfg, run, PLUGINS, "csv").run(new RunListener() {
            @Override
            public void checkpointed(TrainingRun r, long it) {
                report.checkpointed(r, it);
            }

            @Override
            public void finished(TrainingRun r, RunSummary s) {
                report.finished(r, s);
            }
        });
    }

    @Test
    void truncatedRunRecordsZeroFlowBeyondK2AndItsReportMarksTheHorizon() throws IOException {
        Path run = dir.resolve("tbptt");
        RunSummary s = train(
                run,
                adding("tbptt", "k1", "5", "k2", Integer.toString(K2)).config().withIterations(20));
        TrainingRun saved = TrainingRun.resume(run, PLUGINS, "csv", 0);
        List<GradientFlowSnapshot> trained = saved.history().trainedFlow();
        List<GradientFlowSnapshot> measured = saved.history().flow();
        assertEquals(
                measured.size(), trained.size(), "one trained snapshot beside each measured one, read back from disk");
        assertTrue(trained.size() >= 4, "iterations 0, 5, 10, 15 and the last");
        for (int i = 0; i < trained.size(); i++) {
            GradientFlowSnapshot tr = trained.get(i);
            GradientFlowSnapshot full = measured.get(i);
            assertEquals(full.iteration(), tr.iteration());
            for (int k = 0; k < T - K2; k++) {
                assertEquals(
                        0.0, tr.norm(k), "step " + k + " lies beyond every window that carries the loss of step 99");
            }
            // The only loss is at step 99, so the last window's gradient is full BPTT's over the steps it covers.
            for (int k = T - K2; k < T; k++) {
                assertTrue(tr.norm(k) > 0, "step " + k);
                assertEquals(
                        full.norm(k), tr.norm(k), 1e-5 * full.norm(k), "step " + k + " at iteration " + tr.iteration());
            }
            assertTrue(full.norm(0) > 0, "full BPTT, measured, reaches step 0");
        }
        assertEquals(
                "Truncation: the gradient reaches back at most 15 steps (tbptt(k1=5, k2=15)); the task's dependency "
                        + "spans up to 99 steps, longer than that reach.",
                s.reachText());
        assertTrue(s.text().contains(s.reachText()), "the terminal prints it");

        String html = Files.readString(run.resolve(TrainingRun.REPORT));
        assertTrue(
                html.contains(">" + TruncationMarks.HORIZON + ": 15 steps back from T<"),
                "the horizon line on the heatmap");
        assertTrue(html.contains(">longest lag: 99 steps<"), "where the task's dependency begins");
        assertTrue(html.contains(Page.esc(s.reachText())), "the reach beside the verdict");
        assertTrue(html.contains("Gradient flow of full BPTT, measured"), "the measurement stays, labelled");
        assertEquals(HtmlReport.TRAINING_CHARTS + 1, TestHtmlReport.count(html, "<svg"), "one heatmap more");
    }

    @Test
    void fullBpttRunShowsFlowAtStepZeroAndNoHorizon() throws IOException {
        Path run = dir.resolve("full");
        RunSummary s = train(run, adding("full").config().withIterations(20));
        TrainingRun saved = TrainingRun.resume(run, PLUGINS, "csv", 0);
        assertEquals(saved.history().flow(), saved.history().trainedFlow(), "full BPTT trains what it measures");
        assertTrue(saved.history().trainedFlow().get(0).norm(0) > 0);
        assertEquals("", s.reachText());
        String html = Files.readString(run.resolve(TrainingRun.REPORT));
        assertFalse(html.contains(TruncationMarks.HORIZON + ":"), "no horizon under full BPTT");
        assertFalse(html.contains("Truncation:"));
        assertEquals(HtmlReport.TRAINING_CHARTS, TestHtmlReport.count(html, "<svg"));
        assertEquals(1, s.reach().lossSteps(), "the adding problem's one loss");
        assertFalse(html.contains("Red here is not explosion by itself"), "no per-step-loss caveat for one loss step");
    }

    @Test
    void aTaskWithALossAtEveryStepGetsTheCaveatOnItsHeatmap() throws IOException {
        Path run = dir.resolve("copy");
        RunSummary s = train(
                run,
                Network.builder()
                        .task("copy", "symbols", "3", "delay", "4", "alphabet", "4")
                        .hidden(8)
                        .batch(4)
                        .checkpointEvery(10)
                        .diagnosticsEvery(5)
                        .config()
                        .withIterations(10));
        assertEquals(10, s.reach().lossSteps(), "T = 3 + 4 + 3, a loss at every step");
        assertEquals(7, s.reach().longestLag(), "symbol k is recalled S + D steps later");
        String html = Files.readString(run.resolve(TrainingRun.REPORT));
        assertTrue(html.contains(Page.esc(HtmlReport.perStepLossCaveat(s))), "the caveat under the heatmap");
        assertTrue(
                HtmlReport.perStepLossCaveat(s).contains("a loss at 10 of its 10 steps"),
                HtmlReport.perStepLossCaveat(s));
    }
}
