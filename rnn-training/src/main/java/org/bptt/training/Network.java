package org.bptt.training;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.bptt.api.data.Batch;
import org.bptt.api.data.Targets;
import org.bptt.api.data.Task;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.tensor.Tensor;
import org.bptt.api.truncation.Truncation.Window;
import org.bptt.training.FitResult.Outcome;
import org.bptt.training.config.Checkpoint;
import org.bptt.training.config.Json;
import org.bptt.training.config.RunConfig;
import org.bptt.training.config.RunSettings;
import org.bptt.training.diag.GradientFlowSnapshot;
import org.bptt.training.diag.Spectral;
import org.bptt.training.plugin.PluginFailure;
import org.bptt.training.plugin.PluginFamily;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.wiring.PluginChoice;
import org.bptt.training.wiring.TrainingModule;

/**
 * A recurrent network with everything it trains with: the library's entry point. Build one,
 * fit it to a task, predict, save it and load it again:
 *
 * <pre>{@code
 * Network net = Network.builder().task("adding", "steps", "20").hidden(32).optimizer("adam", "lr", "0.003").build();
 * FitResult r = net.fit(2000, FitListener.NONE);
 * float[] outputs = net.predict(x, 20);               // T×O readouts of one sequence
 * net.save(Path.of("model.bin"));
 * Network again = Network.load(Path.of("model.bin"), Plugins.discover());
 * }</pre>
 *
 * Each iteration draws its batch from a generator that is a pure function of (seed, iteration),
 * so a network saved and loaded continues exactly as an uninterrupted one would. Not thread-safe.
 */
public final class Network {
    private final RunConfig config;
    private final Layers layers;
    /** Spectra already computed of unchanged matrices. */
    private final org.bptt.training.diag.SpectrumMemo spectra = new org.bptt.training.diag.SpectrumMemo();
    /** Set while fit hands a listener a diagnosis that takes no spectrum (see {@link #layerSpectra}). */
    private boolean spectraSkipped;

    private final Plugins plugins;
    private final BpttTrainer trainer;
    private final int inputSize;
    private final int outputSize;
    private final String taskLoss;
    private final List<String> vocabulary;
    private final String configJson;
    private Path checkpointFile;
    /** The configuration's task, made when first needed (a loaded text model can sample without its text file). */
    private Task task;

    private TrainedFlow trainedFlow;
    /** Stateful training: the state the next chunk of the streams starts from, B·S floats; null until needed. */
    private float[] streamState;

    private java.util.function.Consumer<Checkpoint.Builder> checkpointDecoration = b -> {};
    private final RunTimings timings = new RunTimings();

    private Network(
            RunConfig config,
            Plugins plugins,
            int inputSize,
            int outputSize,
            String taskLoss,
            List<String> vocabulary,
            int steps,
            int batch) {
        this.config = config.validate();
        this.layers = layersOf(config);
        this.plugins = requireNonNull(plugins, "plugins is null");
        this.inputSize = inputSize;
        this.outputSize = outputSize;
        this.taskLoss = taskLoss;
        this.vocabulary = List.copyOf(vocabulary);
        requireThreads(config.threads());
        long bytes = MemoryEstimate.check(plugins, config, inputSize, outputSize, steps, batch);
        try {
            this.trainer =
                    TrainingModule.trainer(config.trainingConfig(inputSize, outputSize, taskLoss), layers, plugins);
        } catch (OutOfMemoryError e) {
            throw new ConfigurationException(
                    "the model does not fit in memory: it needs about " + MemoryEstimate.size(bytes)
                            + " and this JVM may use "
                            + MemoryEstimate.size(Runtime.getRuntime().maxMemory())
                            + "; choose smaller sizes or give the JVM more memory (java -Xmx)");
        }
        this.configJson = Json.write(config);
        PluginChoice schedule = config.get(RunSettings.SCHEDULE);
        if (schedule != null) {
            try {
                trainer.schedule(plugins.create(PluginFamily.SCHEDULE, schedule));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(e.getMessage());
            }
        }
    }

    /** A network to restore a checkpoint into: built as a new one, its state then overwritten. */
    static Network restored(
            RunConfig config,
            Plugins plugins,
            int inputSize,
            int outputSize,
            String taskLoss,
            List<String> vocabulary,
            int steps,
            int batch) {
        return new Network(config, plugins, inputSize, outputSize, taskLoss, vocabulary, steps, batch);
    }

    /** The loss the task asked for when the configuration names none (saved in checkpoints). */
    String taskLoss() {
        return taskLoss;
    }

