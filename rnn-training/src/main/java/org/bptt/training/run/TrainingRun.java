package org.bptt.training.run;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bptt.api.data.Task;
import org.bptt.api.internal.io.AtomicFile;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.FitListener;
import org.bptt.training.FitResult;
import org.bptt.training.FitResult.Outcome;
import org.bptt.training.IterationMetrics;
import org.bptt.training.LossMean;
import org.bptt.training.Network;
import org.bptt.training.RunTimings;
import org.bptt.training.config.Checkpoint;
import org.bptt.training.config.Json;
import org.bptt.training.config.RunConfig;
import org.bptt.training.config.RunFailure;
import org.bptt.training.config.RunSettings;
import org.bptt.training.diag.GradientFlowSnapshot;
import org.bptt.training.diag.Spectral;
import org.bptt.training.diag.Spectrum;
import org.bptt.training.plugin.PluginFailure;
import org.bptt.training.plugin.PluginFamily;
import org.bptt.training.plugin.Plugins;

/**
 * One training run in a folder: {@code config.json}, {@code checkpoint.bin}, metrics (CSV or
 * JSONL) and {@code diagnostics.json}; front ends add their own files (a report) through a
 * {@link RunListener}.
 *
 * <p>What survives what:
 * <ul>
 * <li>The folder is locked for the life of the run ({@link RunFolder}): a second process that
 *     wants to write there is refused. The lock is released when {@link #run} returns or
 *     {@link #close} is called.
 * <li>At each checkpoint the metrics rows since the last one are appended and synced, then
 *     {@code diagnostics.json} is replaced atomically, then the checkpoint, which records how
 *     many metrics rows (and bytes) it covers. A run killed at any moment resumes from its last
 *     checkpoint with the metrics cut back to it, so that resumed and uninterrupted runs leave
 *     the same rows and parameters. Leftover temporaries are removed on the next start.
 * <li>A run killed before its first checkpoint restarts from its {@code config.json}.
 * <li>A resume may change how far the run goes and how many threads compute it (never its
 *     results); both are written to {@code config.json} atomically before training. Anything
 *     else, a different metrics format, or a data file that has changed since the checkpoint
 *     (its SHA-256), is refused.
 * </ul>
 * Each iteration draws its batch from a generator derived from (seed, iteration), so a run
 * resumed from a checkpoint continues exactly as an uninterrupted one would.
 */
public final class TrainingRun implements AutoCloseable {
    public static final String CONFIG = "config.json";
    public static final String CHECKPOINT = "checkpoint.bin";
    /** The model with the lowest held-out loss so far, kept by early stopping. */
    public static final String BEST = "best.bin";

    public static final String DIAGNOSTICS = "diagnostics.json";
    public static final String REPORT = "report.html";

    private final RunConfig config;
    private final RunFolder folder;
    private final Path dir;
    private final String metricsFormat;
    private final Task task;
    private final Network network;
    private final History history;
    private final long startIteration;
    private final ObjectNode data;
    private final List<String> notes;
    /** Metrics rows of {@link #history} already in the metrics file, and the file's length then. */
    private int metricsRows;

    private long metricsBytes;
    /** The iteration of the last checkpoint on disk, -1 for none. */
    private long checkpointed;
    /** The file being written, for a failure's message. */
    private String writing;

    private Evaluator evaluator;
    private long evaluateEvery;

    private TrainingRun(
            RunConfig config,
            RunFolder folder,
            String metricsFormat,
            Task task,
            Network network,
            History history,
            ObjectNode data,
            List<String> notes,
            long metricsBytes,
            long checkpointed) {
        this.config = config;
        this.folder = folder;
        this.dir = folder.dir();
        this.metricsFormat = MetricsFile.check(metricsFormat);
        this.task = task;
        this.network = network;
        this.history = history;
        this.startIteration = network.iteration();
        this.data = data;
        this.notes = List.copyOf(notes);
        this.metricsRows = history.metrics().size();
        this.metricsBytes = metricsBytes;
        this.checkpointed = checkpointed;
        network.checkpointTo(dir.resolve(CHECKPOINT), b -> {
            ObjectNode run = Json.MAPPER.createObjectNode();
            run.put("metrics_format", this.metricsFormat);
            run.put("metrics_rows", metricsRows);
            run.put("metrics_bytes", this.metricsBytes);
            run.set("data", this.data);
            b.extra("run", run);
        });
    }

