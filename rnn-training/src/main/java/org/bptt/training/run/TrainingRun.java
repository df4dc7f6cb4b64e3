package org.bptt.training.run;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.bptt.api.data.Task;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.FitListener;
import org.bptt.training.FitResult;
import org.bptt.training.FitResult.Outcome;
import org.bptt.training.LossMean;
import org.bptt.training.Network;
import org.bptt.training.diag.GradientFlowSnapshot;
import org.bptt.training.diag.Spectral;
import org.bptt.training.diag.Spectrum;
import org.bptt.training.plugin.PluginFamily;
import org.bptt.training.plugin.Plugins;

/**
 * One training run in a folder: {@code config.json}, {@code checkpoint.bin}, metrics (CSV or
 * JSONL) and {@code diagnostics.json}; front ends add their own files (a report) through a
 * {@link RunListener}. Every file is written atomically, metrics and history before the
 * checkpoint that covers them. Each iteration draws its batch from a generator derived from
 * (seed, iteration), so a run resumed from a checkpoint continues exactly as an uninterrupted
 * one would.
 */
public final class TrainingRun {
    public static final String CONFIG = "config.json";
    public static final String CHECKPOINT = "checkpoint.bin";
    public static final String DIAGNOSTICS = "diagnostics.json";
    public static final String REPORT = "report.html";

    private final RunConfig config;
    private final Path dir;
    private final String metricsFormat;
    private final Task task;
    private final Network network;
    private final History history;
    private final long startIteration;
    private Evaluator evaluator;
    private long evaluateEvery;

    private TrainingRun(RunConfig config, Path dir, String metricsFormat, Task task, Network network, History history) {
        this.config = config;
        this.dir = dir;
        this.metricsFormat = MetricsFile.check(metricsFormat);
        this.task = task;
        this.network = network;
        this.history = history;
        this.startIteration = network.iteration();
        network.checkpointTo(dir.resolve(CHECKPOINT));
    }

    /** A new run in {@code dir}, which must not already hold one. */
    public static TrainingRun create(RunConfig config, Path dir, Plugins plugins, String metricsFormat) {
        requireNonNull(dir, "dir is null");
        config.validate();
        Task task = plugins.create(PluginFamily.TASK, config.task());
        Network network = Network.create(config, task, plugins);
        prepareFolder(dir);
        try {
            AtomicFiles.writeString(dir.resolve(CONFIG), Json.write(config));
        } catch (IOException e) {
            throw new ConfigurationException("cannot write to the output folder " + dir + " (" + e.getMessage() + ")");
        }
        History history = new History();
        Spectral s = network.spectral();
        history.spectrumStart(s == null ? null : new Spectrum(s.real(), s.imag()));
        return new TrainingRun(config, dir, metricsFormat, task, network, history);
    }

    /** Continues the run in {@code dir} from its checkpoint; {@code iterations}, if positive, sets a new total. */
    public static TrainingRun resume(Path dir, Plugins plugins, String metricsFormat, long iterations) {
        if (!Files.isDirectory(dir)) {
            throw new ConfigurationException(dir + ": no such run folder to resume");
        }
        Path ckptFile = dir.resolve(CHECKPOINT);
        Checkpoint ckpt = Checkpoint.read(ckptFile);
        RunConfig saved = ckpt.config(ckptFile.toString());
        Path cfgFile = dir.resolve(CONFIG);
        if (Files.exists(cfgFile) && !Json.read(cfgFile).withIterations(0).equals(saved.withIterations(0))) {
            throw new ConfigurationException(ckptFile + ": the checkpoint was written by a different configuration than "
                    + cfgFile + "; refusing to mix them");
        }
        RunConfig cfg = iterations > 0 ? saved.withIterations(iterations) : saved;
        if (ckpt.iteration() > cfg.iterations()) {
            throw new ConfigurationException("the checkpoint is at iteration " + ckpt.iteration() + ", beyond the "
                    + cfg.iterations() + " iterations asked for");
        }
        Task task = plugins.create(PluginFamily.TASK, cfg.task());
        Network network = Network.load(ckpt, ckptFile.toString(), plugins);
        if (cfg.iterations() != saved.iterations()) {
            // Extending the run: the folder's configuration says so too, before anything else is written.
            try {
                AtomicFiles.writeString(cfgFile, Json.write(cfg));
            } catch (IOException e) {
                throw new ConfigurationException("cannot write to the run folder " + dir + " (" + e.getMessage() + ")");
            }
        }
        History history = History.read(dir.resolve(DIAGNOSTICS), ckpt.iteration());
        if (history.spectrumStart() == null) {
            Spectral s = network.spectral();
            history.spectrumStart(s == null ? null : new Spectrum(s.real(), s.imag()));
        }
        return new TrainingRun(cfg, dir, metricsFormat, task, network, history);
    }

