package org.bptt.training.config;

import java.util.ArrayList;
import java.util.List;
import org.bptt.api.kernel.Backends;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.LossMean;
import org.bptt.training.NonFinitePolicy;
import org.bptt.training.plugin.PluginFamily;
import org.bptt.training.wiring.PluginChoice;

/**
 * The schema of a run: every setting of {@link RunConfig}, each declared once, in the order of
 * {@code config.json}. The file, the Java builder, the command line's options, their help and
 * every range check are read from these declarations (see docs/settings.md).
 *
 * <p>To add a setting, declare it here (at the end, with a help text and its limits) and test
 * it; read it with {@code config.get(RunSettings.X)}, set it with {@code builder.set(RunSettings.X, v)}.
 * A file written before the setting existed reads as its default.
 */
public final class RunSettings {
    private RunSettings() {}

    private static final List<RunSetting<?>> ALL = new ArrayList<>();
    private static final List<Shorthand> SHORTHANDS = new ArrayList<>();

    private static <T> RunSetting<T> add(RunSetting<T> s) {
        for (RunSetting<?> o : ALL) {
            if (o.key().equals(s.key()) || o.name().equals(s.name())) {
                throw new IllegalStateException("two run settings named " + s.key() + " (" + s.name() + ")");
            }
        }
        ALL.add(s);
        return s;
    }

    public static final RunSetting<PluginChoice> TASK =
            add(RunSetting.plugin("task", PluginFamily.TASK, "adding", "Task plugin")
                    .requiredInFiles());
    public static final RunSetting<Integer> HIDDEN =
            add(RunSetting.integer("hidden", 64, "Hidden size H").atLeast(1).requiredInFiles());
    public static final RunSetting<PluginChoice> CELL =
            add(RunSetting.plugin("cell", PluginFamily.CELL, "vanilla", "Cell plugin")
                    .requiredInFiles());
    public static final RunSetting<PluginChoice> LOSS =
            add(RunSetting.plugin("loss", PluginFamily.LOSS, null, "Loss plugin, ce or mse (default: the task's own)")
                    .requiredInFiles());
    public static final RunSetting<PluginChoice> OPTIMIZER =
            add(RunSetting.plugin("optimizer", PluginFamily.OPTIMIZER, "adam", "Optimizer plugin")
                    .optionsName("opt")
                    .requiredInFiles());
    public static final RunSetting<PluginChoice> POLICY =
            add(RunSetting.plugin("policy", PluginFamily.POLICY, "clip-norm", "Gradient policy plugin")
                    .requiredInFiles());
    public static final RunSetting<PluginChoice> TRUNCATION =
            add(RunSetting.plugin("truncation", PluginFamily.TRUNCATION, "full", "Truncation plugin")
                    .requiredInFiles());
    public static final RunSetting<PluginChoice> INITIALIZER =
            add(RunSetting.plugin("initializer", PluginFamily.INITIALIZER, "orthogonal", "Initializer plugin")
                    .name("init")
                    .requiredInFiles());
    public static final RunSetting<Integer> BATCH = add(RunSetting.integer("batch", 32, "Sequences per iteration")
            .atLeast(1)
            .requiredInFiles());
    /** The most iterations a run may ask for: a year of training at a million a second, and far from a long's overflow. */
    public static final long MAX_ITERATIONS = 1_000_000_000_000L;

