package org.bptt.training.bench;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.SplittableRandom;
import org.bptt.api.data.Batch;
import org.bptt.api.data.Targets;
import org.bptt.api.kernel.Kernels;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.tensor.ParameterSpec;
import org.bptt.training.BpttTrainer;
import org.bptt.training.LossMean;
import org.bptt.training.NonFinitePolicy;
import org.bptt.training.StepResult;
import org.bptt.training.TrainerSettings;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.wiring.PluginChoice;
import org.bptt.training.wiring.TrainingConfig;
import org.bptt.training.wiring.TrainingModule;

/**
 * The training step that {@code torch_rnn_step.py} times, built through the ordinary
 * Guice wiring: vanilla tanh cell (or any cell ServiceLoader finds, by name: the script's
 * {@code --cell gru|lstm} are the {@code gru} and {@code lstm} of examples/gated-cells),
 * h0 = 0, softmax cross-entropy at every step averaged
 * over B·T rows ({@link LossMean#STEP}), full BPTT, clip by global norm 1.0, SGD with
 * lr 0.01, float32, PyTorch's default uniform initialization, and one fixed random batch
 * (normal inputs, or one-hot inputs as in min-char-rnn) with uniform random class targets.
 *
 * <p>Not thread-safe (it owns one trainer).
 */
public final class ReferenceStep {
    /** The clip threshold and learning rate of the reference script. */
    public static final double CLIP_NORM = 1.0;

    public static final double LEARNING_RATE = 0.01;

    /** The cell of the reference script's default, nn.RNN with tanh. */
    public static final String VANILLA = "vanilla";

    private final Workload workload;
    private final BpttTrainer trainer;
    private final Batch batch;

    /**
     * Sizes of one benchmark case.
     *
     * @param input  I
     * @param hidden H
     * @param output O
     * @param batch  B
     * @param steps  T
     * @param oneHot inputs are one-hot vectors of a uniform random index, else standard normal
     */
    public record Workload(int input, int hidden, int output, int batch, int steps, boolean oneHot) {
        public Workload {
            check("input", input);
            check("hidden", hidden);
            check("output", output);
            check("batch", batch);
            check("steps", steps);
            // The trainer holds T+1 states of B×H and T·B outputs in single arrays.
            long largest = Math.max(
                    Math.max((long) steps * batch * input, (long) (steps + 1) * batch * hidden),
                    (long) steps * batch * output);
            if (largest > Integer.MAX_VALUE - 8) {
                throw new ConfigurationException(
                        "the sizes need an array of " + largest + " floats, more than a Java array holds ("
                                + (Integer.MAX_VALUE - 8) + "); lower the steps, batch or layer sizes");
            }
        }

        private static void check(String name, int value) {
            if (value < 1) {
                throw new ConfigurationException(name + " must be at least 1, got " + value);
            }
        }

        /** W1(H) of the reference script: I = O = 64, B = 32, T = 100, normal inputs. */
        public static Workload w1(int hidden) {
            return new Workload(64, hidden, 64, 32, 100, false);
        }

        /** W2 of the reference script (min-char-rnn): I = O = 65 one-hot, H = 128, B = 1, T = 25. */
        public static Workload w2() {
            return new Workload(65, 128, 65, 1, 25, true);
        }

        /** The benchmark names: W1-64, W1-256, W1-1024, W2. */
        public static Workload named(String name) {
            Workload w = switch (name) {
                case "W1-64" -> w1(64);
                case "W1-256" -> w1(256);
                case "W1-1024" -> w1(1024);
                case "W2" -> w2();
                default -> null;
            };
            if (w == null) {
                throw new ConfigurationException("unknown workload '" + name + "'; known: W1-64, W1-256, W1-1024, W2");
            }
            return w;
        }

        /**
         * Forward flops as the reference script counts them: per (step, sequence) row the
         * products U·x, W·h (2H(I+H)) and V·h (2OH); element-wise work is not counted.
         */
        public long forwardFlops() {
            return (long) steps * batch * (2L * hidden * (input + hidden) + 2L * output * hidden);
        }

        /** Flops of a whole step by the script's convention: backward counted as twice the forward. */
        public long stepFlops() {
            return 3 * forwardFlops();
        }
    }

    /**
     * The whole training steps a kernel tuning is checked on, by name: W1 at three widths and W2,
     * each a factory of one step's work on given kernels.
     */
    public static java.util.Map<String, java.util.function.Function<Kernels, Runnable>> tuningChecks() {
        java.util.Map<String, java.util.function.Function<Kernels, Runnable>> checks = new java.util.LinkedHashMap<>();
        for (String name : java.util.List.of("W1-64", "W1-256", "W1-1024", "W2")) {
            Workload w = Workload.named(name);
            checks.put(name, k -> {
                ReferenceStep step = create(w, k, 0L);
                return step::step;
            });
        }
        return checks;
    }

    private ReferenceStep(Workload workload, BpttTrainer trainer, Batch batch) {
        this.workload = workload;
        this.trainer = trainer;
        this.batch = batch;
    }

    /**
     * Builds the trainer of the vanilla tanh cell and its batch.
     *
     * @param backend auto, scalar or simd
     * @param threads kernel threads, ≥ 1
     * @param seed    fixes the initialization and the data
     */
    public static ReferenceStep create(Workload workload, String backend, int threads, long seed) {
        return create(workload, VANILLA, backend, threads, seed);
    }