    /** The configuration as saved in checkpoints, written once. */
    String configJson() {
        return configJson;
    }

    /** The layers a configuration asks for. */
    public static Layers layersOf(RunConfig config) {
        return new Layers(
                config.get(RunSettings.LAYERS),
                config.get(RunSettings.BIDIRECTIONAL),
                config.get(RunSettings.DROPOUT),
                config.get(RunSettings.VARIATIONAL_DROPOUT));
    }

    /**
     * The most kernel threads a network accepts: the machine's processors (at least 4, so that
     * a configuration made on a small machine still runs). Results are the same for any number.
     */
    public static int maxThreads() {
        return Math.max(4, Runtime.getRuntime().availableProcessors());
    }

    private static void requireThreads(int threads) {
        if (threads > maxThreads()) {
            throw new ConfigurationException(threads + " threads were asked for, but this machine has "
                    + Runtime.getRuntime().availableProcessors() + " processors; use at most " + maxThreads()
                    + " (results are the same for any number of threads)");
        }
    }

    /**
     * Refuses, in one sentence, a configuration whose training together with a held-out evaluation
     * in blocks of {@code evaluationBlock} sequences would not fit in this JVM's memory: what a
     * run checks before it touches its folder, so that the evaluation every run ends with cannot
     * run out of memory after training.
     */
    public static void requireMemory(RunConfig config, Task task, Plugins plugins, int evaluationBlock) {
        MemoryEstimate.check(
                plugins, config, task.inputSize(), task.outputSize(), task.steps(), config.batch(), evaluationBlock);
    }

    /** A new network for a task: sizes and default loss from the task, parameters initialized from the seed. */
    public static Network create(RunConfig config, Task task, Plugins plugins) {
        config.validate();
        Layers layers = layersOf(config);
        requireTruncationFits(config, task, plugins);
        if (layers.bidirectional() && config.stateful()) {
            throw new ConfigurationException(
                    "a bidirectional network reads each sequence from its end as well, so it cannot "
                            + "carry its state from one chunk of a stream to the next; train it on whole sequences, not statefully");
        }
        Network n = new Network(
                config,
                plugins,
                task.inputSize(),
                task.outputSize(),
                task.defaultLoss(),
                task.vocabulary(),
                task.steps(),
                config.batch());
        n.task = task;
        requireStreams(config, task);
        if (layers.bidirectional()) {
            List<Window> w = n.trainer.truncation().windows(task.steps());
            if (w.size() != 1 || w.get(0).backFrom() != 0 || w.get(0).backTo() != task.steps()) {
                throw new ConfigurationException(
                        "a bidirectional network needs the whole sequence for every output, so it "
                                + "trains with full backpropagation through time, not with the truncation '"
                                + n.trainer.truncation().describe() + "'");
            }
        }
        boolean classes = task.newBatch(1).targets().isClasses();
        if (classes != n.trainer.loss().wantsClassTargets()) {
            throw new ConfigurationException("the loss '" + n.trainer.loss().describe() + "' needs "
                    + (n.trainer.loss().wantsClassTargets() ? "class" : "vector") + " targets, but the task '"
                    + config.task().name() + "' has " + (classes ? "class" : "vector") + " targets; use the loss '"
                    + task.defaultLoss() + "' (the task's own)");
        }
        return n;
    }

    /**
     * A truncation whose period is longer than the sequence is full BPTT under another name:
     * refused, so that a run's configuration says what it does.
     */
    private static void requireTruncationFits(RunConfig config, Task task, Plugins plugins) {
        org.bptt.api.truncation.Truncation truncation = plugins.create(PluginFamily.TRUNCATION, config.truncation());
        truncation.period().ifPresent(k -> {
            if (k > task.steps()) {
                throw new ConfigurationException(
                        "the truncation " + truncation.describe() + " runs a backward pass every " + k
                                + " steps, longer than the task's sequences (" + task.steps()
                                + " steps), so nothing would be truncated; "
                                + "choose a period (k1) of at most " + task.steps() + ", or the full truncation");
            }
        });
    }

    public static Builder builder() {
        return new Builder();
    }

    public RunConfig config() {
        return config;
    }
    /** How the cell is composed into layers ({@link Layers#ONE} for the plain cell). */
    public Layers layers() {
        return layers;
    }
    /** The learning-rate schedule's plugin and options, or null for none. */
    public PluginChoice schedule() {
        return config.get(RunSettings.SCHEDULE);
    }