    public static final RunSetting<Long> ITERATIONS =
            add(RunSetting.longInteger("iterations", 8000, "Iterations in all")
                    .atLeast(0)
                    .atMost(MAX_ITERATIONS)
                    .requiredInFiles());
    public static final RunSetting<Long> SEED = add(
            RunSetting.longInteger("seed", 1, "Seed of initialization and data").requiredInFiles());
    public static final RunSetting<Integer> THREADS =
            add(RunSetting.integer("threads", 1, "Kernel threads; results are the same for any number")
                    .atLeast(1)
                    .requiredInFiles());
    public static final RunSetting<String> BACKEND =
            add(RunSetting.choice("backend", Backends.names(), "auto", "Kernels: auto, scalar or simd")
                    .requiredInFiles());
    public static final RunSetting<LossMean> LOSS_MEAN = add(RunSetting.choice(
                    "lossMean",
                    LossMean.class,
                    LossMean.SEQUENCE,
                    "sequence (sum over steps, mean over batch) or step (mean over batch and steps)")
            .requiredInFiles());
    public static final RunSetting<Boolean> UPDATE_PER_WINDOW =
            add(RunSetting.flag("updatePerWindow", true, "per-window (online TBPTT) or per-sequence")
                    .words("per-window", "per-sequence")
                    .name("update")
                    .requiredInFiles());
    public static final RunSetting<NonFinitePolicy> NON_FINITE = add(RunSetting.choice(
                    "nonFinite",
                    NonFinitePolicy.class,
                    NonFinitePolicy.STOP,
                    "stop or skip when the loss or a gradient is NaN or infinite")
            .requiredInFiles());
    public static final RunSetting<Long> CHECKPOINT_EVERY =
            add(RunSetting.longInteger("checkpointEvery", 1000, "Iterations between checkpoints; 0: only at the end")
                    .atLeast(0)
                    .requiredInFiles());
    public static final RunSetting<Long> DIAGNOSTICS_EVERY = add(RunSetting.longInteger(
                    "diagnosticsEvery",
                    20,
                    "Iterations between gradient-flow measurements (and spectra of W, see spectrum-every)")
            .atLeast(1)
            .requiredInFiles());
    public static final RunSetting<Boolean> STATEFUL = add(
            RunSetting.flag(
                    "stateful",
                    false,
                    "Train the task's data as batch-many long streams in consecutive chunks of the task's steps, each chunk "
                            + "starting from the state the last one ended in (text: memory bounded by the chunk, not the text)"));
    public static final RunSetting<Integer> LAYERS = add(RunSetting.integer(
                    "layers", 1, "Layers of the cell, each reading the one below's h_t; the readout reads the top one")
            .atLeast(1)
            .atMost(64));
    public static final RunSetting<Boolean> BIDIRECTIONAL = add(
            RunSetting.flag(
                    "bidirectional",
                    false,
                    "Every layer reads the sequence forwards and backwards, outputs concatenated (whole sequences, full BPTT)"));
    public static final RunSetting<Double> DROPOUT = add(RunSetting.number(
                    "dropout",
                    0,
                    "Probability of dropping a unit between layers while training (needs 2 layers or more)")
            .check(p -> p >= 0 && p < 1, "at least 0 and below 1"));
    public static final RunSetting<Boolean> VARIATIONAL_DROPOUT = add(RunSetting.flag(
            "variationalDropout", false, "One dropout mask per sequence instead of per step (Gal & Ghahramani)"));

    /**
     * The layer settings' rules together (a network's {@code Layers}, and a configuration file read
     * on its own, so that its own contradiction is reported with its name).
     */
    public static void requireLayers(int count, double dropout, boolean variational) {
        if (count < 1) {
            throw new ConfigurationException("the number of layers must be at least 1, got " + count);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new ConfigurationException("the dropout probability must be at least 0 and below 1, got " + dropout);
        }
        if (dropout > 0 && count < 2) {
            throw new ConfigurationException(
                    "dropout acts between layers, so it needs at least 2 layers, got " + count);
        }
        if (variational && dropout == 0) {
            throw new ConfigurationException("variational dropout needs a dropout probability above 0");
        }
    }

    public static final RunSetting<PluginChoice> SCHEDULE = add(RunSetting.plugin(
            "schedule",
            PluginFamily.SCHEDULE,
            null,
            "Learning-rate schedule plugin: constant, step, cosine or plateau (default: none)"));
    public static final RunSetting<Integer> EARLY_STOP = add(RunSetting.integer(
                    "earlyStop",
                    0,
                    "Stop after this many held-out evaluations without a lower loss, keeping best.bin; 0: off")
            .atLeast(0)
            .atMost(1_000_000));
    public static final RunSetting<Long> SPECTRUM_EVERY = add(RunSetting.longInteger(
                    "spectrumEvery",
                    0,
                    "Iterations between spectra of W (rounded up to a multiple of diagnostics-every); 0: as often as keeps "
                            + "their cost within 2% of training")
            .atLeast(0));
    public static final RunSetting<String> INIT_FROM = add(RunSetting.text(
            "initFrom",
            "",
            "Start from the weights of a run folder, its checkpoint or a PyTorch state_dict saved with safetensors, whose "
                    + "architecture (cell, hidden size, layers) the run takes; empty: initialize"));
    // New settings go here, each with .atLeast/.atMost limits where it has any (never requiredInFiles: old files lack
    // it).

