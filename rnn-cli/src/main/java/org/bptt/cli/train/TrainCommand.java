package org.bptt.cli.train;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.wiring.PluginChoice;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rnn train}: trains on a generated task and writes checkpoints, metrics and a report. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a recurrent network on a task generated from the seed (no downloads).",
                "With no options: the adding problem (T=40), vanilla tanh RNN, H=64, Adam, clip-norm 1.0.",
                "Writes config.json, checkpoint.bin, metrics, diagnostics.json and report.html to the output folder."})
public final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Repeat a saved run: its config.json (other options override it).")
    Path configFile;

    @Option(names = "--resume", paramLabel = "RUN", description = "Continue the run in this folder from its checkpoint.")
    Path resume;

    @Option(names = "--task", description = "adding, multiplication, temporal-order, copy, sine or text (see 'rnn plugins').")
    String task;

    @Option(names = "--task-opt", paramLabel = "KEY=VALUE", description = "A task option, e.g. --task-opt delay=20.")
    Map<String, String> taskOptions;

    @Option(names = "--steps", description = "Sequence length T (the task's 'steps' option).")
    Integer steps;

    @Option(names = "--text", paramLabel = "FILE", description = "UTF-8 text for the character language model (implies --task text).")
    String text;

    @Option(names = "--cell", description = "Cell plugin (default vanilla).")
    String cell;

    @Option(names = "--activation", description = "tanh or relu.")
    String activation;

    @Option(names = "--hidden", description = "Hidden size H (default 64).")
    Integer hidden;

    @Option(names = "--loss", description = "ce or mse (default: the task's).")
    String loss;

    @Option(names = "--loss-mean", description = "sequence (sum over steps, mean over batch) or step (mean over batch and steps).")
    String lossMean;

    @Option(names = "--optimizer", description = "sgd, adam, rmsprop or adagrad (default adam).")
    String optimizer;

    @Option(names = "--lr", description = "Learning rate.")
    Double lr;

    @Option(names = "--momentum", description = "SGD momentum.")
    Double momentum;

    @Option(names = "--opt", paramLabel = "KEY=VALUE", description = "Another optimizer option, e.g. --opt beta2=0.99.")
    Map<String, String> optimizerOptions;

    @Option(names = "--policy", description = "Gradient policy: none, clip-norm or clip-value (default clip-norm).")
    String policy;

    @Option(names = "--threshold", description = "clip-norm threshold, or clip-value bound.")
    Double threshold;

    @Option(names = "--truncation", description = "full or tbptt (default full).")
    String truncation;

    @Option(names = "--k1", description = "TBPTT: steps between backward passes.")
    Integer k1;

    @Option(names = "--k2", description = "TBPTT: steps each backward pass goes back (>= k1).")
    Integer k2;

    @Option(names = "--update", description = "per-window (online TBPTT) or per-sequence.")
    String update;

    @Option(names = "--init", description = "xavier, orthogonal, identity, spectral or uniform (default orthogonal).")
    String init;

    @Option(names = "--radius", description = "spectral initializer: the spectral radius rho of W.")
    Double radius;

    @Option(names = "--gain", description = "xavier/orthogonal/identity initializer gain.")
    Double gain;

    @Option(names = "--batch", description = "Sequences per iteration (default 32).")
    Integer batch;

    @Option(names = "--iterations", description = "Iterations (default 8000).")
    Long iterations;

    @Option(names = "--seed", description = "Seed of initialization and data (default 1).")
    Long seed;

    @Option(names = "--threads", description = "Kernel threads (default 1).")
    Integer threads;

    @Option(names = "--backend", description = "auto, scalar or simd (default auto).")
    String backend;

    @Option(names = "--non-finite", description = "stop or skip when the loss or a gradient is NaN or infinite (default stop).")
    String nonFinite;

    @Option(names = "--checkpoint-every", description = "Iterations between checkpoints (default 1000; 0: only at the end).")
    Long checkpointEvery;

    @Option(names = "--diagnostics-every", description = "Iterations between spectrum and gradient-flow measurements (default 20).")
    Long diagnosticsEvery;

    @Option(names = "--metrics", defaultValue = "csv", description = "csv or jsonl (default ${DEFAULT-VALUE}).")
    String metricsFormat;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Output folder (default runs/<task>-<time>).")
    Path output;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar; print only the summary.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        MetricsFile.check(metricsFormat);
        Progress progress = quiet ? Progress.quiet() : Progress.console(System.err);
        TrainingRun run;
        if (resume != null) {
            if (configFile != null || output != null) {
                throw new ConfigurationException("--resume continues a run in its own folder with its own configuration; "
                        + "it cannot be combined with --config or --output");
            }
            run = TrainingRun.resume(resume, iterations == null ? 0 : iterations, metricsFormat, progress, out);
        } else {
            RunConfig base = configFile != null ? Json.read(configFile) : RunConfig.defaults();
            RunConfig cfg = merge(base);
            Path dir = output != null ? output : Path.of("runs", cfg.task().name() + "-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            run = TrainingRun.create(cfg, dir, metricsFormat, progress, out);
        }
        if (!quiet) {
            out.println("training " + run.task().describe() + " with " + run.trainer().model().cell().describe()
                    + ", H=" + run.trainer().model().hiddenSize() + ", " + run.trainer().optimizer().describe() + ", "
                    + run.trainer().policy().describe() + ", " + run.trainer().truncation().describe() + " on "
                    + run.trainer().kernels().name() + " kernels -> " + run.folder());
            out.flush();
        }
        TrainingRun.Summary s = run.run();
        out.println(s.text());
        out.println("results: " + run.folder() + " (report.html, metrics." + metricsFormat + ", checkpoint.bin)");
        return 0;
    }

    /** The base configuration with every option given on the command line applied. */
    RunConfig merge(RunConfig b) {
        PluginChoice taskChoice = b.task();
        if (text != null && task == null) {
            task = "text";
        }
        if (task != null && !task.equals(taskChoice.name())) {
            taskChoice = PluginChoice.of(task);
        }
        taskChoice = with(taskChoice, "steps", steps);
        taskChoice = with(taskChoice, "text", text);
        taskChoice = withAll(taskChoice, taskOptions);

        PluginChoice cellChoice = cell != null && !cell.equals(b.cell().name()) ? PluginChoice.of(cell) : b.cell();
        cellChoice = with(cellChoice, "activation", activation);

        PluginChoice opt = optimizer != null && !optimizer.equals(b.optimizer().name()) ? PluginChoice.of(optimizer) : b.optimizer();
        opt = with(opt, "lr", lr);
        opt = with(opt, "momentum", momentum);
        opt = withAll(opt, optimizerOptions);

        PluginChoice pol = policy != null && !policy.equals(b.policy().name()) ? PluginChoice.of(policy) : b.policy();
        if (threshold != null) {
            pol = with(pol, pol.name().equals("clip-value") ? "value" : "threshold", threshold);
        }

        PluginChoice trunc = truncation != null && !truncation.equals(b.truncation().name()) ? PluginChoice.of(truncation)
                : b.truncation();
        trunc = with(trunc, "k1", k1);
        trunc = with(trunc, "k2", k2);

        PluginChoice ini = init != null && !init.equals(b.initializer().name()) ? PluginChoice.of(init) : b.initializer();
        ini = with(ini, "radius", radius);
        ini = with(ini, "gain", gain);

        boolean perWindow = b.updatePerWindow();
        if (update != null) {
            perWindow = switch (update) {
                case "per-window" -> true;
                case "per-sequence" -> false;
                default -> throw new ConfigurationException("--update must be per-window or per-sequence, got '" + update + "'");
            };
        }
        return new RunConfig(taskChoice, or(hidden, b.hidden()), cellChoice, loss != null ? loss : b.loss(), opt, pol, trunc,
                ini, or(batch, b.batch()), or(iterations, b.iterations()), or(seed, b.seed()), or(threads, b.threads()),
                backend != null ? backend : b.backend(), lossMean != null ? lossMean : b.lossMean(), perWindow,
                nonFinite != null ? nonFinite : b.nonFinite(), or(checkpointEvery, b.checkpointEvery()),
                or(diagnosticsEvery, b.diagnosticsEvery())).validate();
    }

    private static <T> T or(T v, T fallback) {
        return v != null ? v : fallback;
    }

    private static PluginChoice with(PluginChoice c, String key, Object value) {
        if (value == null) {
            return c;
        }
        Map<String, String> m = new LinkedHashMap<>(c.options());
        m.put(key, value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue())
                : String.valueOf(value));
        return new PluginChoice(c.name(), m);
    }

    private static PluginChoice withAll(PluginChoice c, Map<String, String> extra) {
        if (extra == null || extra.isEmpty()) {
            return c;
        }
        Map<String, String> m = new LinkedHashMap<>(c.options());
        m.putAll(extra);
        return new PluginChoice(c.name(), m);
    }
}
