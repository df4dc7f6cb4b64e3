package org.bptt.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.cli.Main;
import org.bptt.cli.PluginPathOption;
import org.bptt.dashboard.FirstPageBenchmark;
import org.bptt.simd.SimdTuning;
import org.bptt.training.bench.ChildJvm;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rnn bench dashboard}: the dashboard's first page over thousands of run folders, in a fresh JVM. */
@Command(
        name = "dashboard",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Time the dashboard's first page over thousands of runs, as a user opens it.",
            "Fills the folder (when it holds no runs) with copies of three small real runs (three learning rates, each "
                    + "copy another seed, its losses scaled), then for each repeat starts `rnn dashboard` in a fresh JVM "
                    + "started like this one and times, once it listens, the first page: the page, its script, style and "
                    + "chart library, and the run list. The files were just written or read, so the OS's cache is warm; "
                    + "the JVM is cold. Prints each repeat, the median, the CPU and the load average.",
            "Example: rnn bench dashboard --runs 2000 --repeat 5",
            "Exit code 0 on success, 2 on a bad flag."
        })
public final class DashboardBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PluginPathOption pluginPath;

    @Option(
            names = "--runs",
            paramLabel = "N",
            defaultValue = "2000",
            description = "Run folders to make when the folder has none (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(
            names = "--folder",
            paramLabel = "DIR",
            description = "The folder of runs; made and filled when it holds none (default: a new temporary folder).")
    Path folder;

    @Option(
            names = "--repeat",
            paramLabel = "N",
            defaultValue = "3",
            description = "Fresh JVMs to time, one first page each (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (runs < 1 || repeat < 1) {
            throw new ConfigurationException("--runs and --repeat must be at least 1, got " + runs + " and " + repeat);
        }
        PrintWriter err = spec.commandLine().getErr();
        Path dir = folder != null ? folder : Files.createTempDirectory("rnn-bench-dashboard-");
        long present = FirstPageBenchmark.countRuns(dir);
        if (present == 0) {
            err.println("bench: training three small runs and copying them into " + runs + " run folders under " + dir);
            err.flush();
            FirstPageBenchmark.fill(dir, runs, pluginPath.plugins());
            present = runs;
        }
        double load = MachineFacts.loadAverage();
        double[] firstPage = new double[repeat];
        double[] startup = new double[repeat];
        double[] cpu = new double[repeat];
        PrintWriter out = spec.commandLine().getOut();
        List<String> server =
                ChildJvm.command(Main.class.getName(), List.of("dashboard", dir.toString(), "--port", "0"));
        for (int r = 0; r < repeat; r++) {
            FirstPageBenchmark.Timing t = FirstPageBenchmark.timeOnce(server);
            err.println("bench:" + t.each());
            err.flush();
            startup[r] = t.listeningSeconds();
            firstPage[r] = t.firstPageSeconds();
            cpu[r] = t.cpuSeconds();
            out.printf(
                    Locale.ROOT,
                    "repeat %d: JVM start to listening %.2f s; first page (page, scripts, run list) %.2f s, "
                            + "%.2f s of the server's CPU%n",
                    r + 1,
                    startup[r],
                    firstPage[r],
                    cpu[r]);
            out.flush();
        }
        out.printf(
                Locale.ROOT,
                "dashboard of %d runs: first page %.2f s, %.2f s of CPU (medians of %d fresh JVMs; listening "
                        + "after %.2f s) on %s (%d cores), load average %.2f before, %.2f after%n",
                present,
                FirstPageBenchmark.median(firstPage),
                FirstPageBenchmark.median(cpu),
                repeat,
                FirstPageBenchmark.median(startup),
                SimdTuning.cpuModel(),
                Runtime.getRuntime().availableProcessors(),
                load,
                MachineFacts.loadAverage());
        return 0;
    }
}
