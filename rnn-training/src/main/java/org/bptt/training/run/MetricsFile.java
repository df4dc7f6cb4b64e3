package org.bptt.training.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bptt.api.internal.io.AtomicFile;
import org.bptt.api.internal.io.PlainFiles;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.IterationMetrics;
import org.bptt.training.config.Json;

/**
 * Per-iteration metrics as CSV ({@code metrics.csv}) or JSON lines ({@code metrics.jsonl}).
 * A run appends the rows of each checkpoint interval and syncs them before it writes the
 * checkpoint, which records the file's length; a resumed run cuts the file back to that
 * length, so rows written after the last checkpoint by a run that was killed are dropped and
 * the file never misses or repeats a row.
 */
public final class MetricsFile {
    public static final List<String> FORMATS = List.of("csv", "jsonl");
    private static final String[] COLUMNS = {
        "iteration",
        "loss",
        "accuracy",
        "grad_norm_before",
        "grad_norm_after",
        "clipped",
        "skipped",
        "spectral_radius",
        "spectral_norm"
    };

    private MetricsFile() {}

    public static String check(String format) {
        if (!FORMATS.contains(format)) {
            throw new ConfigurationException("the metrics format must be csv or jsonl, got "
                    + org.bptt.api.plugin.PluginOptions.shown(String.valueOf(format)));
        }
        return format;
    }

    /** {@code metrics.csv} or {@code metrics.jsonl}. */
    public static String fileName(String format) {
        return "metrics." + format;
    }

    /** Rewrites the whole file atomically. */
    public static void write(Path dir, String format, List<IterationMetrics> metrics) throws IOException {
        StringBuilder s = new StringBuilder(metrics.size() * 96 + 128);
        s.append(header(format));
        for (IterationMetrics m : metrics) {
            row(s, format, m);
        }
        AtomicFile.writeString(dir.resolve(fileName(format)), s.toString());
    }

