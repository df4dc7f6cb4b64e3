package org.bptt.cli.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.cli.PluginPathOption;
import org.bptt.dashboard.SampleRuns;
import org.bptt.simd.SimdTuning;
import org.bptt.training.run.TrainingRun;
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
    private static final Pattern LISTENING = Pattern.compile(" at (http://\\S+/) ");
    private static final List<String> FIRST_PAGE =
            List.of("", "app.js", "app.css", "layers.js", "lib/echarts.min.js", "api/runs");

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
        long present = countRuns(dir);
        if (present == 0) {
            err.println("bench: training three small runs and copying them into " + runs + " run folders under " + dir);
            err.flush();
            // The real runs sit in a hidden folder: the dashboard lists only their copies.
            SampleRuns.copy(SampleRuns.train(dir.resolve(".real"), pluginPath.plugins()), dir, runs);
            present = runs;
        }
        double load = MachineFacts.loadAverage();
        double[] firstPage = new double[repeat];
        double[] startup = new double[repeat];
        double[] cpu = new double[repeat];
        PrintWriter out = spec.commandLine().getOut();
        for (int r = 0; r < repeat; r++) {
            double[] t = timeOnce(dir);
            startup[r] = t[0];
            firstPage[r] = t[1];
            cpu[r] = t[2];
            out.printf(
                    Locale.ROOT,
                    "repeat %d: JVM start to listening %.2f s; first page (page, scripts, run list) %.2f s, "
                            + "%.2f s of the server's CPU%n",
                    r + 1,
                    t[0],
                    t[1],
                    t[2]);
            out.flush();
        }
        out.printf(
                Locale.ROOT,
                "dashboard of %d runs: first page %.2f s, %.2f s of CPU (medians of %d fresh JVMs; listening "
                        + "after %.2f s) on %s (%d cores), load average %.2f before, %.2f after%n",
                present,
                median(firstPage),
                median(cpu),
                repeat,
                median(startup),
                SimdTuning.cpuModel(),
                Runtime.getRuntime().availableProcessors(),
                load,
                MachineFacts.loadAverage());
        return 0;
    }

    private static long countRuns(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir, 6)) {
            // The real runs copied from sit in a hidden folder, which the dashboard does not list.
            return s.filter(p -> p.getFileName().toString().equals(TrainingRun.CONFIG))
                    .filter(p -> !dir.relativize(p).toString().startsWith("."))
                    .count();
        }
    }

    /** {seconds from the JVM's start until it listens, seconds of the first page, CPU seconds of the server meanwhile}. */
    private double[] timeOnce(Path dir) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>();
        c.add(ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        c.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        c.add("-cp");
        c.add(System.getProperty("java.class.path"));
        c.add("org.bptt.cli.Main");
        c.add("dashboard");
        c.add(dir.toString());
        c.add("--port");
        c.add("0");
        long start = System.nanoTime();
        Process p = new ProcessBuilder(c)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            BufferedReader lines =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            URI base = null;
            String line;
            while (base == null && (line = lines.readLine()) != null) {
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    base = URI.create(m.group(1));
                }
            }
            if (base == null) {
                throw new ConfigurationException("the dashboard did not start (exit code " + p.waitFor() + ")");
            }
            double listening = (System.nanoTime() - start) / 1e9;
            // The server's CPU time says what the page cost apart from how busy the machine is.
            double cpuBefore = cpuSeconds(p);
            long pageStart = System.nanoTime();
            StringBuilder each = new StringBuilder();
            for (String path : FIRST_PAGE) {
                long t = System.nanoTime();
                get(base.resolve(path));
                each.append(String.format(Locale.ROOT, " /%s %.2f s", path, (System.nanoTime() - t) / 1e9));
            }
            spec.commandLine().getErr().println("bench:" + each);
            spec.commandLine().getErr().flush();
            double wall = (System.nanoTime() - pageStart) / 1e9;
            return new double[] {listening, wall, cpuSeconds(p) - cpuBefore};
        } finally {
            p.destroy();
            p.waitFor();
        }
    }

    private static double cpuSeconds(Process p) {
        return p.toHandle()
                .info()
                .totalCpuDuration()
                .map(d -> d.toNanos() / 1e9)
                .orElse(Double.NaN);
    }

    private static void get(URI uri) throws IOException {
        HttpURLConnection h = (HttpURLConnection) uri.toURL().openConnection();
        try (InputStream in = h.getInputStream()) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        if (h.getResponseCode() != 200) {
            throw new IOException(uri + " answered " + h.getResponseCode());
        }
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