    public Plugins plugins() {
        return plugins;
    }

    public BpttTrainer trainer() {
        return trainer;
    }

    public Model model() {
        return trainer.model();
    }

    public int inputSize() {
        return inputSize;
    }

    public int outputSize() {
        return outputSize;
    }
    /** For a character model, the symbol of each input and output class; otherwise empty. */
    public List<String> vocabulary() {
        return vocabulary;
    }
    /** Iterations trained so far. */
    public long iteration() {
        return trainer.iteration();
    }

    /** The task the configuration names, with its options (made on first use). */
    public Task task() {
        if (task == null) {
            task = plugins.create(PluginFamily.TASK, config.task());
        }
        return task;
    }

    /** Trains {@code iterations} more iterations on this network's own task; see {@link #fit(Task, long, FitListener)}. */
    public FitResult fit(long iterations, FitListener listener) throws IOException {
        return fit(task(), iterations, listener);
    }

    /** Where {@link #fit} writes checkpoints (every {@code config().checkpointEvery()} iterations and at its end); null for none. */
    public Network checkpointTo(Path file) {
        return checkpointTo(file, b -> {});
    }

    /**
     * Where {@link #fit} writes checkpoints, and what it adds to each (a front end's
     * {@link Checkpoint.Builder#extra} fields, built at the moment of writing).
     */
    public Network checkpointTo(Path file, java.util.function.Consumer<Checkpoint.Builder> decorate) {
        this.checkpointFile = file;
        this.checkpointDecoration = requireNonNull(decorate, "decorate is null");
        return this;
    }

    public Path checkpointFile() {
        return checkpointFile;
    }

