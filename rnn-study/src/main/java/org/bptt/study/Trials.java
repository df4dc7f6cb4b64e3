package org.bptt.study;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.bptt.api.internal.io.AtomicFile;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.report.RunReport;
import org.bptt.training.FitResult.Outcome;
import org.bptt.training.IterationMetrics;
import org.bptt.training.eval.EvaluationSettings;
import org.bptt.training.eval.HeldOutEvaluator;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.run.MetricsFile;
import org.bptt.training.run.ResolvedOptions;
import org.bptt.training.run.RunListener;
import org.bptt.training.run.RunSummary;
import org.bptt.training.run.TrainingRun;

/**
 * Runs one plan entry into one ordinary run folder and returns its {@link SummaryRow}: the unit
 * of work of every sweep engine. Idempotent and resumable: a folder with a result returns it
 * without training; one with a checkpoint continues from it (bit for bit as if uninterrupted);
 * one without starts afresh. The run folder is what {@code rnn train} writes, plus
 * {@code evaluation.json} and, at the end, {@code result.json}.
 */
public final class Trials {
    /** Wall seconds of training saved at each checkpoint, so that a resumed run's time adds up. */
    static final String ELAPSED = ".elapsed";
    /** What a run folder may hold before its first checkpoint: cleared when a run starts afresh. */
    private static final List<String> PARTIAL = List.of(
            TrainingRun.CONFIG,
            TrainingRun.DIAGNOSTICS,
            TrainingRun.REPORT,
            EvaluationSettings.FILE,
            "metrics.csv",
            "metrics.jsonl",
            ELAPSED);

    private Trials() {}

    /**
     * Trains {@code entry} in {@code folder} (created if needed) with held-out evaluation as
     * {@code evaluation} says, writing {@code report.html} at checkpoints and at the end.
     *
     * @return the run's row, or null when the listener stopped it (its checkpoint is saved)
     * @throws ConfigurationException when the folder holds a different run
     */
    public static SummaryRow run(
            PlanEntry entry, EvaluationSettings evaluation, Path folder, Plugins plugins, TrialListener listener)
            throws IOException {
        if (Files.exists(folder.resolve(SummaryRow.FILE))) {
            SummaryRow done = SummaryRow.read(folder);
            if (!done.id().equals(entry.id())) {
                throw new ConfigurationException(
                        folder + " holds the result of run " + done.id() + ", not " + entry.id());
            }
            return done;
        }
        TrainingRun run;
        double before;
        if (Files.exists(folder.resolve(TrainingRun.CHECKPOINT))) {
            run = TrainingRun.resume(folder, plugins, MetricsFile.FORMATS.get(0), 0);
            // A run folder holds its plugins' options resolved (since 0.2.0); older ones hold those given.
            if (!ResolvedOptions.of(run.config(), plugins).equals(ResolvedOptions.of(entry.config(), plugins))) {
                throw new ConfigurationException(folder + " holds a run of another configuration than plan entry "
                        + entry.id() + "; move it away");
            }
            before = elapsed(folder);
        } else {
            for (String f : PARTIAL) {
                Files.deleteIfExists(folder.resolve(f));
            }
            run = TrainingRun.create(entry.config(), folder, plugins, MetricsFile.FORMATS.get(0));
            evaluation.write(folder);
            before = 0;
        }
        if (run.task().hasHeldOut()) {
            run.evaluateWith(new HeldOutEvaluator(evaluation), evaluation.every());
        }
        long t0 = System.nanoTime();
        RunReport report = new RunReport();
        RunSummary s = run.run(new RunListener() {
            @Override
            public void started(TrainingRun r) {
                listener.started(entry, r.startIteration(), r.config().iterations());
            }

            @Override
            public void iteration(TrainingRun r, IterationMetrics m) {
                listener.progressed(entry, m.iteration() + 1, r.config().iterations());
            }

            @Override
            public void checkpointed(TrainingRun r, long iteration) {
                report.checkpointed(r, iteration);
                try {
                    AtomicFile.writeString(folder.resolve(ELAPSED), seconds(before, t0));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                listener.checkpointed(entry, iteration);
            }

            @Override
            public void finished(TrainingRun r, RunSummary summary) {
                report.finished(r, summary);
            }

            @Override
            public boolean stopRequested() {
                return listener.stopRequested();
            }
        });
        if (s.outcome() == Outcome.INTERRUPTED) {
            return null;
        }
        double seconds = before + (System.nanoTime() - t0) / 1e9;
        SummaryRow row = new SummaryRow(
                entry.index(),
                entry.id(),
                entry.values(),
                entry.seed(),
                s.outcome() == Outcome.DIVERGED ? SummaryRow.DIVERGED : SummaryRow.FINISHED,
                s.iterations(),
                RunSummary.finalTrainingLoss(run.history().metrics()),
                s.heldOut() == null ? java.util.Map.of() : s.heldOut().metrics(),
                seconds,
                s.message(),
                SummaryRow.curve(run.history().metrics()),
                run.history().evaluations(),
                s.clipRate(),
                s.learning().name().toLowerCase(java.util.Locale.ROOT),
                SummaryRow.largestGradNorm(run.history().metrics()));
        row.write(folder);
        return row;
    }

    private static String seconds(double before, long t0) {
        return String.format(Locale.ROOT, "%.3f%n", before + (System.nanoTime() - t0) / 1e9);
    }

    private static double elapsed(Path folder) {
        try {
            return Double.parseDouble(Files.readString(folder.resolve(ELAPSED)).strip());
        } catch (IOException | NumberFormatException e) {
            return 0; // a run stopped before its first checkpoint had nothing to add
        }
    }
}
