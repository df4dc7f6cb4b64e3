package org.bptt.cli.train;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.plugin.PluginParameter;
import org.bptt.cli.DashboardCommand;
import org.bptt.cli.Main;
import org.bptt.cli.PluginPathOption;
import org.bptt.dashboard.Dashboard;
import org.bptt.report.RunReport;
import org.bptt.training.FitResult.Outcome;
import org.bptt.training.LossMean;
import org.bptt.training.NonFinitePolicy;
import org.bptt.training.eval.EvaluationSettings;
import org.bptt.training.eval.HeldOutEvaluator;
import org.bptt.training.Network;
import org.bptt.training.plugin.PluginFamily;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.run.ExistingRunException;
import org.bptt.training.run.IterationMetrics;
import org.bptt.training.run.Json;
import org.bptt.training.run.MetricsFile;
import org.bptt.training.run.RunConfig;
import org.bptt.training.run.RunFailure;
import org.bptt.training.run.RunListener;
import org.bptt.training.run.RunSummary;
import org.bptt.training.run.TrainingRun;
import org.bptt.training.wiring.PluginChoice;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/** {@code rnn train}: trains on a generated task and writes checkpoints, metrics and a report. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Train a recurrent network on a task generated from the seed (no downloads).",
                "With no options: the adding problem, a vanilla tanh RNN with H=${sys:rnn.default.hidden}, Adam and "
                        + "clip-norm, each plugin with its own defaults (see 'rnn plugins').",
                "Writes config.json, checkpoint.bin, metrics, diagnostics.json and report.html to the output folder."},
        footer = {"", "Plugin options: --PLUGIN-opt KEY=VALUE sets any option a plugin declares; the short flags "
                + "(--steps, --lr, --threshold, ...) set the option of that name of the plugin chosen.",
                "%nPlugins and their defaults:%n${sys:rnn.help.plugins}"})
public final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PluginPathOption pluginPath;

    @Option(names = "--config", paramLabel = "FILE", description = "Repeat a saved run: its config.json (other options override it).")
    Path configFile;

    @Option(names = "--resume", paramLabel = "RUN", description = "Continue the run in this folder from its checkpoint "
            + "(with --iterations N to go further, --threads N to compute it with other threads).")
    String resume;

    @Option(names = "--task", description = "Task plugin (default: ${sys:rnn.default.task}).")
    String task;

    @Option(names = "--task-opt", paramLabel = "KEY=VALUE", description = "A task option, e.g. --task-opt delay=20.")
    List<String> taskOptions;

    @Option(names = "--steps", description = "Sequence length T: the task's option 'steps'.")
    String steps;

    @Option(names = "--text", paramLabel = "FILE", description = "UTF-8 text for the character language model (implies --task text).")
    String text;

    @Option(names = "--validation", paramLabel = "FRACTION", description = "The task's option 'validation' (text: the "
            + "fraction of the text, at its end, held out from training and evaluated in bits per character).")
    String validation;

    @Option(names = "--cell", description = "Cell plugin (default: ${sys:rnn.default.cell}).")
    String cell;

    @Option(names = "--cell-opt", paramLabel = "KEY=VALUE", description = "A cell option.")
    List<String> cellOptions;

    @Option(names = "--activation", description = "The cell's option 'activation' (vanilla: tanh, relu or linear).")
    String activation;

    @Option(names = "--hidden", description = "Hidden size H (default: ${sys:rnn.default.hidden}).")
    Integer hidden;

    @Option(names = "--loss", description = "Loss plugin, ce or mse (default: the task's own).")
    String loss;

    @Option(names = "--loss-opt", paramLabel = "KEY=VALUE", description = "A loss option.")
    List<String> lossOptions;

    @Option(names = "--loss-mean", description = "sequence (sum over steps, mean over batch) or step (mean over batch and steps) (default: ${sys:rnn.default.lossMean}).")
    String lossMean;

    @Option(names = "--stateful", description = "Train the task's data as --batch long streams in consecutive chunks of --steps, "
            + "each chunk starting from the state the last one ended in (text: memory bounded by the chunk, not the text).")
    Boolean stateful;

    @Option(names = "--optimizer", description = "Optimizer plugin (default: ${sys:rnn.default.optimizer}).")
    String optimizer;

    @Option(names = "--opt", paramLabel = "KEY=VALUE", description = "An optimizer option, e.g. --opt beta2=0.99.")
    List<String> optimizerOptions;

    @Option(names = "--lr", description = "Learning rate: the optimizer's option 'lr'.")
    String lr;

    @Option(names = "--momentum", description = "The optimizer's option 'momentum' (sgd).")
    String momentum;

    @Option(names = "--policy", description = "Gradient policy plugin (default: ${sys:rnn.default.policy}).")
    String policy;

    @Option(names = "--policy-opt", paramLabel = "KEY=VALUE", description = "A gradient policy option.")
    List<String> policyOptions;

    @Option(names = "--threshold", description = "The policy's option 'threshold' (clip-norm), or 'value' (clip-value).")
    String threshold;

    @Option(names = "--truncation", description = "Truncation plugin (default: ${sys:rnn.default.truncation}).")
    String truncation;

    @Option(names = "--truncation-opt", paramLabel = "KEY=VALUE", description = "A truncation option.")
    List<String> truncationOptions;

    @Option(names = "--k1", description = "The truncation's option 'k1' (tbptt: steps between backward passes).")
    String k1;

    @Option(names = "--k2", description = "The truncation's option 'k2' (tbptt: steps each backward pass goes back, >= k1).")
    String k2;

    @Option(names = "--update", description = "per-window (online TBPTT) or per-sequence (default: ${sys:rnn.default.update}).")
    String update;

    @Option(names = "--init", description = "Initializer plugin (default: ${sys:rnn.default.initializer}).")
    String init;

    @Option(names = "--init-opt", paramLabel = "KEY=VALUE", description = "An initializer option.")
    List<String> initOptions;

    @Option(names = "--radius", description = "The initializer's option 'radius' (spectral: the spectral radius of W).")
    String radius;

    @Option(names = "--gain", description = "The initializer's option 'gain' (xavier, orthogonal, identity).")
    String gain;

    @Option(names = "--batch", description = "Sequences per iteration (default: ${sys:rnn.default.batch}).")
    Integer batch;

    @Option(names = "--iterations", description = "Iterations in all (default: ${sys:rnn.default.iterations}).")
    Long iterations;

    @Option(names = "--seed", description = "Seed of initialization and data (default: ${sys:rnn.default.seed}).")
    Long seed;

    @Option(names = "--threads", description = "Kernel threads (default: ${sys:rnn.default.threads}).")
    Integer threads;

    @Option(names = "--backend", description = "auto, scalar or simd (default: ${sys:rnn.default.backend}).")
    String backend;

    @Option(names = "--non-finite", description = "stop or skip when the loss or a gradient is NaN or infinite (default: ${sys:rnn.default.nonFinite}).")
    String nonFinite;

    @Option(names = "--checkpoint-every", description = "Iterations between checkpoints; 0: only at the end (default: ${sys:rnn.default.checkpointEvery}).")
    Long checkpointEvery;

    @Option(names = "--diagnostics-every", description = "Iterations between spectrum and gradient-flow measurements (default: ${sys:rnn.default.diagnosticsEvery}).")
    Long diagnosticsEvery;

    @Option(names = "--eval-every", paramLabel = "N", description = "Iterations between evaluations on held-out sequences "
            + "(never trained on); 0: only at the end (default: 0).")
    Long evalEvery;

    @Option(names = "--metrics", description = "csv or jsonl (default: csv; a continued run keeps its own).")
    String metricsFormat;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Output folder (default: runs/<task>-<time>).")
    String output;

    @Option(names = {"-q", "--quiet"}, description = "No progress; print only the summary.")
    boolean quiet;

    @Option(names = "--dashboard", description = "Serve a live dashboard of this run in the browser while it trains "
            + "(http://127.0.0.1, port 7070 or a free one; see 'rnn dashboard').")
    boolean dashboard;

    /** A short flag that sets an option of the plugin chosen in one family; the first name it declares wins. */
    private record Shorthand(String flag, PluginFamily family, List<String> names) {}

    /** Every short flag, declared once. */
    private static final List<Shorthand> SHORTHANDS = List.of(
            new Shorthand("--steps", PluginFamily.TASK, List.of("steps")),
            new Shorthand("--text", PluginFamily.TASK, List.of("text")),
            new Shorthand("--validation", PluginFamily.TASK, List.of("validation")),
            new Shorthand("--activation", PluginFamily.CELL, List.of("activation")),
            new Shorthand("--lr", PluginFamily.OPTIMIZER, List.of("lr")),
            new Shorthand("--momentum", PluginFamily.OPTIMIZER, List.of("momentum")),
            new Shorthand("--threshold", PluginFamily.POLICY, List.of("threshold", "value")),
            new Shorthand("--k1", PluginFamily.TRUNCATION, List.of("k1")),
            new Shorthand("--k2", PluginFamily.TRUNCATION, List.of("k2")),
            new Shorthand("--radius", PluginFamily.INITIALIZER, List.of("radius")),
            new Shorthand("--gain", PluginFamily.INITIALIZER, List.of("gain")));

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (metricsFormat != null) {
            MetricsFile.check(metricsFormat);
        }
        if (threads != null && threads > Network.maxThreads()) {
            throw new ConfigurationException("--threads " + threads + " is more than this machine can use (it has "
                    + Runtime.getRuntime().availableProcessors() + " processors); give at most " + Network.maxThreads()
                    + ", results are the same for any number");
        }
        Plugins plugins = pluginPath.plugins();
        // Installed before the run is opened, so that a Ctrl-C while it starts still ends with a checkpoint.
        try (StopSignals signals = StopSignals.install(System.err)) {
            TrainingRun run = open(plugins);
            try (run) {
                return train(run, signals, out);
            }
        }
    }

    /** A new run, or the run of --resume with the changes it allows. */
    private TrainingRun open(Plugins plugins) {
        if (resume != null) {
            List<String> others = givenExcept("--resume", "--iterations", "--threads", "--metrics", "--quiet", "-q", "--plugins",
                    "--dashboard");
            if (!others.isEmpty()) {
                throw new ConfigurationException("--resume continues a run with its own configuration; it takes only "
                        + "--iterations, --threads, --metrics, --quiet, --plugins and --dashboard, not " + String.join(", ", others));
            }
            if (iterations != null && iterations < 1) {
                throw new ConfigurationException("--iterations must be at least 1, got " + iterations);
            }
            if (threads != null && threads < 1) {
                throw new ConfigurationException("--threads must be at least 1, got " + threads);
            }
            Path dir = folder(resume.toString(), "--resume");
            TrainingRun run = TrainingRun.resume(dir, plugins,
                    new TrainingRun.Resume(metricsFormat, iterations == null ? 0 : iterations, threads == null ? 0 : threads));
            evaluate(run, EvaluationSettings.read(dir, EvaluationSettings.defaults()));
            return run;
        }
        RunConfig base = configFile != null ? Json.read(configFile) : RunConfig.defaults();
        if (configFile != null) {
            checkPlugins(base, plugins);
        }
        RunConfig cfg = merge(base, plugins);
        EvaluationSettings evaluation = evaluationSettings();
        if (evalEvery != null && evalEvery > 0 && !plugins.<org.bptt.api.data.Task>create(PluginFamily.TASK, cfg.task()).hasHeldOut()) {
            throw new ConfigurationException("--eval-every needs held-out data, and the task '" + cfg.task().name()
                    + "' holds none; for a text, hold part of it out with --validation 0.1");
        }
        Path dir = outputFolder(cfg);
        try {
            TrainingRun run = TrainingRun.create(cfg, dir, plugins, metricsFormat == null ? "csv" : metricsFormat);
            evaluation.write(run.folder());
            evaluate(run, evaluation);
            return run;
        } catch (IOException e) {
            throw new ConfigurationException("cannot write to the output folder " + dir + " (" + e.getMessage() + ")");
        } catch (ExistingRunException e) {
            throw new ConfigurationException("the output folder " + dir + " already holds a run; continue it with rnn train "
                    + "--resume " + org.bptt.cli.ShellWord.of(dir) + ", or choose another folder");
        }
    }

    /** Held-out evaluation as the settings say, when the task holds sequences out. */
    private static void evaluate(TrainingRun run, EvaluationSettings evaluation) {
        if (run.task().hasHeldOut()) {
            run.evaluateWith(new HeldOutEvaluator(evaluation), evaluation.every());
        }
    }

    /** The held-out evaluation the options ask for: at the end, and every --eval-every iterations. */
    EvaluationSettings evaluationSettings() {
        return EvaluationSettings.defaults().withEvery(evalEvery == null ? 0 : evalEvery);
    }

    /** A run's configuration and evaluation settings, from train options. */
    public record Options(RunConfig config, EvaluationSettings evaluation) {}

    /**
     * Reads train options as {@code rnn train} would, without training: what a sweep's shared and
     * varied options make of each run. Output, resume and display options are the caller's to refuse.
     */
    public static Options parse(List<String> args, Plugins plugins) {
        TrainCommand c = new TrainCommand();
        picocli.CommandLine cl = new picocli.CommandLine(c);
        cl.setOverwrittenOptionsAllowed(false);
        try {
            cl.parseArgs(args.toArray(String[]::new));
        } catch (picocli.CommandLine.ParameterException e) {
            throw new ConfigurationException("train options " + String.join(" ", args) + ": " + e.getMessage());
        }
        RunConfig base = c.configFile != null ? Json.read(c.configFile) : RunConfig.defaults();
        return new Options(c.merge(base, plugins), c.evaluationSettings());
    }

    /**
     * The configuration file's plugins with their options, made once before flags change them, so
     * that a mistake in the file names the file and the field.
     */
    private void checkPlugins(RunConfig base, Plugins plugins) {
        Map<String, PluginChoice> fields = new LinkedHashMap<>();
        fields.put("task", base.task());
        fields.put("cell", base.cell());
        fields.put("loss", base.loss());
        fields.put("optimizer", base.optimizer());
        fields.put("policy", base.policy());
        fields.put("truncation", base.truncation());
        fields.put("initializer", base.initializer());
        PluginFamily[] families = {PluginFamily.TASK, PluginFamily.CELL, PluginFamily.LOSS, PluginFamily.OPTIMIZER,
                PluginFamily.POLICY, PluginFamily.TRUNCATION, PluginFamily.INITIALIZER};
        int i = 0;
        for (Map.Entry<String, PluginChoice> f : fields.entrySet()) {
            PluginFamily family = families[i++];
            if (f.getValue() == null) {
                continue;
            }
            try {
                // Made, not only checked: the plugin's own range checks then name the file too.
                plugins.create(family, f.getValue());
            } catch (ConfigurationException e) {
                throw new ConfigurationException(configFile + ": the field '" + f.getKey() + "': " + e.getMessage());
            }
        }
    }

    private int train(TrainingRun run, StopSignals signals, PrintWriter out) throws IOException {
        for (String note : run.notes()) {
            out.println("note: " + note);
        }
        if (resume != null && run.complete()) {
            out.println("the run in " + run.folder() + " is already complete at " + run.config().iterations()
                    + " iterations; to go further: rnn train --resume " + org.bptt.cli.ShellWord.of(run.folder()) + " --iterations N");
            return 0;
        }
        Network net = run.network();
        if (!quiet) {
            out.println("training " + run.task().describe() + " with " + net.model().cell().describe() + ", H="
                    + net.model().hiddenSize() + ", " + net.trainer().optimizer().describe() + ", "
                    + net.trainer().policy().describe() + ", " + net.trainer().truncation().describe() + " on "
                    + net.trainer().kernels().name() + " kernels -> " + run.folder());
            out.flush();
        }
        Progress progress = quiet ? Progress.quiet() : Progress.console(System.err);
        RunReport report = new RunReport();
        Dashboard board = dashboard ? DashboardCommand.openFor(run, out) : null;
        RunListener listener = new RunListener() {
            @Override public void started(TrainingRun r) { progress.start(r.startIteration(), r.config().iterations()); }
            @Override public void iteration(TrainingRun r, IterationMetrics m) { progress.update(m.iteration() + 1, r.history().metrics()); }
            @Override public void checkpointed(TrainingRun r, long it) { report.checkpointed(r, it); }
            @Override public void finished(TrainingRun r, RunSummary summary) {
                progress.finish();
                report.finished(r, summary);
            }
            @Override public boolean stopRequested() { return signals.stopRequested(); }
        };
        RunSummary s;
        try {
            s = run.run(board == null ? listener : board.live(run, listener));
        } catch (RunFailure e) {
            progress.finish();
            throw new RunFailure(e.getMessage() + " (rnn train --resume " + org.bptt.cli.ShellWord.of(run.folder()) + ")", e.getCause());
        }
        out.println(s.text());
        out.println("results: " + run.folder() + " (report.html, metrics." + run.metricsFormat() + ", checkpoint.bin)");
        if (s.outcome() == Outcome.INTERRUPTED) {
            out.println("stopped by " + signals.signalName() + " at iteration " + s.iterations() + " of " + s.asked()
                    + "; the checkpoint is saved, continue with: rnn train --resume " + org.bptt.cli.ShellWord.of(run.folder()));
            return signals.exitCode();
        }
        if (board != null) {
            DashboardCommand.holdOpen(board, out);
        }
        if (s.outcome() == Outcome.DIVERGED) {
            // A failed run: one sentence on standard error, like every failure, saying what was kept.
            spec.commandLine().getErr().println(Main.oneLine("rnn train: the run diverged (" + s.message().split(";", 2)[0]
                    + "); the last good state (iteration " + s.iterations() + ") is saved in "
                    + run.folder().resolve(TrainingRun.CHECKPOINT) + "; try --non-finite skip, a lower --lr or --policy clip-norm"));
            return Main.EXIT_FAILED;
        }
        return 0;
    }

    private Path outputFolder(RunConfig cfg) {
        if (output == null) {
            return Path.of("runs", cfg.task().name() + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        return folder(output, "-o");
    }

    private static Path folder(String name, String flag) {
        if (name.isBlank()) {
            throw new ConfigurationException("the folder of " + flag + " is empty; give a folder name");
        }
        try {
            return Path.of(name);
        } catch (InvalidPathException e) {
            throw new ConfigurationException("the folder of " + flag + ", " + PluginOptions.shown(name) + ", is not a valid path");
        }
    }

    /** The options given on the command line, other than {@code allowed}. */
    private List<String> givenExcept(String... allowed) {
        List<String> given = new ArrayList<>();
        ParseResult pr = spec.commandLine().getParseResult();
        for (var o : pr.matchedOptions()) {
            if (!List.of(allowed).contains(o.longestName()) && !List.of(allowed).contains(o.shortestName())) {
                given.add(o.longestName());
            }
        }
        return given;
    }

    /** The base configuration with every option given on the command line applied. */
    RunConfig merge(RunConfig b, Plugins plugins) {
        ParseResult pr = spec.commandLine().getParseResult();
        String taskName = task != null ? task : text != null ? "text" : null;
        RunConfig.Builder c = b.toBuilder();
        c.task(family(plugins, PluginFamily.TASK, b.task(), taskName, "--task-opt", taskOptions, pr));
        c.cell(family(plugins, PluginFamily.CELL, b.cell(), cell, "--cell-opt", cellOptions, pr));
        PluginChoice baseLoss = b.loss();
        if (baseLoss != null || loss != null || lossOptions != null) {
            if (baseLoss == null && loss == null) {
                throw new ConfigurationException("--loss-opt needs --loss: the task's own loss is chosen when no loss is named");
            }
            c.loss(family(plugins, PluginFamily.LOSS, baseLoss == null ? PluginChoice.of(loss) : baseLoss, loss, "--loss-opt",
                    lossOptions, pr));
        }
        c.optimizer(family(plugins, PluginFamily.OPTIMIZER, b.optimizer(), optimizer, "--opt", optimizerOptions, pr));
        c.policy(family(plugins, PluginFamily.POLICY, b.policy(), policy, "--policy-opt", policyOptions, pr));
        c.truncation(family(plugins, PluginFamily.TRUNCATION, b.truncation(), truncation, "--truncation-opt", truncationOptions, pr));
        c.initializer(family(plugins, PluginFamily.INITIALIZER, b.initializer(), init, "--init-opt", initOptions, pr));
        if (hidden != null) {
            c.hidden(hidden);
        }
        if (batch != null) {
            c.batch(batch);
        }
        if (iterations != null) {
            c.iterations(iterations);
        }
        if (seed != null) {
            c.seed(seed);
        }
        if (threads != null) {
            c.threads(threads);
        }
        if (backend != null) {
            c.backend(backend);
        }
        if (lossMean != null) {
            c.lossMean(switch (lossMean) {
                case "sequence" -> LossMean.SEQUENCE;
                case "step" -> LossMean.STEP;
                default -> throw new ConfigurationException("--loss-mean must be sequence or step, got " + PluginOptions.shown(lossMean));
            });
        }
        if (nonFinite != null) {
            c.nonFinite(switch (nonFinite) {
                case "stop" -> NonFinitePolicy.STOP;
                case "skip" -> NonFinitePolicy.SKIP;
                default -> throw new ConfigurationException("--non-finite must be stop or skip, got " + PluginOptions.shown(nonFinite));
            });
        }
        if (update != null) {
            c.updatePerWindow(switch (update) {
                case "per-window" -> true;
                case "per-sequence" -> false;
                default -> throw new ConfigurationException("--update must be per-window or per-sequence, got " + PluginOptions.shown(update));
            });
        }
        if (stateful != null) {
            c.stateful(stateful);
        }
        if (checkpointEvery != null) {
            c.checkpointEvery(checkpointEvery);
        }
        if (diagnosticsEvery != null) {
            c.diagnosticsEvery(diagnosticsEvery);
        }
        return c.build();
    }

    /**
     * The choice of one family: the base's, or the plugin named on the command line (with its own
     * defaults: the base's options belonged to another plugin), then its --X-opt options and the
     * short flags of this family, each key given once.
     */
    private PluginChoice family(Plugins plugins, PluginFamily family, PluginChoice base, String name, String optFlag,
                                List<String> keyValues, ParseResult pr) {
        PluginChoice choice = name == null || name.equals(base.name()) ? base : PluginChoice.of(name);
        var factory = plugins.registry(family).get(choice.name());
        Map<String, String> given = new LinkedHashMap<>();
        Map<String, String> from = new LinkedHashMap<>();
        for (String kv : keyValues == null ? List.<String>of() : keyValues) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new ConfigurationException(optFlag + " takes KEY=VALUE, got " + PluginOptions.shown(kv));
            }
            String key = kv.substring(0, eq).strip();
            if (from.containsKey(key)) {
                throw new ConfigurationException(optFlag + " sets '" + key + "' twice; give each option once");
            }
            given.put(key, kv.substring(eq + 1));
            from.put(key, optFlag + " " + key + "=");
        }
        for (Shorthand s : SHORTHANDS) {
            if (s.family() != family || !pr.hasMatchedOption(s.flag())) {
                continue;
            }
            String value = pr.matchedOption(s.flag()).getValue();
            String key = s.names().stream().filter(n -> declares(factory.parameters(), n)).findFirst().orElseThrow(() ->
                    new ConfigurationException(s.flag() + " sets the option '" + s.names().get(0) + "' of the " + family.singular()
                            + ", but '" + factory.name() + "' has no such option; its options: " + names(factory.parameters())
                            + (factory.parameters().isEmpty() ? "" : " (use " + optFlag + " KEY=VALUE)")));
            if (from.containsKey(key)) {
                throw new ConfigurationException(s.flag() + " and " + from.get(key) + " both set '" + key + "'; give it once");
            }
            given.put(key, value);
            from.put(key, s.flag());
        }
        PluginChoice result = choice.withAll(given);
        plugins.check(family, result);
        return result;
    }

    private static boolean declares(List<PluginParameter> params, String name) {
        return params.stream().anyMatch(p -> p.name().equals(name));
    }

    private static String names(List<PluginParameter> params) {
        return params.isEmpty() ? "none" : String.join(", ", params.stream().map(PluginParameter::name).toList());
    }
}