    /**
     * Builds the trainer of the named cell and its batch.
     *
     * @param cell    a cell plugin's name, with its default options ({@code vanilla} with tanh)
     * @param backend auto, scalar or simd
     * @param threads kernel threads, ≥ 1
     * @param seed    fixes the initialization and the data
     */
    public static ReferenceStep create(Workload workload, String cell, String backend, int threads, long seed) {
        return create(workload, cell, backend, threads, seed, Plugins.discover());
    }

    /** As {@link #create(Workload, String, String, int, long)}, the cell taken from {@code plugins}. */
    public static ReferenceStep create(
            Workload workload, String cell, String backend, int threads, long seed, Plugins plugins) {
        return create(workload, cell, org.bptt.training.Layers.ONE, backend, threads, seed, plugins);
    }

    /** As {@link #create(Workload, String, String, int, long, Plugins)}, the cell composed into {@code layers}. */
    public static ReferenceStep create(
            Workload workload,
            String cell,
            org.bptt.training.Layers layers,
            String backend,
            int threads,
            long seed,
            Plugins plugins) {
        requireNonNull(workload, "workload is null");
        requireNonNull(cell, "cell is null");
        requireNonNull(backend, "backend is null");
        if (threads < 1) {
            throw new ConfigurationException("threads must be at least 1, got " + threads);
        }
        BpttTrainer trainer = TrainingModule.trainer(config(workload, cell, backend, threads, seed), layers, plugins);
        return new ReferenceStep(workload, trainer, batch(workload, seed));
    }

    /**
     * Builds the trainer and its batch on the given kernels (a tuner comparing two settings of
     * one backend, say); the configuration names the backend's name and thread count.
     */
    public static ReferenceStep create(Workload workload, Kernels kernels, long seed) {
        requireNonNull(workload, "workload is null");
        requireNonNull(kernels, "kernels is null");
        TrainingConfig config = config(workload, kernels.name(), kernels.threads(), seed);
        BpttTrainer trainer = TrainingModule.trainer(
                config,
                org.bptt.training.Layers.ONE,
                Plugins.discover(),
                b -> b.bind(Kernels.class).toInstance(kernels));
        return new ReferenceStep(workload, trainer, batch(workload, seed));
    }

    /** The trainer configuration of the reference step with the vanilla tanh cell. */
    public static TrainingConfig config(Workload w, String backend, int threads, long seed) {
        return config(w, VANILLA, backend, threads, seed);
    }

    /** The trainer configuration of the reference step with the named cell. */
    public static TrainingConfig config(Workload w, String cell, String backend, int threads, long seed) {
        PluginChoice cellChoice =
                cell.equals(VANILLA) ? new PluginChoice(VANILLA, Map.of("activation", "tanh")) : PluginChoice.of(cell);
        return new TrainingConfig(
                w.input(),
                w.hidden(),
                w.output(),
                cellChoice,
                PluginChoice.of("ce"),
                new PluginChoice("sgd", Map.of("lr", Double.toString(LEARNING_RATE))),
                new PluginChoice("clip-norm", Map.of("threshold", Double.toString(CLIP_NORM))),
                PluginChoice.of("full"),
                PluginChoice.of("uniform"),
                seed,
                backend,
                threads,
                // One update per iteration (full BPTT has one window anyway); stop on NaN, as a benchmark should not
                // silently time skipped updates.
                new TrainerSettings(LossMean.STEP, false, NonFinitePolicy.STOP, false));
    }

    /** The random batch: time-major inputs, a class target per (step, sequence), a loss at every step, h0 = 0. */
    public static Batch batch(Workload w, long seed) {
        // A stream of its own, so the data do not depend on how many numbers the initialization drew.
        SplittableRandom r = new SplittableRandom(seed).split();
        int rows = w.steps() * w.batch();
        float[] x = new float[rows * w.input()];
        if (w.oneHot()) {
            for (int row = 0; row < rows; row++) {
                x[row * w.input() + r.nextInt(w.input())] = 1f;
            }
        } else {
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
            }
        }
        int[] classes = new int[rows];
        for (int i = 0; i < rows; i++) {
            classes[i] = r.nextInt(w.output());
        }
        return new Batch(w.batch(), w.steps(), w.input(), x, Targets.classes(classes), Batch.allSteps(w.steps()), null);
    }

    /**
     * Flops of one step by the reference script's convention for this step's cell: forward =
     * T·B·2·(the weights of its input and recurrent matrices and of V), step = 3 × forward. For
     * the vanilla cell this is {@link Workload#stepFlops()}; for a cell with G gates (GRU 3,
     * LSTM 4) the script's 2GH(I+H) + 2OH per row.
     */
    public long stepFlops() {
        long weights = 0;
        for (ParameterSpec s : trainer.model().specs()) {
            switch (s.role()) {
                case INPUT_WEIGHTS, RECURRENT_WEIGHTS, OUTPUT_WEIGHTS -> weights += (long) s.rows() * s.cols();
                default -> {}
            }
        }
        return 3L * workload.steps() * workload.batch() * 2L * weights;
    }

    /** One training iteration on the fixed batch; the result is reused by the trainer (copy what you keep). */
    public StepResult step() {
        return trainer.trainStep(batch);
    }

    public Workload workload() {
        return workload;
    }

    public BpttTrainer trainer() {
        return trainer;
    }

    public Batch batch() {
        return batch;
    }
}