    /** The generator of iteration {@code it}'s batch: a pure function of (seed, iteration). */
    public static SplittableRandom dataRandom(long seed, long it) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + it * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL);
    }

    /**
     * Trains {@code iterations} more iterations on batches of {@code task}, measuring gradient
     * flow and the spectrum of W every {@code config().diagnosticsEvery()} iterations (and on
     * the last), writing checkpoints when {@link #checkpointTo} names a file. A NaN or infinite
     * loss or gradient ends the fit as DIVERGED under {@link NonFinitePolicy#STOP} (the last
     * good state is kept and checkpointed) and skips the update under {@code SKIP}.
     */
    public FitResult fit(Task task, long iterations, FitListener listener) throws IOException {
        requireNonNull(listener, "listener is null");
        if (iterations < 0) {
            throw new ConfigurationException("the number of iterations must be 0 or more, got " + iterations);
        }
        if (task.inputSize() != inputSize || task.outputSize() != outputSize) {
            throw new ConfigurationException(
                    "the task '" + task.describe() + "' has input and output sizes " + task.inputSize() + " and "
                            + task.outputSize() + ", the network " + inputSize + " and " + outputSize);
        }
        long from = trainer.iteration();
        long to = from + iterations;
        Batch batch = task.newBatch(config.batch());
        boolean stateful = config.stateful();
        if (stateful) {
            requireStreams(config, task);
            // The same arrays, with this network's carried state as every chunk's initial state.
            batch = new Batch(
                    batch.batch(),
                    batch.steps(),
                    batch.inputSize(),
                    batch.x(),
                    batch.targets(),
                    batch.lossSteps(),
                    streamState(),
                    batch.lengths());
        }
        List<Window> fullWindow = List.of(new Window(0, batch.steps(), 0, batch.steps()));
        double[] flowNorms = new double[batch.steps()];
        // Where training's own backward pass is one full-BPTT window of a single layer (so no dropout), it computes
        // exactly the flow a diagnosis measures: read it there rather than run a second pass. A stack's listeners take
        // each layer's spectrum with its flow, which must be of the W before the update: a stack keeps the second pass.
        boolean flowFromTraining = trainer.truncation().windows(batch.steps()).equals(fullWindow) && layers.single();
        long spectrumEvery = spectrumEvery(batch.batch(), batch.steps());
        timings.started();
        long t0 = System.nanoTime();
        boolean stopsOnNonFinite = config.nonFinite() == NonFinitePolicy.STOP;
        Outcome outcome = Outcome.FINISHED;
        String message = "";
        for (long it = from; it < to; it++) {
            if (listener.stopRequested()) {
                outcome = Outcome.INTERRUPTED;
                break;
            }
            if (!stateful) {
                task.fill(batch, dataRandom(config.seed(), it), config.seed(), it);
            } else if (!task.fillChunk(batch, it)) {
                Arrays.fill(streamState, 0f); // a new pass over the streams starts from zero
            }
            boolean diagnose = it % config.diagnosticsEvery() == 0 || it == to - 1;
            double radius = Double.NaN;
            double norm = Double.NaN;
            StepResult r;
            try {
                long wall = System.nanoTime();
                long cpu = RunTimings.cpuNow();
                if (diagnose && !flowFromTraining) {
                    GradientFlowSnapshot measured =
                            new GradientFlowSnapshot(it, measureFlow(batch, fullWindow, flowNorms));
                    listener.onGradientFlow(this, measured);
                    if (!layers.single()) {
                        // Each layer's spectrum keeps the single layer's cost-spaced cadence (and the fit's last
                        // iteration,
                        // where the per-layer chart ends): between two, layerSpectra() has none.
                        spectraSkipped = it % spectrumEvery != 0 && it != to - 1;
                        try {
                            listener.onLayerGradientFlow(this, layerFlow(it, batch.batch(), batch.steps()));
                        } finally {
                            spectraSkipped = false;
                        }
                    }
                    listener.onTrainedFlow(this, trainedFlow().record(it, batch, measured));
                }
                if (diagnose && it % spectrumEvery == 0) { // the end's spectrum is the report's and the summary's
                    // Before the update, like the loss of the same row: row 0 shows the initial W.
                    Spectral s = spectral();
                    if (s != null) {
                        radius = s.radius();
                        norm = s.norm();
                    }
                }
                if (diagnose) {
                    timings.add(RunTimings.Phase.DIAGNOSTICS, wall, cpu);
                    wall = System.nanoTime();
                    cpu = RunTimings.cpuNow();
                }
                r = trainer.trainStep(batch, diagnose && flowFromTraining);
                if (stateful) {
                    carryState();
                }
                timings.update(wall, cpu);
                if (diagnose && flowFromTraining) {
                    wall = System.nanoTime();
                    cpu = RunTimings.cpuNow();
                    GradientFlowSnapshot measured =
                            new GradientFlowSnapshot(it, batchNorms(trainer.hiddenGradNorms(), flowNorms));
                    listener.onGradientFlow(this, measured);
                    listener.onTrainedFlow(this, trainedFlow().record(it, batch, measured));
                    timings.add(RunTimings.Phase.DIAGNOSTICS, wall, cpu);
                }
            } catch (NonFiniteException e) {
                outcome = Outcome.DIVERGED;
                message = e.getMessage();
                break;
            } catch (OutOfMemoryError e) {
                // The step may have half-updated the parameters: nothing of this state is saved.
                throw new org.bptt.training.config.RunFailure(
                        "the JVM ran out of memory at iteration " + it + " (it may use "
                                + MemoryEstimate.size(Runtime.getRuntime().maxMemory()) + ")",
                        e);
            } catch (RuntimeException | LinkageError e) {
                if (e instanceof ConfigurationException c) {
                    throw c;
                }
                throw PluginFailure.attribute(e);
            }
            listener.onIteration(
                    this,
                    new IterationMetrics(
                            it,
                            r.loss(),
                            r.accuracy(),
                            r.maxNormBefore(),
                            r.lastReport().normAfter(),
                            r.clippedUpdates() > 0,
                            radius,
                            norm,
                            r.skipped() > 0));
            long done = it + 1;
            if (checkpointFile != null
                    && config.checkpointEvery() > 0
                    && done % config.checkpointEvery() == 0
                    && done < to) {
                if (stopsOnNonFinite && !BpttTrainer.allFinite(trainer.model().params())) {
                    outcome = Outcome.DIVERGED;
                    message = notGood(done);
                    return new FitResult(from, done, outcome, message, (System.nanoTime() - t0) / 1e9);
                }
                checkpoint(listener, done);
            }
        }
        if (checkpointFile != null) {
            // Under stop, only a state with finite parameters is a good state: otherwise the last checkpoint stays the
            // last good one. Under skip the run was asked to go on through non-finite values, and its state is saved as
            // is.
            if (!stopsOnNonFinite || BpttTrainer.allFinite(trainer.model().params())) {
                checkpoint(listener, trainer.iteration());
            } else {
                outcome = Outcome.DIVERGED;
                message = (message.isEmpty() ? "" : message + "; ") + notGood(trainer.iteration());
            }
        }
        return new FitResult(from, trainer.iteration(), outcome, message, (System.nanoTime() - t0) / 1e9);
    }

    private static String notGood(long iteration) {
        return "the parameters hold non-finite values at iteration " + iteration
                + ", so that state is not saved and the " + "last checkpoint stays the last good state";
    }

    /** Stateful training needs a task that streams, with enough data for a chunk per stream. */
    private static void requireStreams(RunConfig config, Task task) {
        if (!config.stateful()) {
            return;
        }
        if (!task.canStream()) {
            throw new ConfigurationException(
                    "the task '" + task.describe() + "' cannot be trained statefully: it draws "
                            + "independent sequences, not streams (the text task streams its text)");
        }
        long steps = task.streamSteps(config.batch());
        if (steps < task.steps()) {
            throw new ConfigurationException("the task '" + task.describe() + "' has " + Math.max(0, steps)
                    + " steps in each of " + config.batch() + " streams, fewer than one chunk of " + task.steps()
                    + "; use a smaller batch or steps");
        }
    }

    /**
     * Stateful training: a copy of the state the next chunk of the streams starts from, B rows
     * of the cell's S floats (zeros before the first chunk).
     */
    public float[] carriedState() {
        return streamState().clone();
    }

    /** The carried state (made at zero on first use): B·S floats. */
    float[] streamState() {
        int n = Math.multiplyExact(config.batch(), trainer.model().stateWidth());
        if (streamState == null || streamState.length != n) {
            streamState = new float[n];
        }
        return streamState;
    }

    /**
     * The chunk's final state becomes the next chunk's initial state; a non-finite one (an
     * update skipped under {@link NonFinitePolicy#SKIP}) would poison the rest of the stream,
     * so the stream restarts from zero instead.
     */
    private void carryState() {
        trainer.copyFinalState(streamState);
        for (float v : streamState) {
            if (!Float.isFinite(v)) {
                Arrays.fill(streamState, 0f);
                return;
            }
        }
    }

    private void checkpoint(FitListener listener, long iteration) throws IOException {
        listener.beforeCheckpoint(this, iteration);
        long wall = System.nanoTime();
        long cpu = RunTimings.cpuNow();
        Checkpoint.Builder b = checkpoint();
        checkpointDecoration.accept(b);
        b.capture().write(checkpointFile);
        timings.add(RunTimings.Phase.CHECKPOINTS, wall, cpu);
        listener.afterCheckpoint(this, iteration);
    }

    /** Where this network's training time went, in this JVM. */
    public RunTimings timings() {
        return timings;
    }

    /**
     * Iterations between two spectra of W, a multiple of the diagnostics interval: a dense
     * eigenvalue and singular value decomposition costs about {@value #SPECTRUM_STEP_COST}·H³/(P·B·T)
     * training steps (P parameters, B×T steps a batch; the few a run makes never get the JIT's
     * best code: 250 ms at H = 256 in a run, 25 steps of 9.4 ms), and is spaced so that it stays
     * within 2% of the training time; small models get one at every diagnosis. The setting
     * spectrum-every, when above 0, says instead.
     */
    long spectrumEvery(int batch, int steps) {
        long every = config.diagnosticsEvery();
        long asked = config.get(RunSettings.SPECTRUM_EVERY);
        if (asked > 0) {
            return (asked + every - 1) / every * every;
        }
        int h = trainer.model().hiddenSize();
        if (h <= 32) {
            return every; // a decomposition of a matrix this small takes microseconds
        }
        long params = 0;
        for (int k = 0; k < trainer.model().params().count(); k++) {
            params += trainer.model().params().get(k).size();
        }
        double stepsPerSpectrum = SPECTRUM_STEP_COST
                * layers.count()
                * layers.directions()
                * Math.pow(h, 3)
                / ((double) params * batch * steps);
        long wanted = (long) Math.ceil(stepsPerSpectrum / 0.02);
        return Math.max(1, (wanted + every - 1) / every) * every;
    }

    /** The cost of one spectrum of an H×H matrix in units of H³/(P·B·T) training steps (measured: docs/end-to-end.md). */
    static final double SPECTRUM_STEP_COST = 350;

    /** ‖∂L/∂h_k‖ over the batch (the root of the sum of squares over sequences) from per-(step, sequence) norms. */
    private static double[] batchNorms(double[] hn, double[] into) {
        int b = hn.length / into.length;
        for (int t = 0; t < into.length; t++) {
            double s = 0;
            for (int r = 0; r < b; r++) {
                s += hn[t * b + r] * hn[t * b + r];
            }
            into[t] = Math.sqrt(s);
        }
        return into;
    }

    /**
     * The gradient flow ‖∂L/∂h_k‖ of the batch the next iteration would train on, measured with
     * the parameters as they are (nothing changes): what {@link #fit} records before an update.
     * A run that trains no iteration measures its initial model with this.
     */
    public GradientFlowSnapshot gradientFlow(Task task) {
        Batch batch = task.newBatch(config.batch());
        task.fill(batch, dataRandom(config.seed(), trainer.iteration()), config.seed(), trainer.iteration());
        List<Window> full = List.of(new Window(0, batch.steps(), 0, batch.steps()));
        return new GradientFlowSnapshot(trainer.iteration(), measureFlow(batch, full, new double[batch.steps()]));
    }

    /**
     * The gradient flow training back-propagates through the batch the next iteration would train
     * on, window by window (see {@link FitListener#onTrainedFlow}): under a truncation exactly 0 at
     * the steps no backward pass reaches; under full BPTT the same as {@link #gradientFlow}.
     */
    public GradientFlowSnapshot trainedGradientFlow(Task task) {
        Batch batch = task.newBatch(config.batch());
        task.fill(batch, dataRandom(config.seed(), trainer.iteration()), config.seed(), trainer.iteration());
        GradientFlowSnapshot measured = gradientFlow(task);
        return trainedFlow().record(trainer.iteration(), batch, measured);
    }

    /** How far back this network's training reaches over {@code task}'s sequences, beside the task's longest lag. */
    public org.bptt.training.diag.BackpropReach backpropReach(Task task) {
        return org.bptt.training.diag.BackpropReach.of(
                trainer.truncation(),
                task.steps(),
                task.longestLag(),
                task.newBatch(1).lossStepCount());
    }

    private TrainedFlow trainedFlow() {
        if (trainedFlow == null) {
            trainedFlow = new TrainedFlow(trainer);
        }
        return trainedFlow;
    }

    /**
     * The gradient flow of every layer for the batch the next iteration would train on, as
     * {@link #gradientFlow}: element l is layer l's ‖∂L/∂h_k‖ (both directions of a
     * bidirectional layer in one norm). One element for a single layer.
     */
    public List<GradientFlowSnapshot> layerGradientFlow(Task task) {
        GradientFlowSnapshot top = gradientFlow(task);
        if (layers.single()) {
            return List.of(top);
        }
        return layerFlow(trainer.iteration(), config.batch(), top.steps());
    }

    /** Each layer's ‖∂L/∂h_k‖ over the batch, from the state gradients of the last {@link BpttTrainer#gradients} call. */
    private List<GradientFlowSnapshot> layerFlow(long iteration, int batch, int steps) {
        LayerStack stack = (LayerStack) trainer.model().cell();
        List<GradientFlowSnapshot> all = new ArrayList<>();
        for (int l = 0; l < layers.count(); l++) {
            double[] norms = stack.layerGradientNorms(
                    trainer.stateGradients(), batch, steps, trainer.model().hiddenSize(), l);
            all.add(new GradientFlowSnapshot(iteration, norms));
        }
        return all;
    }

    /**
     * The spectrum of each layer's recurrent matrix, index l·D + d (d = 1 the reverse direction);
     * an element is null where that layer has no single square W or it holds non-finite values.
     * One element for a single layer, {@link #spectral()}. Asked by a listener of a diagnosis
     * between two spectrum iterations of {@link #fit} (spectrum-every, spaced by their cost as
     * for a single layer, and the fit's last iteration), every element is null: not measured there.
     */
    public List<Spectral> layerSpectra() {
        List<Spectral> all = new ArrayList<>();
        for (int l = 0; l < layers.count(); l++) {
            for (int dir = 0; dir < layers.directions(); dir++) {
                all.add(
                        spectraSkipped
                                ? null
                                : spectra.of(
                                        trainer.model().recurrentMatrix(l, dir).orElse(null), Network::spectral));
            }
        }
        return all;
    }

    /** ‖∂L/∂h_k‖ over the batch (the root of the sum of squares over sequences) for every step k. */
    private double[] measureFlow(Batch batch, List<Window> fullWindow, double[] into) {
        trainer.gradients(batch, fullWindow, null);
        return batchNorms(trainer.hiddenGradNorms(), into);
    }

    /** The spectrum of W, or null when the cell has no single square W or W holds non-finite values. */
    public Spectral spectral() {
        return spectra.of(trainer.model().recurrentMatrix().orElse(null), Network::spectral);
    }

    private static Spectral spectral(Tensor w) {
        if (w == null) {
            return null;
        }
        for (float v : w.data()) {
            if (!Float.isFinite(v)) {
                return null;
            }
        }
        try {
            return Spectral.of(w);
        } catch (IllegalStateException e) {
            // The decomposition did not converge (huge weights): no spectrum, as for non-finite ones.
            return null;
        }
    }

    /**
     * The readouts o_t of one sequence: {@code x} holds T·I inputs (step t at {@code t·I}), the
     * state starts at zero; returns T·O outputs (for a classification task, the logits).
     */
    public float[] predict(float[] x, int steps) {
        if (steps < 1 || x.length != steps * inputSize) {
            throw new IllegalArgumentException(
                    "x has " + x.length + " floats, expected T·I = " + steps + "·" + inputSize);
        }
        Batch b = new Batch(1, steps, inputSize, x.clone(), dummyTargets(steps), new boolean[steps], null);
        trainer.forward(b);
        return Arrays.copyOf(trainer.outputs(), steps * outputSize);
    }

    /** A zero state to start {@link #step} from. */
    public State newState() {
        return new State(new float[trainer.model().stateWidth()]);
    }

    /**
     * One time step: feeds {@code x} (I floats) to the network in {@code state}, updates the
     * state in place and returns the step's O outputs (a new array).
     */
    public float[] step(float[] x, State state) {
        if (layers.bidirectional()) {
            throw new ConfigurationException(
                    "a bidirectional network needs the whole sequence for every output, so it cannot "
                            + "run one step at a time (generation); use predict on whole sequences");
        }
        if (x.length != inputSize) {
            throw new IllegalArgumentException("x has " + x.length + " floats, expected I = " + inputSize);
        }
        int width = trainer.model().stateWidth();
        if (state.values.length != width) {
            throw new IllegalArgumentException(
                    "the state has " + state.values.length + " floats, this network's has " + width);
        }
        Batch b = new Batch(1, 1, inputSize, x.clone(), dummyTargets(1), new boolean[1], state.values.clone());
        trainer.forward(b);
        System.arraycopy(trainer.states(), width, state.values, 0, width);
        return Arrays.copyOf(trainer.outputs(), outputSize);
    }

    private Targets dummyTargets(int steps) {
        return trainer.loss().wantsClassTargets()
                ? Targets.classes(new int[steps])
                : Targets.vectors(new float[steps * outputSize], outputSize);
    }

    /** The recurrent state of one sequence, for {@link #step}: h_t first, then whatever else the cell keeps. */
    public static final class State {
        final float[] values;

        State(float[] values) {
            this.values = values;
        }

        /** A copy of the state's floats. */
        public float[] values() {
            return values.clone();
        }

        /** h_t, the part the readout sees (a copy). */
        public float[] hidden(int hiddenSize) {
            return Arrays.copyOf(values, hiddenSize);
        }
    }

    /** The plugins this network is made of, with where each came from, for a checkpoint. */
    public List<Checkpoint.PluginRecord> pluginRecords() {
        return NetworkCheckpoints.pluginRecords(this);
    }

    /** The checkpoint of this network as it is now (front ends add their own fields before writing). */
    public Checkpoint.Builder checkpoint() {
        return NetworkCheckpoints.checkpoint(this);
    }

    /** Saves everything needed to continue or use this network, atomically. */
    public void save(Path file) throws IOException {
        checkpoint().capture().write(file);
    }

    /** Loads a saved network (a checkpoint file, or a run folder holding {@code checkpoint.bin}). */
    public static Network load(Path path, Plugins plugins) {
        return NetworkCheckpoints.load(path, plugins);
    }

    /** Rebuilds the network a checkpoint holds, refusing with one sentence when a plugin it needs is missing. */
    public static Network load(Checkpoint ckpt, String source, Plugins plugins) {
        return NetworkCheckpoints.load(ckpt, ckpt.config(source), source, plugins, 1);
    }

    /**
     * Rebuilds the network a checkpoint holds with {@code config}, which may differ from the
     * checkpoint's own only in the number of iterations and threads (how far a run goes and how
     * fast, never what it computes); {@code steps} sizes the memory estimate.
     */
    public static Network load(Checkpoint ckpt, RunConfig config, String source, Plugins plugins, int steps) {
        return NetworkCheckpoints.load(ckpt, config, source, plugins, steps);
    }

    /**
     * A typed way to a {@link RunConfig}: every setting starts at {@link RunConfig#defaults()};
     * plugins are chosen by name with options as key/value pairs ({@code "lr", "0.01"}).
     */
    public static final class Builder {
        private final RunConfig.Builder c = RunConfig.defaults().toBuilder();

        private Builder() {}

        private static PluginChoice choice(String name, String... keyValues) {
            if (keyValues.length % 2 != 0) {
                throw new IllegalArgumentException(
                        "options come in key/value pairs, got " + keyValues.length + " strings");
            }
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < keyValues.length; i += 2) {
                m.put(keyValues[i], keyValues[i + 1]);
            }
            return new PluginChoice(name, m);
        }

        public Builder task(String name, String... options) {
            c.task(choice(name, options));
            return this;
        }

        public Builder cell(String name, String... options) {
            c.cell(choice(name, options));
            return this;
        }

        public Builder loss(String name, String... options) {
            c.loss(choice(name, options));
            return this;
        }

        public Builder optimizer(String name, String... options) {
            c.optimizer(choice(name, options));
            return this;
        }

        public Builder policy(String name, String... options) {
            c.policy(choice(name, options));
            return this;
        }

        public Builder truncation(String name, String... options) {
            c.truncation(choice(name, options));
            return this;
        }

        public Builder initializer(String name, String... options) {
            c.initializer(choice(name, options));
            return this;
        }
        /** Any setting of {@link org.bptt.training.config.RunSettings}, e.g. {@code set(RunSettings.HIDDEN, 128)}. */
        public <T> Builder set(org.bptt.training.config.RunSetting<T> setting, T value) {
            c.set(setting, value);
            return this;
        }

        public Builder hidden(int h) {
            c.hidden(h);
            return this;
        }

        public Builder batch(int b) {
            c.batch(b);
            return this;
        }

        public Builder seed(long s) {
            c.seed(s);
            return this;
        }

        public Builder threads(int t) {
            c.threads(t);
            return this;
        }

        public Builder backend(String b) {
            c.backend(b);
            return this;
        }

        public Builder lossMean(LossMean m) {
            c.lossMean(m);
            return this;
        }

        public Builder updatePerWindow(boolean perWindow) {
            c.updatePerWindow(perWindow);
            return this;
        }

        public Builder nonFinite(NonFinitePolicy p) {
            c.nonFinite(p);
            return this;
        }

        public Builder checkpointEvery(long n) {
            c.checkpointEvery(n);
            return this;
        }

        public Builder diagnosticsEvery(long n) {
            c.diagnosticsEvery(n);
            return this;
        }
        /**
         * Train the task's data as {@code batch} long streams in consecutive chunks of the task's
         * steps, each chunk starting from the state the previous one ended in (min-char-rnn,
         * Keras' {@code stateful=True}): memory is bounded by one chunk however long the text.
         */
        public Builder stateful(boolean s) {
            c.stateful(s);
            return this;
        }

        /** {@code n} layers of the cell, layer l+1 reading layer l's h_t; the readout reads the top one (default 1). */
        public Builder layers(int n) {
            c.set(RunSettings.LAYERS, n);
            return this;
        }
        /** Every layer reads the sequence forward and backward, outputs concatenated (PyTorch's layout). */
        public Builder bidirectional(boolean b) {
            c.set(RunSettings.BIDIRECTIONAL, b);
            return this;
        }
        /** The probability of dropping a unit between layers while training (PyTorch's {@code dropout}). */
        public Builder dropout(double p) {
            c.set(RunSettings.DROPOUT, p);
            return this;
        }
        /** One dropout mask per sequence rather than per step (Gal &amp; Ghahramani's variational dropout). */
        public Builder variationalDropout(boolean v) {
            c.set(RunSettings.VARIATIONAL_DROPOUT, v);
            return this;
        }

        /** A learning-rate schedule by name ({@code cosine}, {@code "period", "500", "warmup", "50"}); none by default. */
        public Builder schedule(String name, String... options) {
            c.set(RunSettings.SCHEDULE, choice(name, options));
            return this;
        }

        /** The configuration built so far. */
        public RunConfig config() {
            return c.build();
        }

        /** The network for the task this builder names (default: the adding problem), from these plugins. */
        public Network build(Plugins plugins) {
            RunConfig config = c.build();
            return Network.create(config, plugins.create(PluginFamily.TASK, config.task()), plugins);
        }

        /** The network for the task this builder names, from the class path's plugins. */
        public Network build() {
            return build(Plugins.discover());
        }
    }
}
