package org.bptt.report;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bptt.training.Network;
import org.bptt.training.config.RunConfig;
import org.bptt.training.config.RunSettings;
import org.bptt.training.diag.Spectral;
import org.bptt.training.diag.Spectrum;
import org.bptt.training.run.RunListener;
import org.bptt.training.run.RunSummary;
import org.bptt.training.run.TrainingRun;

/**
 * Keeps a run's {@code report.html} up to date: written at every checkpoint (so a run that is
 * killed still has a report of what it did) and at the end, whatever the outcome (finished,
 * interrupted, diverged). Runs on the training thread, as listeners do.
 */
public final class RunReport implements RunListener {

    @Override
    public void checkpointed(TrainingRun run, long iteration) {
        write(run, null);
    }

    @Override
    public void finished(TrainingRun run, RunSummary summary) {
        write(run, summary);
    }

    private static void write(TrainingRun run, RunSummary summary) {
        try {
            HtmlReport.write(run.folder().resolve(TrainingRun.REPORT), data(run, summary));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** What the report shows about a run, so far or at its end ({@code summary} null while it trains). */
    public static ReportData data(TrainingRun run, RunSummary summary) {
        Network net = run.network();
        RunConfig config = run.config();
        RunSummary sum = summary != null ? summary : RunSummary.soFar(run);
        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put("task", run.task().describe());
        cfg.put("cell", net.model().cell().describe() + ", H=" + config.hidden());
        cfg.put(
                "loss",
                net.trainer().loss().describe() + " (mean over " + RunSettings.LOSS_MEAN.show(config.lossMean()) + ")");
        cfg.put("optimizer", net.trainer().optimizer().describe());
        cfg.put("gradient policy", net.trainer().policy().describe());
        cfg.put("truncation", net.trainer().truncation().describe());
        cfg.put("initializer", config.initializer().toString());
        cfg.put("batch", Integer.toString(config.batch()));
        cfg.put("iterations", Long.toString(config.iterations()));
        cfg.put("seed", Long.toString(config.seed()));
        cfg.put(
                "backend",
                net.trainer().kernels().name() + " (" + net.trainer().kernels().vectorBitSize() + "-bit), threads "
                        + config.threads());
        Spectral s = net.spectral();
        String title = run.task().describe() + " — " + net.model().cell().describe() + ", H=" + config.hidden();
        return new ReportData(
                title,
                cfg,
                run.history().metrics(),
                clipThreshold(net),
                run.history().flow(),
                run.history().spectrumStart(),
                s == null ? null : new Spectrum(s.real(), s.imag()),
                sum,
                run.history().evaluations(),
                net.model().recurrentMatrix().isPresent(),
                run.history().trainedFlow(),
                run.history().layers());
    }

    /** The clip threshold to draw, asked of the run's policy; NaN when it does not clip by norm. */
    static double clipThreshold(Network net) {
        return org.bptt.training.run.ClipThreshold.of(net.config().policy(), net.plugins());
    }
}