    private static void prepareFolder(Path dir) {
        try {
            if (Files.exists(dir)) {
                if (!Files.isDirectory(dir)) {
                    throw new ConfigurationException("the output folder " + dir + " is a file; give a folder");
                }
                if (Files.exists(dir.resolve(CONFIG)) || Files.exists(dir.resolve(CHECKPOINT))) {
                    throw new ConfigurationException("the output folder " + dir
                            + " already holds a run; choose another folder, or continue that run");
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

    public Path folder() { return dir; }
    public RunConfig config() { return config; }
    public Network network() { return network; }
    public Task task() { return task; }
    public History history() { return history; }
    public String metricsFormat() { return metricsFormat; }
    /** The iteration this session of the run started from (0 for a new run). */
    public long startIteration() { return startIteration; }

    /**
     * Evaluates the network on held-out data after every {@code every} iterations (0: never on
     * the way) and at the end of the run, unless it was interrupted; the evaluations go into the
     * history and the last one into the run's summary.
     */
    public TrainingRun evaluateWith(Evaluator evaluator, long every) {
        if (every < 0) {
            throw new ConfigurationException("the evaluation interval must be 0 (only at the end) or more, got " + every);
        }
        this.evaluator = requireNonNull(evaluator, "evaluator is null");
        this.evaluateEvery = every;
        return this;
    }

    /** Trains to the configured number of iterations, checkpointing on the way. */
    public RunSummary run(RunListener listener) throws IOException {
        requireNonNull(listener, "listener is null");
        listener.started(this);
        if (config.iterations() == 0 && history.flow().isEmpty()) {
            // A diagnostics-only run: the initial model's gradient flow is what there is to show.
            history.add(network.gradientFlow(task));
        }
        FitResult r = network.fit(task, config.iterations() - startIteration, new FitListener() {
            @Override public boolean stopRequested() { return listener.stopRequested(); }
            @Override public void onGradientFlow(Network n, GradientFlowSnapshot s) { history.add(s); }
            @Override public void onIteration(Network n, IterationMetrics m) {
                history.add(m);
                if (evaluator != null && evaluateEvery > 0 && (m.iteration() + 1) % evaluateEvery == 0) {
                    history.add(evaluator.evaluate(network, task));
                }
                listener.iteration(TrainingRun.this, m);
            }
            @Override public void beforeCheckpoint(Network n, long iteration) throws IOException {
                history.write(dir.resolve(DIAGNOSTICS));
                MetricsFile.write(dir, metricsFormat, history.metrics());
            }
            @Override public void afterCheckpoint(Network n, long iteration) { listener.checkpointed(TrainingRun.this, iteration); }
        });
        Evaluation last = history.lastEvaluation();
        if (evaluator != null && r.outcome() != Outcome.INTERRUPTED && (last == null || last.iteration() != r.to())) {
            history.add(evaluator.evaluate(network, task));
            history.write(dir.resolve(DIAGNOSTICS));
        }
        RunSummary summary = summarize(r);
        listener.finished(this, summary);
        return summary;
    }

    private RunSummary summarize(FitResult r) {
        List<IterationMetrics> metrics = history.metrics();
        int n = metrics.size();
        int window = Math.max(1, Math.min(50, n / 10));
        double first = metrics.isEmpty() ? Double.NaN : metrics.get(0).loss();
        double last = 0;
        double acc = 0;
        for (int i = Math.max(0, n - window); i < n; i++) {
            last += metrics.get(i).loss() / window;
            acc += metrics.get(i).accuracy() / window;
        }
        if (n == 0) {
            last = Double.NaN;
            acc = Double.NaN;
        }
        long clipped = metrics.stream().filter(IterationMetrics::clipped).count();
        long skipped = metrics.stream().filter(IterationMetrics::skipped).count();
        Evaluation held = history.lastEvaluation();
        return new RunSummary(r.to(), config.iterations(), first, last, acc, baseline(), n == 0 ? 0 : (double) clipped / n,
                skipped, r.seconds(), dir, r.outcome(), r.message(), held != null && held.iteration() == r.to() ? held : null,
                symbolsPerLoss());
    }

    /** For a character model, the characters one unit of this run's batch loss covers; 0 for other tasks. */
    private int symbolsPerLoss() {
        if (task.vocabulary().isEmpty()) {
            return 0;
        }
        return config.lossMeanValue() == LossMean.STEP ? 1 : task.newBatch(1).lossStepCount();
    }

    /** The task's baseline in the units of this run's batch loss. */
    public double baseline() {
        double perStep = task.baselineLoss();
        if (config.lossMeanValue() == LossMean.STEP) {
            return perStep;
        }
        return perStep * task.newBatch(1).lossStepCount();
    }
}
