package org.bptt.cli.train;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.bptt.api.data.Batch;
import org.bptt.api.data.Task;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.tensor.Tensor;
import org.bptt.api.truncation.Truncation.Window;
import org.bptt.cli.report.GradientFlowSnapshot;
import org.bptt.cli.report.HtmlReport;
import org.bptt.cli.report.IterationMetrics;
import org.bptt.cli.report.ReportData;
import org.bptt.cli.report.Spectrum;
import org.bptt.training.BpttTrainer;
import org.bptt.training.NonFiniteException;
import org.bptt.training.StepResult;
import org.bptt.training.diag.Spectral;
import org.bptt.training.wiring.Plugins;
import org.bptt.training.wiring.TrainingModule;

/**
 * One training run in a folder: config.json, checkpoint.bin, metrics (CSV or JSONL),
 * diagnostics.json and report.html. Every file is written atomically. Each iteration draws
 * its batch from a generator derived from (seed, iteration), so a run resumed from a
 * checkpoint continues exactly as an uninterrupted one would.
 */
public final class TrainingRun {
    public static final String CONFIG = "config.json";
    public static final String CHECKPOINT = "checkpoint.bin";
    public static final String DIAGNOSTICS = "diagnostics.json";
    public static final String REPORT = "report.html";

    private final RunConfig config;
    private final Path dir;
    private final String metricsFormat;
    private final Progress progress;
    private final PrintWriter out;

    private final Task task;
    private final BpttTrainer trainer;
    private final Batch batch;
    private final String configJson;
    private final List<IterationMetrics> metrics = new ArrayList<>();
    private final List<GradientFlowSnapshot> flow = new ArrayList<>();
    private Spectrum spectrumStart;
    private long startIteration;

    private TrainingRun(RunConfig config, Path dir, String metricsFormat, Progress progress, PrintWriter out) {
        this.config = config.validate();
        this.dir = dir;
        this.metricsFormat = metricsFormat;
        this.progress = progress;
        this.out = out;
        Plugins plugins = Plugins.discover();
        this.task = plugins.tasks().get(config.task().name()).create(config.task().pluginOptions());
        this.trainer = TrainingModule.trainer(config.trainingConfig(task.inputSize(), task.outputSize(), task.defaultLoss()));
        this.batch = task.newBatch(config.batch());
        this.configJson = Json.write(config);
    }

    /** A new run in {@code dir}, which must not already hold one. */
    public static TrainingRun create(RunConfig config, Path dir, String metricsFormat, Progress progress, PrintWriter out) {
        prepareFolder(dir);
        TrainingRun run = new TrainingRun(config, dir, metricsFormat, progress, out);
        try {
            AtomicFiles.writeString(dir.resolve(CONFIG), run.configJson);
        } catch (IOException e) {
            throw new ConfigurationException("cannot write to the output folder " + dir + " (" + e.getMessage() + ")");
        }
        run.spectrumStart = run.spectrum();
        return run;
    }

    /** Continues the run in {@code dir} from its checkpoint; {@code iterations}, if positive, extends it. */
    public static TrainingRun resume(Path dir, long iterations, String metricsFormat, Progress progress, PrintWriter out) {
        if (!Files.isDirectory(dir)) {
            throw new ConfigurationException(dir + ": no such run folder to resume");
        }
        Path ckptFile = dir.resolve(CHECKPOINT);
        Checkpoint ckpt = Checkpoint.read(ckptFile);
        RunConfig saved = Json.parse(ckpt.configJson(), ckptFile.toString());
        Path cfgFile = dir.resolve(CONFIG);
        if (Files.exists(cfgFile) && !Json.read(cfgFile).equals(saved)) {
            throw new ConfigurationException(ckptFile + ": the checkpoint was written by a different configuration than "
                    + cfgFile + "; refusing to mix them");
        }
        RunConfig cfg = iterations > 0 ? withIterations(saved, iterations) : saved;
        TrainingRun run = new TrainingRun(cfg, dir, metricsFormat, progress, out);
        ckpt.restore(run.trainer.model().params(), run.trainer.optimizer(), run.trainer.policy(), ckptFile.toString());
        run.trainer.setIteration(ckpt.iteration());
        run.startIteration = ckpt.iteration();
        if (run.startIteration > cfg.iterations()) {
            throw new ConfigurationException("the checkpoint is at iteration " + run.startIteration
                    + ", beyond the " + cfg.iterations() + " iterations asked for");
        }
        Diagnostics.read(dir.resolve(DIAGNOSTICS), run.startIteration, run.metrics, run.flow)
                .ifPresent(s -> run.spectrumStart = s);
        if (run.spectrumStart == null) {
            run.spectrumStart = run.spectrum();
        }
        return run;
    }