    /**
     * A new run in {@code dir}, which must not exist or be empty: everything is checked and the
     * network built before the folder is touched, so a refused run leaves nothing behind.
     */
    public static TrainingRun create(RunConfig config, Path dir, Plugins plugins, String metricsFormat) {
        requireNonNull(dir, "dir is null");
        config = ResolvedOptions.of(InitialWeights.configure(config.validate(), plugins), plugins);
        MetricsFile.check(metricsFormat);
        Task task = plugins.create(PluginFamily.TASK, config.task());
        requireMemory(config, task, plugins);
        Network network = InitialWeights.network(config, task, plugins);
        if (config.get(RunSettings.EARLY_STOP) > 0 && !task.hasHeldOut()) {
            throw new ConfigurationException(
                    "the task '" + task.describe() + "' holds no sequences out, so early stopping "
                            + "has no held-out loss to watch; train without it");
        }
        ObjectNode data = DataDigest.of(config.task());
        RunFolder folder = RunFolder.forNewRun(dir);
        try {
            write(dir.resolve(CONFIG), Json.write(config), dir);
            // The starting spectrum is measured when the run starts: a caller may replace the weights first (an
            // import).
            return new TrainingRun(config, folder, metricsFormat, task, network, new History(), data, List.of(), 0, -1);
        } catch (RuntimeException e) {
            folder.abandon();
            throw e;
        }
    }