    /** Appends rows (and the header to an empty file), syncs them, and returns the file's length. */
    static long append(Path file, String format, List<IterationMetrics> rows) throws IOException {
        String other = PlainFiles.notPlain(file);
        if (other != null) {
            throw new FileSystemException(
                    file.toString(), null, "it is " + other + ", which a run never writes through");
        }
        try (FileChannel ch = FileChannel.open(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.APPEND,
                LinkOption.NOFOLLOW_LINKS)) {
            StringBuilder s = new StringBuilder(rows.size() * 96 + 128);
            if (ch.size() == 0) {
                s.append(header(format));
            }
            for (IterationMetrics m : rows) {
                row(s, format, m);
            }
            ByteBuffer b = ByteBuffer.wrap(s.toString().getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(false);
            return ch.size();
        }
    }

    /**
     * Cuts the file back to {@code bytes}, which must end the row of iteration {@code iterations - 1}
     * (or the header, for none); false (and the file untouched) when the file is missing, shorter,
     * or does not have that row there.
     */
    static boolean cutTo(Path file, String format, long bytes, long iterations) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || bytes < 0) {
            return false;
        }
        try (FileChannel ch =
                FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            long size = ch.size();
            if (size < bytes) {
                return false;
            }
            if (!lastRowIs(ch, format, bytes, iterations - 1)) {
                return false;
            }
            if (size > bytes) {
                ch.truncate(bytes);
                ch.force(false);
            }
            return true;
        }
    }

    /** Whether the text before {@code end} ends with a complete row of iteration {@code iteration} (or is just the header when it is -1). */
    private static boolean lastRowIs(FileChannel ch, String format, long end, long iteration) throws IOException {
        String header = header(format);
        if (iteration < 0) {
            return end == header.length();
        }
        int n = (int) Math.min(end, 4096);
        ByteBuffer b = ByteBuffer.allocate(n);
        long pos = end - n;
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) {
                return false;
            }
        }
        String tail = new String(b.array(), StandardCharsets.UTF_8);
        if (!tail.endsWith("\n")) {
            return false;
        }
        int start = tail.lastIndexOf('\n', tail.length() - 2) + 1;
        String line = tail.substring(start, tail.length() - 1);
        String prefix = format.equals("csv") ? iteration + "," : "{\"iteration\":" + iteration + ",";
        return line.startsWith(prefix);
    }

    private static String header(String format) {
        return format.equals("csv") ? String.join(",", COLUMNS) + "\n" : "";
    }

    private static void row(StringBuilder s, String format, IterationMetrics m) {
        if (format.equals("csv")) {
            s.append(m.iteration())
                    .append(',')
                    .append(n(m.loss()))
                    .append(',')
                    .append(n(m.accuracy()))
                    .append(',')
                    .append(n(m.gradNormBefore()))
                    .append(',')
                    .append(n(m.gradNormAfter()))
                    .append(',')
                    .append(m.clipped())
                    .append(',')
                    .append(m.skipped())
                    .append(',')
                    .append(n(m.spectralRadius()))
                    .append(',')
                    .append(n(m.spectralNorm()))
                    .append('\n');
        } else {
            s.append(String.format(
                            Locale.ROOT,
                            "{\"iteration\":%d,\"loss\":%s,\"accuracy\":%s,\"grad_norm_before\":%s,\"grad_norm_after\":%s,"
                                    + "\"clipped\":%b,\"skipped\":%b,\"spectral_radius\":%s,\"spectral_norm\":%s}",
                            m.iteration(),
                            j(m.loss()),
                            j(m.accuracy()),
                            j(m.gradNormBefore()),
                            j(m.gradNormAfter()),
                            m.clipped(),
                            m.skipped(),
                            j(m.spectralRadius()),
                            j(m.spectralNorm())))
                    .append('\n');
        }
    }

    private static String n(double d) {
        return Double.isNaN(d) ? "" : Double.toString(d);
    }

    private static String j(double d) {
        return Double.isFinite(d) ? Double.toString(d) : "null";
    }

    /**
     * The last complete row (ending in a newline) of a metrics file, column to text; null when it
     * has none (a row being written, or only the header). Reads the header and the tail, not the file.
     */
    public static Map<String, String> lastRow(Path file) throws IOException {
        boolean csv = file.getFileName().toString().endsWith(".csv");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long length = f.length();
            String header = null;
            if (csv) {
                // One read for the header (RandomAccessFile.readLine reads a byte per call).
                byte[] head = new byte[(int) Math.min(length, 1024)];
                f.readFully(head);
                String h = new String(head, StandardCharsets.UTF_8);
                int newline = h.indexOf('\n');
                if (newline < 0) {
                    return null;
                }
                header = h.substring(0, newline);
            }
            int tail = (int) Math.min(length, 8192);
            byte[] b = new byte[tail];
            f.seek(length - tail);
            f.readFully(b);
            String s = new String(b, StandardCharsets.UTF_8);
            int end = s.lastIndexOf('\n');
            if (end < 0) {
                return null;
            }
            int start = s.lastIndexOf('\n', end - 1) + 1;
            if (start == 0 && tail < length) {
                return null; // one row longer than the tail read: no metrics row is
            }
            String line = s.substring(start, end).strip();
            if (line.isEmpty() || (csv && line.equals(header.strip()))) {
                return null;
            }
            Map<String, String> row = new LinkedHashMap<>();
            if (csv) {
                String[] names = header.split(",", -1);
                String[] values = line.split(",", -1);
                if (values.length != names.length) {
                    return null;
                }
                for (int i = 0; i < names.length; i++) {
                    row.put(names[i].strip(), values[i]);
                }
            } else {
                JsonNode n = Json.MAPPER.readTree(line);
                n.fields()
                        .forEachRemaining(e -> row.put(
                                e.getKey(),
                                e.getValue().isNull() ? "" : e.getValue().asText()));
            }
            return row.containsKey("iteration") ? row : null;
        }
    }
}