    private static RunConfig withIterations(RunConfig c, long iterations) {
        return new RunConfig(c.task(), c.hidden(), c.cell(), c.loss(), c.optimizer(), c.policy(), c.truncation(),
                c.initializer(), c.batch(), iterations, c.seed(), c.threads(), c.backend(), c.lossMean(),
                c.updatePerWindow(), c.nonFinite(), c.checkpointEvery(), c.diagnosticsEvery());
    }

    private static void prepareFolder(Path dir) {
        try {
            if (Files.exists(dir)) {
                if (!Files.isDirectory(dir)) {
                    throw new ConfigurationException("the output folder " + dir + " is a file; give a folder");
                }
                if (Files.exists(dir.resolve(CONFIG)) || Files.exists(dir.resolve(CHECKPOINT))) {
                    throw new ConfigurationException("the output folder " + dir
                            + " already holds a run; choose another folder, or continue it with --resume " + dir);
                }
            }
            Files.createDirectories(dir);
            if (!Files.isWritable(dir)) {
                throw new ConfigurationException("the output folder " + dir + " cannot be written");
            }
        } catch (IOException e) {
            throw new ConfigurationException("the output folder " + dir + " cannot be created (" + e.getMessage() + ")");
        }
    }

    /** The generator of iteration {@code it}'s batch: a pure function of (seed, iteration). */
    static SplittableRandom dataRandom(long seed, long it) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + it * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL);
    }

    public Path folder() { return dir; }
    public BpttTrainer trainer() { return trainer; }
    public Task task() { return task; }
    public List<IterationMetrics> metrics() { return metrics; }

    /** Trains to the configured number of iterations, checkpointing on the way; writes the report at the end. */
    public Summary run() throws IOException {
        long total = config.iterations();
        List<Window> fullWindow = List.of(new Window(0, batch.steps(), 0, batch.steps()));
        double[] flowNorms = new double[batch.steps()];
        progress.start(startIteration, total);
        long t0 = System.nanoTime();
        for (long it = startIteration; it < total; it++) {
            task.fill(batch, dataRandom(config.seed(), it));
            boolean diagnose = it % config.diagnosticsEvery() == 0 || it == total - 1;
            if (diagnose) {
                trainer.gradients(batch, fullWindow, null);
                double[] hn = trainer.hiddenGradNorms();
                int b = batch.batch();
                for (int t = 0; t < flowNorms.length; t++) {
                    double s = 0;
                    for (int r = 0; r < b; r++) {
                        s += hn[t * b + r] * hn[t * b + r];
                    }
                    flowNorms[t] = Math.sqrt(s);
                }
                flow.add(new GradientFlowSnapshot(it, flowNorms.clone()));
            }
            StepResult r;
            try {
                r = trainer.trainStep(batch);
            } catch (NonFiniteException e) {
                checkpoint(it);
                throw new ConfigurationException(e.getMessage() + " (the last good state is saved in " + dir.resolve(CHECKPOINT) + ")");
            }
            double radius = Double.NaN;
            double norm = Double.NaN;
            if (diagnose) {
                Spectral s = spectral();
                if (s != null) {
                    radius = s.radius();
                    norm = s.norm();
                }
            }
            metrics.add(new IterationMetrics(it, r.loss(), r.accuracy(), r.maxNormBefore(), r.lastReport().normAfter(),
                    r.clippedUpdates() > 0, radius, norm, r.skipped() > 0));
            progress.update(it + 1, metrics);
            if (config.checkpointEvery() > 0 && (it + 1) % config.checkpointEvery() == 0 && it + 1 < total) {
                checkpoint(it + 1);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        progress.finish();
        checkpoint(total);
        Summary summary = summarize(seconds);
        HtmlReport.write(dir.resolve(REPORT), reportData(summary));
        return summary;
    }

    /** The spectrum of W, or null when the cell has no single W or W holds non-finite values. */
    private Spectral spectral() {
        Tensor w = trainer.model().recurrentMatrix().orElse(null);
        if (w == null) {
            return null;
        }
        for (float v : w.data()) {
            if (!Float.isFinite(v)) {
                return null;
            }
        }
        return Spectral.of(w);
    }

    private Spectrum spectrum() {
        Spectral s = spectral();
        return s == null ? null : new Spectrum(s.real(), s.imag());
    }

    private void checkpoint(long iteration) throws IOException {
        Checkpoint.capture(configJson, iteration, trainer.model().params(), trainer.optimizer(), trainer.policy(),
                task.vocabulary()).write(dir.resolve(CHECKPOINT));
        Diagnostics.write(dir.resolve(DIAGNOSTICS), metrics, flow, spectrumStart);
        MetricsFile.write(dir, metricsFormat, metrics);
    }

    /** The numbers a person wants at the end. */
    public record Summary(long iterations, double firstLoss, double finalLoss, double finalAccuracy, double baseline,
                          double clipRate, long skipped, double seconds, Path folder) {
        public String text() {
            StringBuilder s = new StringBuilder();
            s.append(String.format(Locale.ROOT, "trained %d iterations in %.1f s: loss %.4f -> %.4f", iterations, seconds,
                    firstLoss, finalLoss));
            if (!Double.isNaN(finalAccuracy)) {
                s.append(String.format(Locale.ROOT, ", accuracy %.1f%%", 100 * finalAccuracy));
            }
            if (!Double.isNaN(baseline)) {
                s.append(String.format(Locale.ROOT, " (baseline %.4f: %s)", baseline,
                        finalLoss < 0.5 * baseline ? "learned" : finalLoss < baseline ? "partly learned" : "not learned yet"));
            }
            s.append(String.format(Locale.ROOT, "; clipped %.0f%% of updates", 100 * clipRate));
            if (skipped > 0) {
                s.append("; skipped ").append(skipped).append(" non-finite updates");
            }
            return s.toString();
        }
    }

    private Summary summarize(double seconds) {
        int n = metrics.size();
        int window = Math.max(1, Math.min(50, n / 10));
        double first = metrics.isEmpty() ? Double.NaN : metrics.get(0).loss();
        double last = 0;
        double acc = 0;
        for (int i = n - window; i < n; i++) {
            last += metrics.get(i).loss() / window;
            acc += metrics.get(i).accuracy() / window;
        }
        long clipped = metrics.stream().filter(IterationMetrics::clipped).count();
        long skipped = metrics.stream().filter(IterationMetrics::skipped).count();
        return new Summary(config.iterations(), first, last, acc, baseline(), n == 0 ? 0 : (double) clipped / n, skipped,
                seconds, dir);
    }

    /** The task's baseline in the units of this run's batch loss. */
    private double baseline() {
        double perStep = task.baselineLoss();
        if (config.lossMeanValue() == org.bptt.training.LossMean.STEP) {
            return perStep;
        }
        return perStep * batch.lossStepCount();
    }

    private ReportData reportData(Summary summary) {
        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put("task", task.describe());
        cfg.put("cell", trainer.model().cell().describe() + ", H=" + config.hidden());
        cfg.put("loss", trainer.loss().describe() + " (mean over " + config.lossMean() + ")");
        cfg.put("optimizer", trainer.optimizer().describe());
        cfg.put("gradient policy", trainer.policy().describe());
        cfg.put("truncation", trainer.truncation().describe());
        cfg.put("initializer", config.initializer().name() + config.initializer().options());
        cfg.put("batch", Integer.toString(config.batch()));
        cfg.put("iterations", Long.toString(config.iterations()));
        cfg.put("seed", Long.toString(config.seed()));
        cfg.put("backend", trainer.kernels().name() + " (" + trainer.kernels().vectorBitSize() + "-bit), threads "
                + config.threads());
        Tensor w = trainer.model().recurrentMatrix().orElse(null);
        String title = task.describe() + " — " + trainer.model().cell().describe() + ", H=" + config.hidden();
        return new ReportData(title, cfg, metrics, config.clipThreshold(), summary.baseline(), flow, spectrumStart,
                w == null ? null : spectrum(), summary.text());
    }
}
