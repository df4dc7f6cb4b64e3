package org.bptt.dashboard;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.run.TrainingRun;

/**
 * The dashboard's first page over a folder of many runs, timed in a fresh JVM as a user opens it:
 * the folder filled with {@link SampleRuns}, then the page, its script, style and chart library,
 * and the run list fetched once the server listens.
 */
public final class FirstPageBenchmark {
    /** The address the server prints once it listens ("… at http://host:port/ …"). */
    private static final Pattern LISTENING = Pattern.compile(" at (http://\\S+/) ");

    private static final List<String> FIRST_PAGE =
            List.of("", "app.js", "app.css", "layers.js", "lib/echarts.min.js", "api/runs");

    /** The real runs copied from sit in this hidden folder, which the dashboard does not list. */
    private static final String REAL_RUNS = ".real";

    private FirstPageBenchmark() {}

    /**
     * One fresh JVM's timing.
     *
     * @param listeningSeconds from the JVM's start until it listens
     * @param firstPageSeconds the first page's files, one after the other
     * @param cpuSeconds       the server's CPU time meanwhile (what the page cost apart from how busy the machine is)
     * @param each             each file's path and seconds, as " /PATH S s" in order
     */
    public record Timing(double listeningSeconds, double firstPageSeconds, double cpuSeconds, String each) {}

    /** The runs under {@code dir} the dashboard lists (the hidden real runs left out); 0 when it is no folder. */
    public static long countRuns(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir, 6)) {
            return s.filter(p -> p.getFileName().toString().equals(TrainingRun.CONFIG))
                    .filter(p -> !dir.relativize(p).toString().startsWith("."))
                    .count();
        }
    }

    /** Trains the sample runs in a hidden folder under {@code dir} and copies them into {@code runs} run folders. */
    public static void fill(Path dir, int runs, Plugins plugins) throws IOException {
        SampleRuns.copy(SampleRuns.train(dir.resolve(REAL_RUNS), plugins), dir, runs);
    }

    /**
     * Starts {@code server} (a command that serves the dashboard and prints its address), times its
     * first page, then stops it.
     */
    public static Timing timeOnce(List<String> server) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process p = new ProcessBuilder(server)
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
            double cpuBefore = cpuSeconds(p);
            long pageStart = System.nanoTime();
            StringBuilder each = new StringBuilder();
            for (String path : FIRST_PAGE) {
                long t = System.nanoTime();
                get(base.resolve(path));
                each.append(String.format(Locale.ROOT, " /%s %.2f s", path, (System.nanoTime() - t) / 1e9));
            }
            double wall = (System.nanoTime() - pageStart) / 1e9;
            return new Timing(listening, wall, cpuSeconds(p) - cpuBefore, each.toString());
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
            in.transferTo(OutputStream.nullOutputStream());
        }
        if (h.getResponseCode() != 200) {
            throw new IOException(uri + " answered " + h.getResponseCode());
        }
    }

    /** The median of {@code x} (the mean of the middle two when their number is even). */
    public static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
