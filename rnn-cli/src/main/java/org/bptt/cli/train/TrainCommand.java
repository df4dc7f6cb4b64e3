package org.bptt.cli.train;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.cli.PluginPathOption;
import org.bptt.training.Network;
import org.bptt.training.config.RunSettings;
import org.bptt.training.eval.EvaluationSettings;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.run.MetricsFile;
import org.bptt.training.run.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/** {@code rnn train}: trains on a task and writes checkpoints, metrics and a report; options of settings: {@link SettingOptions}. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        modelTransformer = SettingOptions.Transformer.class,
        description = {
            "Train a recurrent network on a task generated from the seed (no downloads).",
            "With no options: the adding problem, a vanilla tanh RNN with H=${sys:rnn.default.hidden}, Adam and "
                    + "clip-norm, each plugin with its own defaults (see 'rnn plugins').",
            "Writes config.json, checkpoint.bin, metrics, diagnostics.json and report.html to the output folder."
        },
        footer = {
            "",
            "Plugin options: --PLUGIN-opt KEY=VALUE sets any option a plugin declares; the short flags "
                    + "(--steps, --lr, --threshold, ...) set the option of that name of the plugin chosen.",
            "%nPlugins and their defaults:%n${sys:rnn.help.plugins}"
        })
public final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PluginPathOption pluginPath;

    @Option(
            names = "--resume",
            paramLabel = "RUN",
            description = "Continue the run in this folder from its checkpoint "
                    + "(with --iterations N to go further, --threads N to compute it with other threads, --plugins PATH "
                    + "for a run made with outside plugins).")
    String resume;

    @Option(names = "--metrics", description = "csv or jsonl (default: csv; a continued run keeps its own).")
    String metricsFormat;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "DIR",
            description = "Output folder (default: runs/<task>-<time>).")
    String output;

    @Option(
            names = {"-q", "--quiet"},
            description = "No progress; print only the summary.")
    boolean quiet;

    @Option(
            names = "--dashboard",
            description = "Serve a live dashboard of this run in the browser while it trains "
                    + "(http://127.0.0.1, port 7070 or a free one; see 'rnn dashboard').")
    boolean dashboard;

    /** What --resume takes besides itself: the rest is the run's own. */
    private static final List<String> RESUME_TAKES =
            List.of("--iterations", "--threads", "--metrics", "--quiet", "--plugins", "--dashboard");

    @Override
    public Integer call() throws IOException {
        ParseResult pr = spec.commandLine().getParseResult();
        MetricsFile.check(metricsFormat == null ? "csv" : metricsFormat);
        Integer threads = SettingOptions.given(pr, RunSettings.THREADS);
        if (threads != null && threads > Network.maxThreads()) {
            throw new ConfigurationException("--threads " + threads + " is more than this machine can use (it has "
                    + Runtime.getRuntime().availableProcessors() + " processors); give at most " + Network.maxThreads()
                    + ", results are the same for any number");
        }
        Plugins plugins = pluginPath.plugins();
        return ConsoleTraining.train(
                spec.commandLine().getOut(),
                spec.commandLine().getErr(),
                quiet,
                dashboard,
                resume != null,
                () -> resume != null ? resume(pr, plugins, threads) : create(pr, plugins));
    }

    /** The run of --resume, with the changes it allows. */
    private TrainingRun resume(ParseResult pr, Plugins plugins, Integer threads) {
        List<String> others = pr.matchedOptions().stream()
                .map(o -> o.longestName())
                .filter(n -> !n.equals("--resume") && !RESUME_TAKES.contains(n))
                .toList();
        if (!others.isEmpty()) {
            throw new ConfigurationException("--resume continues a run with its own configuration; it takes only "
                    + String.join(", ", RESUME_TAKES).replace(", --dashboard", " and --dashboard") + ", not "
                    + String.join(", ", others));
        }
        Long iterations = SettingOptions.given(pr, RunSettings.ITERATIONS);
        if (iterations != null && iterations < 1) {
            throw new ConfigurationException("--iterations must be at least 1, got " + iterations);
        }
        return EvaluationSettings.resumeRun(
                folder(resume, "--resume"),
                plugins,
                new TrainingRun.Resume(
                        metricsFormat, iterations == null ? 0 : iterations, threads == null ? 0 : threads));
    }

    /** A new run as the options configure it. */
    private TrainingRun create(ParseResult pr, Plugins plugins) {
        SettingOptions.Parsed p = SettingOptions.read(pr, plugins);
        Path dir = output != null
                ? folder(output, "-o")
                : TrainingRun.defaultFolder(p.config().task().name());
        return p.evaluation().newRun(p.config(), dir, plugins, metricsFormat == null ? "csv" : metricsFormat);
    }

    private static Path folder(String name, String flag) {
        if (name.isBlank()) {
            throw new ConfigurationException("the folder of " + flag + " is empty; give a folder name");
        }
        try {
            return Path.of(name);
        } catch (InvalidPathException e) {
            throw new ConfigurationException(
                    "the folder of " + flag + ", " + PluginOptions.shown(name) + ", is not a valid path");
        }
    }
}
