package org.bptt.training;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
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
import org.bptt.api.plugin.PluginFactory;
import org.bptt.api.tensor.Tensor;
import org.bptt.api.truncation.Truncation.Window;
import org.bptt.training.FitResult.Outcome;
import org.bptt.training.diag.GradientFlowSnapshot;
import org.bptt.training.diag.Spectral;
import org.bptt.training.plugin.PluginFailure;
import org.bptt.training.plugin.PluginFamily;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.run.Checkpoint;
import org.bptt.training.run.IterationMetrics;
import org.bptt.training.run.Json;
import org.bptt.training.run.RunConfig;
import org.bptt.training.run.RunSettings;
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

    private Network(RunConfig config, Plugins plugins, int inputSize, int outputSize, String taskLoss,
                    List<String> vocabulary, int steps, int batch) {
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
            this.trainer = TrainingModule.trainer(config.trainingConfig(inputSize, outputSize, taskLoss), layers, plugins);
        } catch (OutOfMemoryError e) {
            throw new ConfigurationException("the model does not fit in memory: it needs about " + MemoryEstimate.size(bytes)
                    + " and this JVM may use " + MemoryEstimate.size(Runtime.getRuntime().maxMemory())
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

    /** The layers a configuration asks for. */
    public static Layers layersOf(RunConfig config) {
        return new Layers(config.get(RunSettings.LAYERS), config.get(RunSettings.BIDIRECTIONAL), config.get(RunSettings.DROPOUT),
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
        MemoryEstimate.check(plugins, config, task.inputSize(), task.outputSize(), task.steps(), config.batch(), evaluationBlock);
    }

    /** A new network for a task: sizes and default loss from the task, parameters initialized from the seed. */
    public static Network create(RunConfig config, Task task, Plugins plugins) {
        config.validate();
        Layers layers = layersOf(config);
        requireTruncationFits(config, task, plugins);
        if (layers.bidirectional() && config.stateful()) {
            throw new ConfigurationException("a bidirectional network reads each sequence from its end as well, so it cannot "
                    + "carry its state from one chunk of a stream to the next; train it on whole sequences, not statefully");
        }
        Network n = new Network(config, plugins, task.inputSize(), task.outputSize(), task.defaultLoss(),
                task.vocabulary(), task.steps(), config.batch());
        n.task = task;
        requireStreams(config, task);
        if (layers.bidirectional()) {
            List<Window> w = n.trainer.truncation().windows(task.steps());
            if (w.size() != 1 || w.get(0).backFrom() != 0 || w.get(0).backTo() != task.steps()) {
                throw new ConfigurationException("a bidirectional network needs the whole sequence for every output, so it "
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
     * TBPTT with k1 beyond the sequence is full BPTT under another name: refused, so that a
     * run's configuration says what it does.
     */
    private static void requireTruncationFits(RunConfig config, Task task, Plugins plugins) {
        PluginChoice t = config.truncation();
        if (!t.name().equals("tbptt") || !plugins.registry(PluginFamily.TRUNCATION).all().containsKey("tbptt")) {
            return;
        }
        String k1 = t.options().get("k1");
        if (k1 == null) {
            k1 = plugins.registry(PluginFamily.TRUNCATION).all().get("tbptt").parameters().stream()
                    .filter(p -> p.name().equals("k1")).map(org.bptt.api.plugin.PluginParameter::defaultValue)
                    .findFirst().orElse(null);
        }
        try {
            int k = Integer.parseInt(k1 == null ? "" : k1.strip());
            if (k > task.steps()) {
                throw new ConfigurationException("the truncation's k1 (" + k + (t.options().containsKey("k1") ? "" : ", its default")
                        + ") is longer than the task's sequences (" + task.steps() + " steps), so nothing would be truncated; "
                        + "choose k1 of at most " + task.steps() + ", or the full truncation");
            }
        } catch (NumberFormatException e) {
            // The plugin's own check reports a k1 that is not a whole number.
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public RunConfig config() { return config; }
    /** How the cell is composed into layers ({@link Layers#ONE} for the plain cell). */
    public Layers layers() { return layers; }
    /** The learning-rate schedule's plugin and options, or null for none. */
    public PluginChoice schedule() { return config.get(RunSettings.SCHEDULE); }
    public Plugins plugins() { return plugins; }
    public BpttTrainer trainer() { return trainer; }
    public Model model() { return trainer.model(); }
    public int inputSize() { return inputSize; }
    public int outputSize() { return outputSize; }
    /** For a character model, the symbol of each input and output class; otherwise empty. */
    public List<String> vocabulary() { return vocabulary; }
    /** Iterations trained so far. */
    public long iteration() { return trainer.iteration(); }

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

    public Path checkpointFile() { return checkpointFile; }

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
            throw new ConfigurationException("the task '" + task.describe() + "' has input and output sizes " + task.inputSize()
                    + " and " + task.outputSize() + ", the network " + inputSize + " and " + outputSize);
        }
        long from = trainer.iteration();
        long to = from + iterations;
        Batch batch = task.newBatch(config.batch());
        boolean stateful = config.stateful();
        if (stateful) {
            requireStreams(config, task);
            // The same arrays, with this network's carried state as every chunk's initial state.
            batch = new Batch(batch.batch(), batch.steps(), batch.inputSize(), batch.x(), batch.targets(), batch.lossSteps(),
                    streamState(), batch.lengths());
        }
        List<Window> fullWindow = List.of(new Window(0, batch.steps(), 0, batch.steps()));
        double[] flowNorms = new double[batch.steps()];
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
                if (diagnose) {
                    GradientFlowSnapshot measured = new GradientFlowSnapshot(it, measureFlow(batch, fullWindow, flowNorms));
                    listener.onGradientFlow(this, measured);
                    if (!layers.single()) {
                        listener.onLayerGradientFlow(this, layerFlow(it, batch.batch(), batch.steps()));
                    }
                    listener.onTrainedFlow(this, trainedFlow().record(it, batch, measured));
                    // Before the update, like the loss of the same row: row 0 shows the initial W.
                    Spectral s = spectral();
                    if (s != null) {
                        radius = s.radius();
                        norm = s.norm();
                    }
                }
                r = trainer.trainStep(batch);
                if (stateful) {
                    carryState();
                }
            } catch (NonFiniteException e) {
                outcome = Outcome.DIVERGED;
                message = e.getMessage();
                break;
            } catch (OutOfMemoryError e) {
                // The step may have half-updated the parameters: nothing of this state is saved.
                throw new org.bptt.training.run.RunFailure("the JVM ran out of memory at iteration " + it + " (it may use "
                        + MemoryEstimate.size(Runtime.getRuntime().maxMemory()) + ")", e);
            } catch (RuntimeException | LinkageError e) {
                if (e instanceof ConfigurationException c) {
                    throw c;
                }
                throw PluginFailure.attribute(e);
            }
            listener.onIteration(this, new IterationMetrics(it, r.loss(), r.accuracy(), r.maxNormBefore(),
                    r.lastReport().normAfter(), r.clippedUpdates() > 0, radius, norm, r.skipped() > 0));
            long done = it + 1;
            if (checkpointFile != null && config.checkpointEvery() > 0 && done % config.checkpointEvery() == 0 && done < to) {
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
            // last good one. Under skip the run was asked to go on through non-finite values, and its state is saved as is.
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
        return "the parameters hold non-finite values at iteration " + iteration + ", so that state is not saved and the "
                + "last checkpoint stays the last good state";
    }

    /** Stateful training needs a task that streams, with enough data for a chunk per stream. */
    private static void requireStreams(RunConfig config, Task task) {
        if (!config.stateful()) {
            return;
        }
        if (!task.canStream()) {
            throw new ConfigurationException("the task '" + task.describe() + "' cannot be trained statefully: it draws "
                    + "independent sequences, not streams (the text task streams its text)");
        }
        long steps = task.streamSteps(config.batch());
        if (steps < task.steps()) {
            throw new ConfigurationException("the task '" + task.describe() + "' has " + Math.max(0, steps) + " steps in each of "
                    + config.batch() + " streams, fewer than one chunk of " + task.steps() + "; use a smaller batch or steps");
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
    private float[] streamState() {
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

    /** The checkpoint field holding the carried state of stateful training. */
    static final String STREAM_STATE = "stream_state";

    private void checkpoint(FitListener listener, long iteration) throws IOException {
        listener.beforeCheckpoint(this, iteration);
        Checkpoint.Builder b = checkpoint();
        checkpointDecoration.accept(b);
        b.capture().write(checkpointFile);
        listener.afterCheckpoint(this, iteration);
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
        return org.bptt.training.diag.BackpropReach.of(trainer.truncation(), task.steps(), task.longestLag(),
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
            double[] norms = stack.layerGradientNorms(trainer.stateGradients(), batch, steps, trainer.model().hiddenSize(), l);
            all.add(new GradientFlowSnapshot(iteration, norms));
        }
        return all;
    }

    /**
     * The spectrum of each layer's recurrent matrix, index l·D + d (d = 1 the reverse direction);
     * an element is null where that layer has no single square W or it holds non-finite values.
     * One element for a single layer, {@link #spectral()}.
     */
    public List<Spectral> layerSpectra() {
        List<Spectral> all = new ArrayList<>();
        for (int l = 0; l < layers.count(); l++) {
            for (int dir = 0; dir < layers.directions(); dir++) {
                all.add(spectral(trainer.model().recurrentMatrix(l, dir).orElse(null)));
            }
        }
        return all;
    }

    /** ‖∂L/∂h_k‖ over the batch (the root of the sum of squares over sequences) for every step k. */
    private double[] measureFlow(Batch batch, List<Window> fullWindow, double[] into) {
        trainer.gradients(batch, fullWindow, null);
        double[] hn = trainer.hiddenGradNorms();
        int b = batch.batch();
        for (int t = 0; t < into.length; t++) {
            double s = 0;
            for (int r = 0; r < b; r++) {
                s += hn[t * b + r] * hn[t * b + r];
            }
            into[t] = Math.sqrt(s);
        }
        return into;
    }

    /** The spectrum of W, or null when the cell has no single square W or W holds non-finite values. */
    public Spectral spectral() {
        return spectral(trainer.model().recurrentMatrix().orElse(null));
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
            throw new IllegalArgumentException("x has " + x.length + " floats, expected T·I = " + steps + "·" + inputSize);
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
            throw new ConfigurationException("a bidirectional network needs the whole sequence for every output, so it cannot "
                    + "run one step at a time (generation); use predict on whole sequences");
        }
        if (x.length != inputSize) {
            throw new IllegalArgumentException("x has " + x.length + " floats, expected I = " + inputSize);
        }
        int width = trainer.model().stateWidth();
        if (state.values.length != width) {
            throw new IllegalArgumentException("the state has " + state.values.length + " floats, this network's has " + width);
        }
        Batch b = new Batch(1, 1, inputSize, x.clone(), dummyTargets(1), new boolean[1], state.values.clone());
        trainer.forward(b);
        System.arraycopy(trainer.states(), width, state.values, 0, width);
        return Arrays.copyOf(trainer.outputs(), outputSize);
    }

    private Targets dummyTargets(int steps) {
        return trainer.loss().wantsClassTargets() ? Targets.classes(new int[steps]) : Targets.vectors(new float[steps * outputSize], outputSize);
    }

    /** The recurrent state of one sequence, for {@link #step}: h_t first, then whatever else the cell keeps. */
    public static final class State {
        final float[] values;

        State(float[] values) {
            this.values = values;
        }

        /** A copy of the state's floats. */
        public float[] values() { return values.clone(); }

        /** h_t, the part the readout sees (a copy). */
        public float[] hidden(int hiddenSize) { return Arrays.copyOf(values, hiddenSize); }
    }

    /** The plugins this network is made of, with where each came from, for a checkpoint. */
    public List<Checkpoint.PluginRecord> pluginRecords() {
        Map<PluginFamily, PluginChoice> used = new LinkedHashMap<>();
        used.put(PluginFamily.TASK, config.task());
        used.put(PluginFamily.CELL, config.cell());
        used.put(PluginFamily.LOSS, config.loss() == null ? PluginChoice.of(taskLoss) : config.loss());
        used.put(PluginFamily.OPTIMIZER, config.optimizer());
        used.put(PluginFamily.POLICY, config.policy());
        used.put(PluginFamily.TRUNCATION, config.truncation());
        used.put(PluginFamily.INITIALIZER, config.initializer());
        List<Checkpoint.PluginRecord> l = new ArrayList<>();
        used.forEach((family, choice) -> {
            PluginFactory<?> f = plugins.registry(family).all().get(choice.name());
            if (f != null) {
                var o = plugins.origin(f);
                l.add(new Checkpoint.PluginRecord(family.singular(), choice.name(), o.describe(), o.version(), o.outside()));
            }
        });
        return l;
    }

    /** The checkpoint of this network as it is now (front ends add their own fields before writing). */
    public Checkpoint.Builder checkpoint() {
        Checkpoint.Builder b = new Checkpoint.Builder(configJson, trainer.iteration()).sizes(inputSize, outputSize, taskLoss)
                .vocabulary(vocabulary).state(trainer.model().params(), trainer.optimizer(), trainer.policy());
        pluginRecords().forEach(b::plugin);
        if (trainer.schedule() != null) {
            b.extra(SCHEDULE_STATE, scheduleJson());
        }
        if (config.stateful()) {
            // Exact bits, so that a resumed stream continues as an uninterrupted one would.
            float[] state = streamState();
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(4 * state.length);
            bytes.asFloatBuffer().put(state);
            var node = Json.MAPPER.createObjectNode();
            node.put("floats", state.length);
            node.put("base64", java.util.Base64.getEncoder().encodeToString(bytes.array()));
            b.extra(STREAM_STATE, node);
        }
        return b;
    }

    /** The checkpoint field holding the schedule's state (absent: the schedule's initial state). */
    static final String SCHEDULE_STATE = "schedule_state";

    private com.fasterxml.jackson.databind.JsonNode scheduleJson() {
        var state = Json.MAPPER.createObjectNode();
        trainer.schedule().saveState(new org.bptt.api.plugin.StateSink() {
            @Override public void putFloats(String key, float[] values) {
                var a = state.putArray(key);
                for (float v : values) {
                    a.add(Float.floatToRawIntBits(v));
                }
            }
            @Override public void putLong(String key, long value) { state.put(key, value); }
        });
        return state;
    }

    private void restoreSchedule(com.fasterxml.jackson.databind.JsonNode state, String source) {
        if (state.isMissingNode() || trainer.schedule() == null) {
            return;
        }
        trainer.schedule().loadState(new org.bptt.api.plugin.StateSource() {
            @Override public void getFloats(String key, float[] into) {
                var a = state.path(key);
                if (!a.isArray() || a.size() != into.length) {
                    throw new ConfigurationException(source + ": the checkpoint's schedule state '" + key + "' is missing or has the wrong size");
                }
                for (int i = 0; i < into.length; i++) {
                    into[i] = Float.intBitsToFloat(a.get(i).asInt());
                }
            }
            @Override public long getLong(String key) {
                if (!state.path(key).canConvertToLong()) {
                    throw new ConfigurationException(source + ": the checkpoint's schedule state '" + key + "' is missing");
                }
                return state.get(key).asLong();
            }
        });
    }

    /** Saves everything needed to continue or use this network, atomically. */
    public void save(Path file) throws IOException {
        checkpoint().capture().write(file);
    }

    /** Loads a saved network (a checkpoint file, or a run folder holding {@code checkpoint.bin}). */
    public static Network load(Path path, Plugins plugins) {
        Path file = Files.isDirectory(path) ? path.resolve("checkpoint.bin") : path;
        return load(Checkpoint.read(file), file.toString(), plugins);
    }

    /** Rebuilds the network a checkpoint holds, refusing with one sentence when a plugin it needs is missing. */
    public static Network load(Checkpoint ckpt, String source, Plugins plugins) {
        return load(ckpt, ckpt.config(source), source, plugins, 1);
    }

    /**
     * Rebuilds the network a checkpoint holds with {@code config}, which may differ from the
     * checkpoint's own only in the number of iterations and threads (how far a run goes and how
     * fast, never what it computes); {@code steps} sizes the memory estimate.
     */
    public static Network load(Checkpoint ckpt, RunConfig config, String source, Plugins plugins, int steps) {
        RunConfig saved = ckpt.config(source);
        if (!config.withIterations(0).withThreads(1).equals(saved.withIterations(0).withThreads(1))) {
            throw new IllegalArgumentException("the configuration differs from the checkpoint's in more than iterations and threads");
        }
        try {
            saved.validate();
        } catch (ConfigurationException e) {
            throw new ConfigurationException(source + ": the checkpoint's configuration is invalid: " + e.getMessage());
        }
        RunConfig cfg = config.validate();
        for (Checkpoint.PluginRecord p : ckpt.plugins()) {
            PluginFamily family = Arrays.stream(PluginFamily.values()).filter(f -> f.singular().equals(p.family()))
                    .findFirst().orElse(null);
            if (family != null && !plugins.registry(family).all().containsKey(p.name())) {
                throw new ConfigurationException(source + ": the run needs the " + p.family() + " plugin '" + p.name()
                        + "' (from " + p.origin() + "), which is not among the loaded plugins; add its jar or folder to the plugin path");
            }
        }
        int in = ckpt.inputSize();
        int out = ckpt.outputSize();
        String loss = ckpt.taskLoss();
        if (in < 1 || out < 1 || loss == null) {
            // rnn 0.1 checkpoints record no sizes: a character model's come from its vocabulary, others' from the task.
            if (!ckpt.vocabulary().isEmpty()) {
                in = ckpt.vocabulary().size();
                out = in;
                loss = "ce";
            } else {
                Task task = plugins.create(PluginFamily.TASK, cfg.task());
                in = task.inputSize();
                out = task.outputSize();
                loss = task.defaultLoss();
            }
        }
        Network n;
        try {
            n = new Network(cfg, plugins, in, out, loss, ckpt.vocabulary(), Math.max(1, steps), steps > 1 ? cfg.batch() : 1);
        } catch (ConfigurationException e) {
            // Everything the network is built from came from the checkpoint: say so.
            throw e.getMessage().startsWith(source) ? e : new ConfigurationException(source + ": " + e.getMessage());
        }
        ckpt.restore(n.trainer.model().params(), n.trainer.optimizer(), n.trainer.policy(), source);
        n.trainer.setIteration(ckpt.iteration());
        n.restoreSchedule(ckpt.extra(SCHEDULE_STATE), source);
        if (cfg.stateful()) {
            n.restoreStreamState(ckpt.extra(STREAM_STATE), source);
        }
        return n;
    }

    private void restoreStreamState(com.fasterxml.jackson.databind.JsonNode node, String source) {
        float[] state = streamState();
        if (node.isMissingNode() && trainer.iteration() == 0) {
            return; // nothing trained yet: the streams start at zero
        }
        byte[] bytes;
        try {
            bytes = java.util.Base64.getDecoder().decode(node.path("base64").asText(""));
        } catch (IllegalArgumentException e) {
            bytes = new byte[0];
        }
        if (bytes.length != 4 * state.length || node.path("floats").asLong(-1) != state.length) {
            throw new ConfigurationException(source + ": the checkpoint of a stateful run does not hold the carried state of "
                    + config.batch() + " streams (" + state.length + " floats)");
        }
        java.nio.ByteBuffer.wrap(bytes).asFloatBuffer().get(state);
    }

    /**
     * What training a network takes in memory, estimated from the sizes before anything is
     * allocated, so that a model that cannot fit is refused with the numbers instead of an
     * OutOfMemoryError halfway through building it. Counts, in 4-byte floats: the parameters
     * about seven times (values, gradients, two optimizer slots, a window sum, the checkpoint's
     * copy and its buffer), each square recurrent matrix three more times (the cell's transposed
     * and packed copies), and the batch's activations (inputs, states and their gradients,
     * outputs and theirs, the cell's pre-activations); plus the spectrum's double-precision
     * decompositions of W (about six H×H matrices); and, for a run that evaluates on held-out
     * data, all of it again for the evaluation's network and its blocks of sequences.
     * Deliberately rough: within a factor of two.
     */
    static final class MemoryEstimate {
        /** Java's largest array, with the JVM's header words left out. */
        static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

        private MemoryEstimate() {}

        static long check(Plugins plugins, RunConfig config, int in, int out, int steps, int batch) {
            return check(plugins, config, in, out, steps, batch, 0);
        }

        /** As above, with a held-out evaluation in blocks of {@code evaluationBlock} sequences (0: none). */
        static long check(Plugins plugins, RunConfig config, int in, int out, int steps, int batch, int evaluationBlock) {
            Layers layers = layersOf(config);
            int hidden = config.hidden();
            org.bptt.api.cell.Cell cell = plugins.create(PluginFamily.CELL, config.cell());
            if (!layers.single()) {
                cell = new LayerStack(cell, layers, 0);
            }
            List<org.bptt.api.tensor.ParameterSpec> specs;
            long width;
            try {
                specs = cell.parameters(in, hidden);
                width = cell.stateWidth(hidden);
            } catch (RuntimeException e) {
                throw PluginFailure.attribute(e);
            }
            long params = 0;
            long recurrent = 0;
            for (org.bptt.api.tensor.ParameterSpec p : specs) {
                long n = array(p.name(), (long) p.rows() * p.cols(), p.rows() + "×" + p.cols());
                params += n;
                if (p.role() == org.bptt.api.tensor.ParameterSpec.Role.RECURRENT_WEIGHTS && p.rows() == p.cols()) {
                    recurrent += n;
                }
            }
            int readout = cell instanceof LayerStack s ? s.outputWidth(hidden) : hidden;
            params += array("V", (long) out * readout, out + "×" + readout) + out;
            String shape = batch + " sequences of " + steps + " steps";
            long bytes = bytes(params, recurrent, in, out, hidden, layers, width, steps, batch, shape);
            if (evaluationBlock > 0) {
                // Held-out evaluation trains nothing but builds a second network and its own blocks of sequences.
                bytes += bytes(params, recurrent, in, out, hidden, layers, width, steps, evaluationBlock,
                        "the held-out evaluation's blocks of " + evaluationBlock + " sequences of " + steps + " steps");
            }
            long max = Runtime.getRuntime().maxMemory();
            if (bytes > max - (16L << 20)) {
                throw new ConfigurationException("the model needs about " + size(bytes) + " of memory to train"
                        + (evaluationBlock > 0 ? " and evaluate" : "") + " (hidden size " + hidden + ", " + count(params)
                        + " parameters, batches of " + shape + (evaluationBlock > 0 ? ", held-out blocks of " + evaluationBlock : "")
                        + "), more than the " + size(max) + " this JVM may use; choose smaller sizes or give the JVM more "
                        + "memory (java -Xmx)");
            }
            return bytes;
        }

        /** Bytes of one network of {@code params} floats training on {@code batch} sequences ({@code shape}, in words). */
        private static long bytes(long params, long recurrent, int in, int out, int hidden, Layers layers, long width, int steps, int batch,
                                  String shape) {
            long rows = (long) steps * batch;
            long x = array("the inputs of " + shape, rows * in, null);
            long states = array("the states of " + shape, (steps + 1L) * batch * width, null);
            long outputs = array("the outputs of " + shape, rows * out, null);
            long pre = array("the cell's values of " + shape, rows * hidden * layers.count() * layers.directions(), null);
            long floats = 7 * params + 3 * recurrent + x + 2 * states + 2 * outputs + 2 * pre;
            return 4 * floats + 24 * rows + (recurrent > 0 ? 48L * hidden * hidden : 0);
        }

        private static long array(String what, long n, String shape) {
            if (n > MAX_ARRAY) {
                throw new ConfigurationException((shape != null ? "the parameter " + what + " (" + shape + ")" : what)
                        + " would hold " + count(n) + " values, more than a Java array can hold (" + count(MAX_ARRAY)
                        + "); choose smaller sizes");
            }
            return n;
        }

        static String size(long bytes) {
            return bytes >= 1L << 30 ? String.format(java.util.Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30))
                    : String.format(java.util.Locale.ROOT, "%d MB", Math.max(1, bytes >> 20));
        }

        private static String count(long n) {
            return n >= 1_000_000 && n < 1_000_000_000 ? String.format(java.util.Locale.ROOT, "%.1f million", n / 1e6)
                    : String.format(java.util.Locale.ROOT, "%,d", n);
        }
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
                throw new IllegalArgumentException("options come in key/value pairs, got " + keyValues.length + " strings");
            }
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < keyValues.length; i += 2) {
                m.put(keyValues[i], keyValues[i + 1]);
            }
            return new PluginChoice(name, m);
        }

        public Builder task(String name, String... options) { c.task(choice(name, options)); return this; }
        public Builder cell(String name, String... options) { c.cell(choice(name, options)); return this; }
        public Builder loss(String name, String... options) { c.loss(choice(name, options)); return this; }
        public Builder optimizer(String name, String... options) { c.optimizer(choice(name, options)); return this; }
        public Builder policy(String name, String... options) { c.policy(choice(name, options)); return this; }
        public Builder truncation(String name, String... options) { c.truncation(choice(name, options)); return this; }
        public Builder initializer(String name, String... options) { c.initializer(choice(name, options)); return this; }
        /** Any setting of {@link org.bptt.training.run.RunSettings}, e.g. {@code set(RunSettings.HIDDEN, 128)}. */
        public <T> Builder set(org.bptt.training.run.RunSetting<T> setting, T value) { c.set(setting, value); return this; }
        public Builder hidden(int h) { c.hidden(h); return this; }
        public Builder batch(int b) { c.batch(b); return this; }
        public Builder seed(long s) { c.seed(s); return this; }
        public Builder threads(int t) { c.threads(t); return this; }
        public Builder backend(String b) { c.backend(b); return this; }
        public Builder lossMean(LossMean m) { c.lossMean(m); return this; }
        public Builder updatePerWindow(boolean perWindow) { c.updatePerWindow(perWindow); return this; }
        public Builder nonFinite(NonFinitePolicy p) { c.nonFinite(p); return this; }
        public Builder checkpointEvery(long n) { c.checkpointEvery(n); return this; }
        public Builder diagnosticsEvery(long n) { c.diagnosticsEvery(n); return this; }
        /**
         * Train the task's data as {@code batch} long streams in consecutive chunks of the task's
         * steps, each chunk starting from the state the previous one ended in (min-char-rnn,
         * Keras' {@code stateful=True}): memory is bounded by one chunk however long the text.
         */
        public Builder stateful(boolean s) { c.stateful(s); return this; }

        /** {@code n} layers of the cell, layer l+1 reading layer l's h_t; the readout reads the top one (default 1). */
        public Builder layers(int n) { c.set(RunSettings.LAYERS, n); return this; }
        /** Every layer reads the sequence forward and backward, outputs concatenated (PyTorch's layout). */
        public Builder bidirectional(boolean b) { c.set(RunSettings.BIDIRECTIONAL, b); return this; }
        /** The probability of dropping a unit between layers while training (PyTorch's {@code dropout}). */
        public Builder dropout(double p) { c.set(RunSettings.DROPOUT, p); return this; }
        /** One dropout mask per sequence rather than per step (Gal &amp; Ghahramani's variational dropout). */
        public Builder variationalDropout(boolean v) { c.set(RunSettings.VARIATIONAL_DROPOUT, v); return this; }

        /** A learning-rate schedule by name ({@code cosine}, {@code "period", "500", "warmup", "50"}); none by default. */
        public Builder schedule(String name, String... options) { c.set(RunSettings.SCHEDULE, choice(name, options)); return this; }

        /** The configuration built so far. */
        public RunConfig config() { return c.build(); }


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