    /**
     * A short name that sets an option of the plugin chosen in one family (lr: the optimizer's 'lr');
     * the first of {@code options} the plugin declares is set.
     *
     * @param name    as users type it
     * @param plugin  the plugin setting whose option it sets
     * @param options the option's names, in order of preference
     * @param implies the plugin chosen when the user names none (text: the text task), or null
     * @param label   what the value is, for help (FILE), or null
     * @param help    for help
     */
    public record Shorthand(
            String name,
            RunSetting<PluginChoice> plugin,
            List<String> options,
            String implies,
            String label,
            String help) {
        public Shorthand {
            options = List.copyOf(options);
        }
    }

    private static void alias(String name, RunSetting<PluginChoice> plugin, String option, String help) {
        SHORTHANDS.add(new Shorthand(name, plugin, List.of(option), null, null, help));
    }

    static {
        alias("steps", TASK, "steps", "Sequence length T: the task's option 'steps'.");
        SHORTHANDS.add(new Shorthand(
                "text",
                TASK,
                List.of("text"),
                "text",
                "FILE",
                "UTF-8 text for the character language model (implies the task text)."));
        SHORTHANDS.add(
                new Shorthand(
                        "validation",
                        TASK,
                        List.of("validation"),
                        null,
                        "FRACTION",
                        "The task's option "
                                + "'validation' (text: the fraction of the text, at its end, held out from training and evaluated in bits per character)."));
        SHORTHANDS.add(new Shorthand(
                "data",
                TASK,
                List.of("file"),
                "data",
                "FILE",
                "Your sequences: a NumPy .npz (x, y, lengths) or a long-form CSV (implies the task data)."));
        SHORTHANDS.add(
                new Shorthand(
                        "validation-data",
                        TASK,
                        List.of("validation-data"),
                        null,
                        "FILE",
                        "Held-out sequences in a file like --data's (without it, --validation F holds out the last fraction)."));
        alias("activation", CELL, "activation", "The cell's option 'activation' (vanilla: tanh, relu or linear).");
        alias("lr", OPTIMIZER, "lr", "Learning rate: the optimizer's option 'lr'.");
        alias("momentum", OPTIMIZER, "momentum", "The optimizer's option 'momentum' (sgd).");
        SHORTHANDS.add(new Shorthand(
                "threshold",
                POLICY,
                List.of("threshold", "value"),
                null,
                null,
                "The policy's option 'threshold' (clip-norm), or 'value' (clip-value)."));
        alias("k1", TRUNCATION, "k1", "The truncation's option 'k1' (tbptt: steps between backward passes).");
        alias(
                "k2",
                TRUNCATION,
                "k2",
                "The truncation's option 'k2' (tbptt: steps each backward pass goes back, >= k1; the default, 0, means k1).");
        alias(
                "radius",
                INITIALIZER,
                "radius",
                "The initializer's option 'radius' (spectral: the spectral radius of W).");
        alias("gain", INITIALIZER, "gain", "The initializer's option 'gain' (xavier, orthogonal, identity).");
        SHORTHANDS.add(new Shorthand(
                "weight-decay",
                OPTIMIZER,
                List.of("weight-decay"),
                "adamw",
                null,
                "Decoupled weight decay: the optimizer's option 'weight-decay' (implies the optimizer adamw)."));
    }

    /** Every setting, in the order of {@code config.json}. */
    public static List<RunSetting<?>> all() {
        return List.copyOf(ALL);
    }

    /** Every short name of a plugin option, in the order of help. */
    public static List<Shorthand> shorthands() {
        return List.copyOf(SHORTHANDS);
    }

    /** The setting users call {@code name}, or null. */
    public static RunSetting<?> named(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }

    /** The shorthand users call {@code name}, or null. */
    public static Shorthand shorthand(String name) {
        return SHORTHANDS.stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElse(null);
    }

    /** The plugin setting whose options users give under {@code optionsName} (opt: the optimizer), or null. */
    public static RunSetting<PluginChoice> withOptionsNamed(String optionsName) {
        for (RunSetting<?> s : ALL) {
            if (optionsName.equals(s.optionsName())) {
                return plugin(s);
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    static RunSetting<PluginChoice> plugin(RunSetting<?> s) {
        if (s.kind() != RunSetting.Kind.PLUGIN) {
            throw new IllegalArgumentException(s.key() + " is not a plugin setting");
        }
        return (RunSetting<PluginChoice>) s;
    }
}
