package org.bptt.cli.train;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.function.Supplier;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.cli.DashboardCommand;
import org.bptt.cli.Main;
import org.bptt.dashboard.Dashboard;
import org.bptt.report.RunReport;
import org.bptt.training.FitResult.Outcome;
import org.bptt.training.IterationMetrics;
import org.bptt.training.Network;
import org.bptt.training.config.RunFailure;
import org.bptt.training.eval.NoHeldOutDataException;
import org.bptt.training.run.ExistingRunException;
import org.bptt.training.run.RunListener;
import org.bptt.training.run.RunOutcome;
import org.bptt.training.run.RunSummary;
import org.bptt.training.run.TrainingRun;

/**
 * A run trained in a terminal: what it trains, progress on standard error, the report at each
 * checkpoint and at the end, an optional live dashboard, and the summary, with what to do next.
 */
record ConsoleTraining(PrintWriter out, PrintWriter err, boolean quiet, boolean dashboard, StopSignals signals) {

    /**
     * Opens a run with stop signals installed, so that a Ctrl-C while it starts still ends with a
     * checkpoint, trains it to its end and closes it; returns the exit code.
     */
    static int train(
            PrintWriter out,
            PrintWriter err,
            boolean quiet,
            boolean dashboard,
            boolean resumed,
            Supplier<TrainingRun> open)
            throws IOException {
        try (StopSignals signals = StopSignals.install(System.err);
                TrainingRun run = opened(open)) {
            return new ConsoleTraining(out, err, quiet, dashboard, signals).train(run, resumed);
        }
    }

    /** The run {@code open} makes, with its refusals in the terminal's words: the option to change, the command to continue. */
    private static TrainingRun opened(Supplier<TrainingRun> open) {
        try {
            return open.get();
        } catch (NoHeldOutDataException e) {
            throw new ConfigurationException("--eval-every needs held-out data, and the task '" + e.task()
                    + "' holds none; for a text, hold part of it out with --validation 0.1");
        } catch (ExistingRunException e) {
            throw new ConfigurationException(
                    "the output folder " + e.folder() + " already holds a run; continue it with "
                            + Main.typed("train --resume " + org.bptt.cli.ShellWord.of(e.folder()))
                            + ", or choose another folder");
        }
    }

    /** Trains the run to its end; returns the exit code. */
    int train(TrainingRun run, boolean resumed) throws IOException {
        for (String note : run.notes()) {
            out.println("note: " + note);
        }
        if (resumed && run.complete()) {
            out.println("the run in " + run.folder() + " is already complete at "
                    + run.config().iterations() + " iterations; to go further: "
                    + Main.typed("train --resume " + org.bptt.cli.ShellWord.of(run.folder()) + " --iterations N"));
            return 0;
        }
        Network net = run.network();
        if (!quiet) {
            out.println("training " + run.task().describe() + " with "
                    + net.model().cell().describe() + ", H="
                    + net.model().hiddenSize() + ", "
                    + net.trainer().optimizer().describe() + ", "
                    + net.trainer().policy().describe() + ", "
                    + net.trainer().truncation().describe() + " on "
                    + net.trainer().kernels().name() + " kernels -> " + run.folder());
            out.flush();
        }
        Progress progress = quiet ? Progress.quiet() : Progress.console(System.err);
        RunReport report = new RunReport();
        Dashboard board = dashboard ? DashboardCommand.openFor(run, out) : null;
        RunListener listener = new RunListener() {
            @Override
            public void started(TrainingRun r) {
                progress.start(r.startIteration(), r.config().iterations());
            }

            @Override
            public void iteration(TrainingRun r, IterationMetrics m) {
                progress.update(m.iteration() + 1, r.history().metrics());
            }

            @Override
            public void checkpointed(TrainingRun r, long it) {
                report.checkpointed(r, it);
            }

            @Override
            public void finished(TrainingRun r, RunSummary summary) {
                progress.finish();
                report.finished(r, summary);
            }

            @Override
            public boolean stopRequested() {
                return signals.stopRequested();
            }
        };
        RunSummary s;
        try {
            s = run.run(board == null ? listener : board.live(run, listener));
        } catch (RunFailure e) {
            progress.finish();
            throw new RunFailure(
                    e.getMessage() + " (" + Main.typed("train --resume " + org.bptt.cli.ShellWord.of(run.folder()))
                            + ")",
                    e.getCause());
        }
        out.println(s.text(run.startIteration()));
        out.println("outcome: " + RunOutcome.read(run.folder()).sentence());
        out.println("results: " + run.folder() + " (report.html, metrics." + run.metricsFormat() + ", checkpoint.bin)");
        if (s.outcome() == Outcome.INTERRUPTED) {
            out.println("stopped by " + signals.signalName() + " at iteration " + s.iterations() + " of " + s.asked()
                    + "; the checkpoint is saved, continue with: "
                    + Main.typed("train --resume " + org.bptt.cli.ShellWord.of(run.folder())));
            return signals.exitCode();
        }
        if (board != null) {
            DashboardCommand.holdOpen(board, out);
        }
        if (s.outcome() == Outcome.DIVERGED) {
            // A failed run: one sentence on standard error, like every failure, saying what was kept.
            err.println(
                    Main.oneLine("rnn train: the run diverged (" + s.message().split(";", 2)[0]
                            + "); the last good state, after " + s.iterations() + " iteration"
                            + (s.iterations() == 1 ? "" : "s") + ", is saved in "
                            + run.folder().resolve(TrainingRun.CHECKPOINT)
                            + "; try --non-finite skip, a lower --lr or --policy clip-norm"));
            return Main.EXIT_FAILED;
        }
        return 0;
    }
}