    /** Where a new run goes when no folder is named: {@code runs/<task>-<yyyyMMdd-HHmmss>}, by the local time now. */
    public static Path defaultFolder(String task) {
        return Path.of("runs", task + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    /** Continues the run in {@code dir} from its checkpoint; {@code iterations}, if positive, sets a new total. */
    public static TrainingRun resume(Path dir, Plugins plugins, String metricsFormat, long iterations) {
        return resume(dir, plugins, new Resume(metricsFormat, iterations, 0));
    }

    /**
     * What a resume may change.
     *
     * @param metricsFormat csv or jsonl, which must be the run's own; null keeps the run's
     * @param iterations    a new total (not below the checkpoint's iteration); 0 keeps the run's
     * @param threads       kernel threads from now on; 0 keeps the run's
     */
    public record Resume(String metricsFormat, long iterations, int threads) {
        public Resume {
            if (metricsFormat != null) {
                MetricsFile.check(metricsFormat);
            }
            if (iterations < 0) {
                throw new ConfigurationException("the number of iterations must be 0 or more, got " + iterations);
            }
            if (threads < 0) {
                throw new ConfigurationException("the number of threads must be at least 1, got " + threads);
            }
        }
    }

    /** Continues the run in {@code dir} from its checkpoint, or from its start when it died before the first. */
    public static TrainingRun resume(Path dir, Plugins plugins, Resume options) {
        requireNonNull(dir, "dir is null");
        requireNonNull(options, "options is null");
        RunFolder folder = RunFolder.forResume(dir);
        try {
            return resumeLocked(folder, plugins, options);
        } catch (RuntimeException e) {
            folder.close();
            throw e;
        }
    }

    private static TrainingRun resumeLocked(RunFolder folder, Plugins plugins, Resume r) {
        Path dir = folder.dir();
        Path ckptFile = dir.resolve(CHECKPOINT);
        Path cfgFile = dir.resolve(CONFIG);
        boolean hasCkpt = Files.exists(ckptFile);
        boolean hasCfg = Files.exists(cfgFile);
        if (!hasCkpt && !hasCfg) {
            throw new ConfigurationException(
                    dir + " holds no run to continue (neither " + CONFIG + " nor " + CHECKPOINT + ")");
        }
        List<String> notes = new ArrayList<>();
        if (!hasCkpt) {
            return restart(folder, plugins, r, notes);
        }
        Checkpoint ckpt = Checkpoint.read(ckptFile);
        RunConfig saved = ckpt.config(ckptFile.toString(), plugins);
        RunConfig onDisk = null;
        RunConfig cfg = saved;
        if (hasCfg) {
            onDisk = Json.read(cfgFile);
            List<String> differ = differences(onDisk, saved);
            if (!differ.isEmpty()) {
                throw new ConfigurationException(cfgFile + " describes another run than " + ckptFile
                        + " (they differ in " + String.join(", ", differ) + "); refusing to mix them");
            }
            // config.json holds the latest intent: a resume that extended the run may have died before its first
            // checkpoint.
            cfg = saved.toBuilder()
                    .iterations(onDisk.iterations())
                    .threads(onDisk.threads())
                    .build();
        } else {
            notes.add(CONFIG + " was missing; it is written again from the checkpoint");
        }
        cfg = adjust(cfg, r, notes);
        if (ckpt.iteration() > cfg.iterations()) {
            throw new ConfigurationException(
                    "the checkpoint is at iteration " + ckpt.iteration() + ", beyond the " + cfg.iterations()
                            + " iterations asked for; a run can be extended, not cut back below its checkpoint");
        }
        JsonNode run = ckpt.extra("run");
        String format = metricsFormat(run.path("metrics_format").asText(null), dir, r.metricsFormat());
        Task task = plugins.create(PluginFamily.TASK, cfg.task());
        DataDigest.requireSame(run.path("data"), cfg.task(), ckptFile);
        if (!ckpt.vocabulary().isEmpty() && !ckpt.vocabulary().equals(task.vocabulary())) {
            throw new ConfigurationException(
                    "the task's characters differ from the " + ckpt.vocabulary().size() + " the checkpoint " + ckptFile
                            + " was trained on, so its data has changed; restore it, or start a new run");
        }
        requireMemory(cfg, task, plugins);
        Network network = Network.load(ckpt, cfg, ckptFile.toString(), plugins, task.steps());
        if (network.inputSize() != task.inputSize() || network.outputSize() != task.outputSize()) {
            throw new ConfigurationException("the task now has input and output sizes " + task.inputSize() + " and "
                    + task.outputSize() + ", the checkpoint's network " + network.inputSize() + " and "
                    + network.outputSize()
                    + ", so its data has changed; restore it, or start a new run");
        }
        if (!cfg.equals(onDisk)) {
            write(cfgFile, Json.write(cfg), dir);
        }
        History history = History.read(dir.resolve(DIAGNOSTICS), ckpt.iteration());
        if (history.spectrumStart() == null) {
            history.spectrumStart(spectrum(network));
        }
        long bytes = repairMetrics(dir, format, run, history, ckpt.iteration(), notes);
        ObjectNode data = DataDigest.of(cfg.task());
        return new TrainingRun(cfg, folder, format, task, network, history, data, notes, bytes, ckpt.iteration());
    }

    /** A run that died before its first checkpoint starts again from its configuration. */
    private static TrainingRun restart(RunFolder folder, Plugins plugins, Resume r, List<String> notes) {
        Path dir = folder.dir();
        Path cfgFile = dir.resolve(CONFIG);
        RunConfig onDisk = Json.read(cfgFile);
        RunConfig cfg = adjust(onDisk, r, notes);
        String format = r.metricsFormat() != null ? r.metricsFormat() : metricsFormat(null, dir, null);
        Task task = plugins.create(PluginFamily.TASK, cfg.task());
        requireMemory(cfg, task, plugins);
        Network network = InitialWeights.network(cfg, task, plugins);
        try {
            for (String f : List.of(DIAGNOSTICS, MetricsFile.fileName("csv"), MetricsFile.fileName("jsonl"), REPORT)) {
                Files.deleteIfExists(dir.resolve(f));
            }
        } catch (IOException e) {
            throw new ConfigurationException(
                    "the run folder " + dir + " cannot be cleaned for a restart (" + Json.ioReason(e) + ")");
        }
        if (!cfg.equals(onDisk)) {
            write(cfgFile, Json.write(cfg), dir);
        }
        notes.add("the run had no checkpoint yet, so it starts again from iteration 0");
        History history = new History();
        history.spectrumStart(spectrum(network));
        return new TrainingRun(cfg, folder, format, task, network, history, DataDigest.of(cfg.task()), notes, 0, -1);
    }

    /** A run evaluates on held-out data when its task has some: that evaluation is in the memory it needs. */
    private static void requireMemory(RunConfig config, Task task, Plugins plugins) {
        Network.requireMemory(
                config, task, plugins, task.hasHeldOut() ? org.bptt.training.eval.HeldOutEvaluator.BLOCK : 0);
    }

    /** The iterations and threads a resume asks for, applied and noted. */
    private static RunConfig adjust(RunConfig cfg, Resume r, List<String> notes) {
        RunConfig c = cfg;
        if (r.iterations() > 0 && r.iterations() != c.iterations()) {
            notes.add("the run now goes to " + r.iterations() + " iterations (it was to go to " + c.iterations() + ")");
            c = c.withIterations(r.iterations());
        }
        if (r.threads() > 0 && r.threads() != c.threads()) {
            notes.add("the run goes on with " + r.threads() + " threads (it had " + c.threads()
                    + "); results do not change");
            c = c.withThreads(r.threads());
        }
        return c;
    }

    /** The settings in which two configurations differ, other than iterations and threads. */
    private static List<String> differences(RunConfig a, RunConfig b) {
        List<String> d = new ArrayList<>(a.differences(b));
        d.removeAll(List.of(RunSettings.ITERATIONS.key(), RunSettings.THREADS.key()));
        return d;
    }

    /** The run's metrics format: the one its checkpoint records, or the one file present; a different one asked for is refused. */
    private static String metricsFormat(String recorded, Path dir, String asked) {
        String own = recorded;
        if (own == null || !MetricsFile.FORMATS.contains(own)) {
            boolean csv = Files.exists(dir.resolve(MetricsFile.fileName("csv")));
            boolean jsonl = Files.exists(dir.resolve(MetricsFile.fileName("jsonl")));
            own = csv == jsonl ? null : csv ? "csv" : "jsonl";
        }
        if (own == null) {
            return asked != null ? asked : "csv";
        }
        if (asked != null && !asked.equals(own)) {
            throw new ConfigurationException("the run writes its metrics to " + MetricsFile.fileName(own)
                    + ", and the format cannot change when a run is continued; keep " + own + ", or start a new run");
        }
        return own;
    }

    /**
     * Makes the metrics file hold exactly the rows the checkpoint covers: cut back to its
     * recorded length when the row there is the checkpoint's last; otherwise written again from
     * the history when that holds every row, or refused (nothing changed) when neither can be
     * trusted, so that no row is ever lost. Returns the file's length.
     */
    private static long repairMetrics(
            Path dir, String format, JsonNode run, History history, long iteration, List<String> notes) {
        Path file = dir.resolve(MetricsFile.fileName(format));
        long bytes = run.path("metrics_bytes").asLong(-1);
        boolean recorded = run.has("metrics_bytes");
        try {
            if (recorded && MetricsFile.cutTo(file, format, bytes, iteration)) {
                if (history.metrics().size() < iteration) {
                    notes.add(DIAGNOSTICS + " holds " + history.metrics().size() + " of the " + iteration
                            + " iterations trained, so the report misses the others (" + file.getFileName()
                            + " has them all)");
                }
                return bytes;
            }
            boolean complete = history.metrics().size() == iteration;
            if (!complete && Files.exists(file)) {
                throw new ConfigurationException(
                        file + " does not match the checkpoint, and " + DIAGNOSTICS + " holds only "
                                + history.metrics().size() + " of the " + iteration
                                + " iterations to write it again from; move "
                                + file.getFileName() + " away to continue without the rows it has");
            }
            if (recorded || !complete) {
                notes.add(file.getFileName() + (Files.exists(file) ? " did not match the checkpoint" : " was missing")
                        + "; it is written again from " + DIAGNOSTICS
                        + (complete
                                ? ""
                                : ", which holds " + history.metrics().size() + " of the " + iteration
                                        + " iterations"));
            }
            MetricsFile.write(dir, format, history.metrics());
            return Files.size(file);
        } catch (IOException e) {
            throw new ConfigurationException(
                    "the metrics file " + file + " cannot be repaired (" + Json.ioReason(e) + ")");
        }
    }

    private static void write(Path file, String text, Path dir) {
        try {
            AtomicFile.writeString(file, text);
        } catch (IOException e) {
            // A full disk or a folder made read-only: the machine's failure, not the input's (exit 1).
            throw new RunFailure(
                    "cannot write " + file.getFileName() + " in the run folder " + dir + " (" + Json.ioReason(e) + ")",
                    e);
        }
    }

    private static Spectrum spectrum(Network network) {
        Spectral s = network.spectral();
        return s == null ? null : new Spectrum(s.real(), s.imag());
    }

    public Path folder() {
        return dir;
    }

    public RunConfig config() {
        return config;
    }

    public Network network() {
        return network;
    }

    public Task task() {
        return task;
    }

    public History history() {
        return history;
    }

    public String metricsFormat() {
        return metricsFormat;
    }
    /** The iteration this session of the run started from (0 for a new run). */
    public long startIteration() {
        return startIteration;
    }
    /**
     * Whether nothing is left to do: every iteration trained and, when the run evaluates, its final
     * held-out evaluation recorded (a run that died while evaluating is not complete).
     */
    public boolean complete() {
        Evaluation last = history.lastEvaluation();
        return remaining() == 0 && (evaluator == null || last != null && last.iteration() == config.iterations());
    }

    /** Iterations left to train. */
    public long remaining() {
        return config.iterations() - startIteration;
    }
    /** What opening the run changed or repaired, one sentence each (a resume's new total, a restart, a rewritten file). */
    public List<String> notes() {
        return notes;
    }
    /** The iteration of the last checkpoint on disk, or -1 when there is none yet. */
    public long lastCheckpoint() {
        return checkpointed;
    }

    /** Releases the folder's lock (also done when {@link #run} returns). Idempotent. */
    @Override
    public void close() {
        folder.close();
    }

    /**
     * Evaluates the network on held-out data after every {@code every} iterations (0: never on
     * the way) and at the end of the run, unless it was interrupted; the evaluations go into the
     * history and the last one into the run's summary.
     */
    public TrainingRun evaluateWith(Evaluator evaluator, long every) {
        if (every < 0) {
            throw new ConfigurationException(
                    "the evaluation interval must be 0 (only at the end) or more, got " + every);
        }
        this.evaluator = requireNonNull(evaluator, "evaluator is null");
        this.evaluateEvery = every;
        return this;
    }

    /**
     * Trains to the configured number of iterations, checkpointing on the way, then releases the
     * folder. A failure to write (a full disk) or to allocate ends the run with a
     * {@link RunFailure} that says what was kept.
     */
    public RunSummary run(RunListener listener) throws IOException {
        requireNonNull(listener, "listener is null");
        OutcomeFile outcome;
        try {
            outcome = OutcomeFile.start(dir, network.iteration(), config.iterations());
        } catch (IOException e) {
            folder.close();
            throw new RunFailure(
                    "cannot write " + RunOutcome.FILE + " in " + dir + " (" + Json.ioReason(e) + "); " + kept(), e);
        }
        try {
            return train(listener, outcome);
        } catch (RuntimeException | Error e) {
            outcome.failed(
                    e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
            throw e;
        } finally {
            outcome.close();
            folder.close();
        }
    }

    /** {@link #run}'s work, with the folder locked and the outcome's record running. */
    private RunSummary train(RunListener listener, OutcomeFile outcome) throws IOException {
        try {
            if (history.spectrumStart() == null && network.iteration() == 0) {
                history.spectrumStart(spectrum(network));
            }
            listener.started(this);
            if (config.iterations() == 0 && history.flow().isEmpty()) {
                // A diagnostics-only run: the initial model's gradient flow is what there is to show.
                history.add(network.gradientFlow(task));
                history.addTrained(network.trainedGradientFlow(task));
            }
            int patience = config.get(RunSettings.EARLY_STOP);
            if (patience > 0 && evaluator == null) {
                throw new IllegalStateException("early stopping needs an evaluator: call evaluateWith before run");
            }
            // Early stopping evaluates on the way: without an interval of its own, at every checkpoint (or 20 times).
            long interval = evaluateEvery > 0 || patience == 0
                    ? evaluateEvery
                    : config.checkpointEvery() > 0 ? config.checkpointEvery() : Math.max(1, config.iterations() / 20);
            org.bptt.training.eval.EarlyStopping early = patience == 0
                    ? null
                    : new org.bptt.training.eval.EarlyStopping(
                                    evaluator, interval, patience, dir.resolve(BEST), FitListener.NONE)
                            .replay(history.evaluations());
            FitResult r = network.fit(task, remaining(), new FitListener() {
                @Override
                public boolean stopRequested() {
                    return listener.stopRequested() || (early != null && early.stopped());
                }

                @Override
                public void onGradientFlow(Network n, GradientFlowSnapshot s) {
                    history.add(s);
                }

                @Override
                public void onTrainedFlow(Network n, GradientFlowSnapshot s) {
                    history.addTrained(s);
                }

                @Override
                public void onLayerGradientFlow(Network n, List<GradientFlowSnapshot> layers) {
                    history.add(LayerSnapshot.of(layers, n.layerSpectra()));
                }

                @Override
                public void onIteration(Network n, IterationMetrics m) {
                    history.add(m);
                    outcome.reached(m.iteration() + 1);
                    if (evaluator != null && interval > 0 && (m.iteration() + 1) % interval == 0) {
                        Evaluation e = evaluate();
                        history.add(e);
                        if (early != null) {
                            early.observe(network, e);
                        } else if (network.trainer().schedule() != null
                                && e.lossKey() != null
                                && Double.isFinite(e.get(e.lossKey()))) {
                            network.trainer().schedule().observe(network.iteration(), e.get(e.lossKey()));
                        }
                    }
                    listener.iteration(TrainingRun.this, m);
                }

                @Override
                public void beforeCheckpoint(Network n, long iteration) throws IOException {
                    long wall = System.nanoTime();
                    long cpu = RunTimings.cpuNow();
                    List<IterationMetrics> all = history.metrics();
                    writing = MetricsFile.fileName(metricsFormat);
                    metricsBytes = MetricsFile.append(
                            dir.resolve(writing), metricsFormat, all.subList(metricsRows, all.size()));
                    metricsRows = all.size();
                    writing = DIAGNOSTICS;
                    history.write(dir.resolve(DIAGNOSTICS));
                    writing = CHECKPOINT;
                    network.timings().add(RunTimings.Phase.METRICS, wall, cpu);
                }

                @Override
                public void afterCheckpoint(Network n, long iteration) {
                    long wall = System.nanoTime();
                    long cpu = RunTimings.cpuNow();
                    checkpointed = iteration;
                    // The record renewed with the checkpoint's iteration, so that the report written next says it.
                    outcome.reached(iteration);
                    outcome.beat();
                    writing = REPORT;
                    listener.checkpointed(TrainingRun.this, iteration);
                    writing = null;
                    network.timings().add(RunTimings.Phase.REPORT, wall, cpu);
                }
            });
            Evaluation last = history.lastEvaluation();
            if (evaluator != null
                    && r.outcome() != Outcome.INTERRUPTED
                    && (last == null || last.iteration() != r.to())) {
                history.add(evaluate());
                long wall = System.nanoTime();
                long cpu = RunTimings.cpuNow();
                writing = DIAGNOSTICS;
                history.write(dir.resolve(DIAGNOSTICS));
                network.timings().add(RunTimings.Phase.METRICS, wall, cpu);
            }
            RunSummary summary = summarize(r);
            writing = RunOutcome.FILE;
            outcome.end(RunOutcome.State.valueOf(r.outcome().name()), r.to(), r.message());
            long wall = System.nanoTime();
            long cpu = RunTimings.cpuNow();
            writing = REPORT;
            listener.finished(this, summary);
            network.timings().add(RunTimings.Phase.REPORT, wall, cpu);
            writing = TimingsFile.FILE;
            TimingsFile.write(dir, network.timings());
            writing = null;
            return summary;
        } catch (IOException | UncheckedIOException e) {
            IOException io = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
            // A writer that wraps the system's error in its own sentence (the report's) is reported by that error.
            if (io.getCause() instanceof IOException cause) {
                io = cause;
            }
            throw new RunFailure(
                    "cannot write " + (writing != null ? writing : fileOf(io)) + " in " + dir + " (" + Json.ioReason(io)
                            + "); " + kept(),
                    e);
        } catch (RunFailure e) {
            throw new RunFailure(e.getMessage() + "; " + kept(), e.getCause());
        } catch (PluginFailure e) {
            throw new PluginFailure(e.getMessage() + "; " + kept(), e.getCause());
        } catch (StackOverflowError e) {
            // Runaway recursion, most likely a plugin's: named when its code is on the stack.
            RuntimeException f = PluginFailure.attribute(e);
            throw f instanceof PluginFailure p
                    ? new PluginFailure(p.getMessage() + "; " + kept(), e)
                    : new RunFailure("the computation recursed without end (stack overflow); " + kept(), e);
        } catch (OutOfMemoryError e) {
            throw new RunFailure("the JVM ran out of memory; " + kept(), e);
        }
    }

    /** A held-out evaluation, timed. */
    private Evaluation evaluate() {
        long wall = System.nanoTime();
        long cpu = RunTimings.cpuNow();
        Evaluation e = evaluator.evaluate(network, task);
        network.timings().add(RunTimings.Phase.EVALUATION, wall, cpu);
        return e;
    }

    private static String fileOf(IOException e) {
        if (e instanceof FileSystemException f && f.getFile() != null) {
            return Path.of(f.getFile()).getFileName().toString();
        }
        return "a file";
    }

    /** What a failed run leaves, in a clause. */
    private String kept() {
        if (checkpointed >= 0) {
            return "the run stopped, and its checkpoint at iteration " + checkpointed
                    + " is intact, so it can be continued " + "once the cause is removed";
        }
        return "the run stopped before its first checkpoint; it can be started again from its configuration";
    }

    private RunSummary summarize(FitResult r) {
        return RunSummary.of(this, r);
    }

    /** For a character model, the characters one unit of this run's batch loss covers; 0 for other tasks. */
    public int symbolsPerLoss() {
        if (task.vocabulary().isEmpty()) {
            return 0;
        }
        return config.lossMean() == LossMean.STEP ? 1 : task.newBatch(1).lossStepCount();
    }

    /** The task's baseline in the units of this run's batch loss. */
    public double baseline() {
        double perStep = task.baselineLoss();
        if (config.lossMean() == LossMean.STEP) {
            return perStep;
        }
        return perStep * task.newBatch(1).lossStepCount();
    }

    /** The loss of a model that ignores the task's long-lag input, in the units of this run's batch loss. */
    public double memoryless() {
        double perStep = task.memorylessLoss();
        return config.lossMean() == LossMean.STEP
                ? perStep
                : perStep * task.newBatch(1).lossStepCount();
    }

    /** Files a run folder may hold that the platform wrote, for front ends that list or clean one. */
    public static List<String> platformFiles() {
        return Collections.unmodifiableList(RunFolder.PLATFORM_FILES);
    }
}
