package org.bptt.cli.study;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.bptt.cli.Main;
import org.bptt.cli.PluginPathOption;
import org.bptt.study.experiment.Experiment;
import org.bptt.study.experiment.ExperimentResult;
import org.bptt.study.experiment.Experiments;
import org.bptt.study.experiment.Scale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rnn experiment NAME}: a curated study that states a claim, runs it and gives a verdict. */
@Command(
        name = "experiment",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Test a published claim: run a built-in experiment and print a verdict, a table and a chart.",
            "It also writes experiment.html and experiment.json. The experiments:",
            "  spectrum  gradients go as λ₀^(T−k) (the lecture)",
            "  irnn      ReLU, W = I learns adding at T = 150 (Le et al. 2015)",
            "  pascanu   clipping helps SGD on temporal order (Pascanu et al. 2013)",
            "  truncation  TBPTT learns a lag only when k2 covers it (Williams & Peng 1990)",
            "The default scale takes at most about ten minutes on two cores; --scale paper uses the papers' budgets "
                    + "(hours to weeks). Training experiments are resumable: the same command continues in the same folder."
        })
public final class ExperimentCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PluginPathOption pluginPath;

    @Parameters(paramLabel = "NAME", description = "spectrum, irnn, pascanu or truncation.")
    String name;

    @Option(
            names = "--scale",
            paramLabel = "SCALE",
            defaultValue = "default",
            description = "default or paper (default: ${DEFAULT-VALUE}).")
    String scale;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "DIR",
            description =
                    "Where runs and pages go (default: " + "runs/experiment-NAME, or runs/experiment-NAME-paper).")
    Path output;

    @Option(names = "--parallel", paramLabel = "N", description = "Runs at once (default: the number of cores).")
    Integer parallel;

    @Option(names = "--json", description = "Print one JSON object (claim, verdict, rows) instead of text.")
    boolean json;

    @Option(
            names = {"-q", "--quiet"},
            description = "No progress.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Experiment e = Experiments.named(name);
        Scale s = Scale.parse(scale);
        Path folder = output != null
                ? output
                : Path.of("runs", "experiment-" + e.name() + (s == Scale.PAPER ? "-paper" : ""));
        int par = parallel == null ? Runtime.getRuntime().availableProcessors() : parallel;
        if (!json) {
            out.println("experiment " + e.name() + " (" + s.id() + " scale) -> " + folder);
            out.println("claim: " + e.claim());
            out.println("setup: " + e.setup(s));
            out.flush();
        }
        SweepProgress progress = new SweepProgress(System.err, quiet);
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    progress.stop();
                    try {
                        finished.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException x) {
                        Thread.currentThread().interrupt();
                    }
                },
                "experiment-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        ExperimentResult r;
        try {
            r = e.run(s, folder, pluginPath.plugins(), par, progress);
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException x) {
                // Shutting down already: the hook is running.
            }
        }
        if (r == null) {
            out.println("stopped: the runs are saved at their checkpoints; the same command continues them");
            return Main.EXIT_FAILED;
        }
        r.write(folder);
        if (json) {
            out.println(r.toJson());
            return 0;
        }
        out.println();
        out.print(r.table());
        out.println();
        out.print(r.textChart());
        out.println();
        out.println("verdict: " + r.finding().name() + ". " + r.verdict());
        out.printf(
                Locale.ROOT,
                "wall time %.0f s on %s; page: %s%n",
                r.seconds(),
                r.machine(),
                folder.resolve(ExperimentResult.HTML));
        return 0;
    }
}
