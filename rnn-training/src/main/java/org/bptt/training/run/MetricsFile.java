package org.bptt.training.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.run.IterationMetrics;

/** Per-iteration metrics as CSV ({@code metrics.csv}) or JSON lines ({@code metrics.jsonl}). */
public final class MetricsFile {
    public static final List<String> FORMATS = List.of("csv", "jsonl");
    private static final String[] COLUMNS = {"iteration", "loss", "accuracy", "grad_norm_before", "grad_norm_after",
            "clipped", "skipped", "spectral_radius", "spectral_norm"};

    private MetricsFile() {}

    public static String check(String format) {
        if (!FORMATS.contains(format)) {
            throw new ConfigurationException("the metrics format must be csv or jsonl, got '" + format + "'");
        }
        return format;
    }

    public static void write(Path dir, String format, List<IterationMetrics> metrics) throws IOException {
        StringBuilder s = new StringBuilder(metrics.size() * 96);
        if (format.equals("csv")) {
            s.append(String.join(",", COLUMNS)).append('\n');
            for (IterationMetrics m : metrics) {
                s.append(m.iteration()).append(',').append(n(m.loss())).append(',').append(n(m.accuracy())).append(',')
                        .append(n(m.gradNormBefore())).append(',').append(n(m.gradNormAfter())).append(',')
                        .append(m.clipped()).append(',').append(m.skipped()).append(',').append(n(m.spectralRadius()))
                        .append(',').append(n(m.spectralNorm())).append('\n');
            }
        } else {
            for (IterationMetrics m : metrics) {
                s.append(String.format(Locale.ROOT,
                        "{\"iteration\":%d,\"loss\":%s,\"accuracy\":%s,\"grad_norm_before\":%s,\"grad_norm_after\":%s,"
                                + "\"clipped\":%b,\"skipped\":%b,\"spectral_radius\":%s,\"spectral_norm\":%s}%n",
                        m.iteration(), j(m.loss()), j(m.accuracy()), j(m.gradNormBefore()), j(m.gradNormAfter()),
                        m.clipped(), m.skipped(), j(m.spectralRadius()), j(m.spectralNorm())));
            }
        }
        AtomicFiles.writeString(dir.resolve("metrics." + format), s.toString());
    }

    private static String n(double d) {
        return Double.isNaN(d) ? "" : Double.toString(d);
    }

    private static String j(double d) {
        return Double.isFinite(d) ? Double.toString(d) : "null";
    }
}
