package org.bptt.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.bptt.training.FitResult.Outcome;
import org.bptt.training.IterationMetrics;
import org.bptt.training.Network;
import org.bptt.training.NonFinitePolicy;
import org.bptt.training.config.RunConfig;
import org.bptt.training.diag.GradientFlowVerdict;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.run.RunListener;
import org.bptt.training.run.RunSummary;
import org.bptt.training.run.TrainingRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reports of real (tiny) runs: every outcome gets one, written by {@link RunReport}. */
final class TestRunReport {
    private static final Plugins PLUGINS = Plugins.discover();

    @TempDir
    Path dir;

    private static Network.Builder small() {
        return Network.builder()
                .task("adding", "steps", "12")
                .hidden(12)
                .batch(8)
                .checkpointEvery(20)
                .diagnosticsEvery(10);
    }

    private RunSummary train(Path run, RunConfig cfg, RunListener extra) throws IOException {
        RunReport report = new RunReport();
        return TrainingRun.create(cfg, run, PLUGINS, "csv").run(new RunListener() {
            @Override
            public void iteration(TrainingRun r, IterationMetrics m) {
                extra.iteration(r, m);
            }

            @Override
            public void checkpointed(TrainingRun r, long it) {
                report.checkpointed(r, it);
            }

            @Override
            public void finished(TrainingRun r, RunSummary s) {
                report.finished(r, s);
            }

            @Override
            public boolean stopRequested() {
                return extra.stopRequested();
            }
        });
    }

    @Test
    void finishedRunReportHasTheMeasuredVerdictAndRhoBeforeTheFirstUpdate() throws IOException {
        Path run = dir.resolve("ok");
        RunConfig cfg =
                small().initializer("spectral", "radius", "0.9").config().withIterations(60);
        RunSummary s = train(run, cfg, new RunListener() {});
        assertEquals(Outcome.FINISHED, s.outcome());
        TrainingRun again = TrainingRun.resume(run, PLUGINS, "csv", 0);
        IterationMetrics first = again.history().metrics().get(0);
        // The first row's ρ(W) is measured before its update: the initializer's 0.9, as the saved initial spectrum
        // says.
        assertEquals(again.history().spectrumStart().spectralRadius(), first.spectralRadius(), 1e-12);
        assertEquals(0.9, first.spectralRadius(), 1e-4);

        String html = Files.readString(run.resolve(TrainingRun.REPORT));
        assertEquals(HtmlReport.TRAINING_CHARTS, TestHtmlReport.count(html, "<svg"));
        assertTrue(
                TestHtmlReport.verdictOf(html).contains(RunSummary.loss(s.finalLoss())), "the summary's final figure");
        GradientFlowVerdict v = s.flow();
        assertEquals(4, s.jacobianNorms().length, "measured on four sample sequences");
        assertEquals(GradientFlowVerdict.fitFactor(s.jacobianNorms()), v.factor(), 0);
        assertTrue(
                TestHtmlReport.flowOf(html)
                        .startsWith("Gradient flow at the end: " + v.regime().word()),
                TestHtmlReport.flowOf(html));
        assertFalse(html.contains("In progress"), "the final report replaced the one of the last checkpoint");
        // outcome.json, read by the one reader, near the top: written before the final report.
        assertTrue(
                html.contains(
                        "<p class=\"note outcome\">Outcome: finished: all " + s.asked() + " iterations trained.</p>"),
                html.substring(0, 3000));
    }

    @Test
    void aCheckpointsReportSaysTheRunWasRunningWhenItWasWritten() throws IOException {
        Path run = dir.resolve("running");
        RunConfig cfg =
                small().config().toBuilder().iterations(40).checkpointEvery(20).build();
        String[] seen = new String[1];
        train(run, cfg, new RunListener() {
            @Override
            public void iteration(TrainingRun r, IterationMetrics m) {
                if (m.iteration() == 25) {
                    try {
                        seen[0] = Files.readString(run.resolve(TrainingRun.REPORT));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }
        });
        assertTrue(
                seen[0].contains("Outcome when this page was written: running: 20 of 40 iterations so far (process "
                        + ProcessHandle.current().pid() + ")"),
                seen[0].substring(0, 3000));
    }

    @Test
    void divergedRunGetsAReportMarkedAtTheDivergence() throws IOException {
        // ReLU with W = 1.5·I and no clipping: activations and gradients grow 1.5× a step until they overflow.
        Path run = dir.resolve("diverged");
        RunConfig cfg = small().cell("vanilla", "activation", "relu")
                .initializer("identity", "gain", "1.5")
                .policy("none")
                .optimizer("sgd", "lr", "0.5")
                .task("adding", "steps", "200")
                .config()
                .withIterations(200);
        RunSummary s = train(run, cfg, new RunListener() {});
        assertEquals(Outcome.DIVERGED, s.outcome(), s.text());
        String html = Files.readString(run.resolve(TrainingRun.REPORT));
        assertTrue(
                html.contains("<p class=\"alert\">This run diverged at iteration " + s.iterations()),
                html.substring(0, 2000));
        assertTrue(html.contains(">diverged at iteration " + s.iterations() + "<"), "the line on the charts");
        assertTrue(TestHtmlReport.verdictOf(html).startsWith("Diverged after " + s.iterations() + " iterations"));
        assertTrue(
                html.contains("Outcome: diverged after " + s.iterations() + " of 200 iterations: non-finite"),
                html.substring(0, 3000));
    }

    @Test
    void skippedUpdatesLeaveTheLossChartDrawable() throws IOException {
        Path run = dir.resolve("skip");
        RunConfig cfg = small().cell("vanilla", "activation", "relu")
                .initializer("identity", "gain", "1.5")
                .policy("none")
                .optimizer("sgd", "lr", "0.5")
                .task("adding", "steps", "200")
                .nonFinite(NonFinitePolicy.SKIP)
                .config()
                .withIterations(60);
        RunSummary s = train(run, cfg, new RunListener() {});
        assertTrue(s.skipped() > 0, s.text());
        assertTrue(
                Double.isNaN(s.finalLoss()) || s.finalLoss() < 1e6,
                "skipped updates are not in the final figure: " + s.text());
        String html = Files.readString(run.resolve(TrainingRun.REPORT));
        assertFalse(html.contains("Infinity") || html.contains("NaN\""), "no broken numbers in the charts");
    }

    @Test
    void interruptedRunGetsAReportSayingSo() throws IOException {
        Path run = dir.resolve("stopped");
        AtomicLong seen = new AtomicLong();
        RunSummary s = train(run, small().config().withIterations(100), new RunListener() {
            @Override
            public void iteration(TrainingRun r, IterationMetrics m) {
                seen.incrementAndGet();
            }

            @Override
            public boolean stopRequested() {
                return seen.get() >= 30;
            }
        });
        assertEquals(Outcome.INTERRUPTED, s.outcome());
        assertEquals(30, s.iterations());
        String html = Files.readString(run.resolve(TrainingRun.REPORT));
        assertTrue(html.contains("This run was interrupted at iteration 30 of 100"), "interrupted");
    }
}
