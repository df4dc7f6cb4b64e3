package org.bptt.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.bptt.data.SequenceData.TargetKind;

/**
 * Reads sequences from files, by their extension: NumPy {@code .npz} (arrays {@code x} float
 * [N, T, I]; {@code y} float [N, T, O], float [N, O], int [N] or int [N, T]; optional
 * {@code lengths} int [N]), {@code .npy} (inputs alone) and CSV in long form (columns
 * {@code sequence}, {@code step}, the features, then {@code y…} target values or a
 * {@code label}; a target given on each sequence's last row only is the sequence's target).
 * Every check names the file and what is wrong; a file whose arrays would not fit in the
 * Java heap is refused with the estimate before anything is allocated.
 */
public final class DataFiles {
    private DataFiles() {}

    /** What was read for prediction: inputs and lengths (all T when the file gives none). */
    public record Inputs(int sequences, int steps, int inputSize, float[] x, int[] lengths) {}

    /** Reads a training or evaluation file; {@code classes} is the number of classes, or 0 to infer it (largest id + 1). */
    public static SequenceData read(Path file, int classes) {
        String name = lower(file);
        try {
            if (name.endsWith(".npz")) {
                return readNpz(file, classes);
            }
            if (name.endsWith(".csv")) {
                return readCsv(file, classes);
            }
        } catch (NoSuchFileException e) {
            throw new DataFileException(file, "no such file");
        } catch (IOException e) {
            throw new DataFileException(file, "cannot be read (" + e.getMessage() + ")");
        }
        throw new DataFileException(
                file, "is neither .npz nor .csv; training data are NumPy .npz (x and y) or CSV in long form");
    }

    /** Reads inputs for prediction: a .npy of x [N, T, I], or the x (and lengths) of a .npz or CSV. */
    public static Inputs readInputs(Path file) {
        String name = lower(file);
        if (name.endsWith(".npy")) {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
                Npy.Header h = Npy.readHeader(in, file.toString());
                requireInputs(file, h, "the array");
                requireMemory(file, h.count() * Float.BYTES);
                if (h.count() > Integer.MAX_VALUE - 8) {
                    throw new DataFileException(
                            file,
                            "has a shape " + h.shapeText() + " of more than 2^31 values; split it into several files");
                }
                float[] x = Npy.readFloats(in, h, file.toString());
                int[] lengths = new int[(int) h.shape()[0]];
                Arrays.fill(lengths, (int) h.shape()[1]);
                return new Inputs((int) h.shape()[0], (int) h.shape()[1], (int) h.shape()[2], x, lengths);
            } catch (NoSuchFileException e) {
                throw new DataFileException(file, "no such file");
            } catch (IOException e) {
                throw new DataFileException(file, "cannot be read (" + e.getMessage() + ")");
            }
        }
        if (name.endsWith(".npz")) {
            try {
                Map<String, Npy.Header> h = npzHeaders(file);
                NpzArrays a = readNpzArrays(file, h, false);
                return new Inputs(a.n, a.t, a.i, a.x, a.lengths);
            } catch (NoSuchFileException e) {
                throw new DataFileException(file, "no such file");
            } catch (IOException e) {
                throw new DataFileException(file, "cannot be read (" + e.getMessage() + ")");
            }
        }
        SequenceData d = read(file, 0);
        return new Inputs(d.sequences(), d.steps(), d.inputSize(), d.x(), d.lengths());
    }

    private static String lower(Path file) {
        return file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
    }

    // ---------------------------------------------------------------- NPZ

    private record NpzArrays(
            int n, int t, int i, float[] x, int[] lengths, Npy.Header y, float[] yValues, int[] yClasses) {}

    private static SequenceData readNpz(Path file, int classes) throws IOException {
        Map<String, Npy.Header> headers = npzHeaders(file);
        if (!headers.containsKey("y")) {
            throw new DataFileException(file, "has no array 'y' (the targets); it holds " + headers.keySet());
        }
        NpzArrays a = readNpzArrays(file, headers, true);
        Npy.Header y = a.y;
        TargetKind kind;
        int out;
        long[] s = y.shape();
        if (y.isFloat() && y.rank() == 3 && s[0] == a.n && s[1] == a.t) {
            kind = TargetKind.STEP_VALUES;
            out = (int) s[2];
        } else if (y.isFloat() && y.rank() == 2 && s[0] == a.n) {
            kind = TargetKind.SEQUENCE_VALUES;
            out = (int) s[1];
        } else if (y.isInteger() && y.rank() == 1 && s[0] == a.n) {
            kind = TargetKind.SEQUENCE_CLASSES;
            out = 0;
        } else if (y.isInteger() && y.rank() == 2 && s[0] == a.n && s[1] == a.t) {
            kind = TargetKind.STEP_CLASSES;
            out = 0;
        } else {
            throw new DataFileException(
                    file,
                    "has y of dtype " + y.dtype() + " and shape " + y.shapeText() + ", but with x of shape ["
                            + a.n + ", " + a.t + ", " + a.i
                            + "] y must be float [N, T, O] or [N, O] (values) or int [N] or [N, T] (classes), N = "
                            + a.n + ", T = " + a.t);
        }
        if (out == 0) {
            out = classCount(file, kind, a.yClasses, a.lengths, a.t, classes);
        } else if (out < 1) {
            throw new DataFileException(file, "has y of shape " + y.shapeText() + ", with no target values");
        }
        SequenceData d = new SequenceData(
                file.getFileName().toString(), a.n, a.t, a.i, a.x, a.lengths, kind, out, a.yValues, a.yClasses);
        requireFiniteTargets(file, d);
        return d;
    }

    private static Map<String, Npy.Header> npzHeaders(Path file) throws IOException {
        Map<String, Npy.Header> headers = new LinkedHashMap<>();
        try (ZipFile zip = openZip(file)) {
            for (var it = zip.entries(); it.hasMoreElements(); ) {
                ZipEntry e = it.nextElement();
                String key = e.getName().endsWith(".npy")
                        ? e.getName().substring(0, e.getName().length() - 4)
                        : e.getName();
                try (InputStream in = zip.getInputStream(e)) {
                    headers.put(key, Npy.readHeader(in, file + " (array '" + key + "')"));
                }
            }
        }
        if (!headers.containsKey("x")) {
            throw new DataFileException(
                    file, "has no array 'x' (the inputs, float32 [N, T, I]); it holds " + headers.keySet());
        }
        return headers;
    }

    private static ZipFile openZip(Path file) throws IOException {
        try {
            return new ZipFile(file.toFile());
        } catch (java.util.zip.ZipException e) {
            throw new DataFileException(file, "is not a NumPy .npz (not a zip archive: " + e.getMessage() + ")");
        }
    }

    private static NpzArrays readNpzArrays(Path file, Map<String, Npy.Header> headers, boolean withTargets)
            throws IOException {
        Npy.Header hx = headers.get("x");
        requireInputs(file, hx, "x");
        int n = (int) hx.shape()[0];
        int t = (int) hx.shape()[1];
        int i = (int) hx.shape()[2];
        Npy.Header hl = headers.get("lengths");
        if (hl != null && !(hl.isInteger() && hl.rank() == 1 && hl.shape()[0] == n)) {
            throw new DataFileException(
                    file,
                    "has lengths of dtype " + hl.dtype() + " and shape " + hl.shapeText()
                            + ", but lengths must be integers of shape [" + n + "] (one per sequence of x)");
        }
        Npy.Header hy = withTargets ? headers.get("y") : null;
        long bytes = hx.count() * Float.BYTES + (hy == null ? 0 : hy.count() * Float.BYTES) + (long) n * Integer.BYTES;
        requireMemory(file, bytes);
        if (hx.count() > Integer.MAX_VALUE - 8) {
            throw new DataFileException(
                    file, "has x of shape " + hx.shapeText() + ", more than 2^31 values; split it into several files");
        }
        float[] x;
        int[] lengths = null;
        float[] yValues = null;
        int[] yClasses = null;
        try (ZipFile zip = openZip(file)) {
            x = readEntry(zip, file, "x", in -> Npy.readFloats(in, hx, file + " (array 'x')"));
            if (hl != null) {
                lengths = readEntry(zip, file, "lengths", in -> Npy.readInts(in, hl, file + " (array 'lengths')"));
            }
            if (hy != null) {
                if (hy.isFloat()) {
                    yValues = readEntry(zip, file, "y", in -> Npy.readFloats(in, hy, file + " (array 'y')"));
                } else {
                    yClasses = readEntry(zip, file, "y", in -> Npy.readInts(in, hy, file + " (array 'y')"));
                }
            }
        }
        if (lengths == null) {
            lengths = new int[n];
            Arrays.fill(lengths, t);
        }
        for (int k = 0; k < n; k++) {
            if (lengths[k] < 1 || lengths[k] > t) {
                throw new DataFileException(
                        file,
                        "gives sequence " + k + " the length " + lengths[k] + ", but lengths must be from 1 to T = "
                                + t);
            }
        }
        requireFiniteInputs(file, x, n, t, i, lengths);
        return new NpzArrays(n, t, i, x, lengths, hy, yValues, yClasses);
    }

    private interface EntryReader<T> {
        T read(InputStream in) throws IOException;
    }

    private static <T> T readEntry(ZipFile zip, Path file, String key, EntryReader<T> reader) throws IOException {
        ZipEntry e = zip.getEntry(key + ".npy");
        if (e == null) {
            e = zip.getEntry(key);
        }
        try (InputStream in = new BufferedInputStream(zip.getInputStream(e))) {
            Npy.readHeader(in, file + " (array '" + key + "')");
            return reader.read(in);
        }
    }

    private static void requireInputs(Path file, Npy.Header h, String what) {
        if (!h.isFloat() || h.rank() != 3) {
            throw new DataFileException(
                    file,
                    "has " + what + " of dtype " + h.dtype() + " and shape " + h.shapeText()
                            + ", but the inputs must be float32 of shape [N, T, I]");
        }
        for (long d : h.shape()) {
            if (d < 1) {
                throw new DataFileException(
                        file, "has " + what + " of shape " + h.shapeText() + ", with no sequences, steps or inputs");
            }
        }
    }

    // ---------------------------------------------------------------- checks shared by both formats

    /**
     * Refuses data that would not fit in the Java heap; {@code bytes} is the estimate of the
     * arrays it needs, before any is allocated.
     */
    static void requireMemory(Path file, long bytes) {
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (bytes > free) {
            throw new DataFileException(
                    file,
                    String.format(
                            Locale.ROOT,
                            "would need about %.1f GiB of memory, more than the %.1f GiB the Java heap has free; "
                                    + "give Java more memory or split the file",
                            bytes / 1073741824.0,
                            free / 1073741824.0));
        }
    }

    private static void requireFiniteInputs(Path file, float[] x, int n, int t, int i, int[] lengths) {
        for (int k = 0; k < n; k++) {
            for (int s = 0; s < lengths[k]; s++) {
                for (int j = 0; j < i; j++) {
                    float v = x[(k * t + s) * i + j];
                    if (!Float.isFinite(v)) {
                        throw new DataFileException(
                                file,
                                "has " + v + " in x at sequence " + k + ", step " + s + ", input " + j
                                        + "; inputs at valid steps must be finite (padding may hold anything)");
                    }
                }
            }
        }
    }

    private static void requireFiniteTargets(Path file, SequenceData d) {
        if (d.values() == null) {
            return;
        }
        for (int k = 0; k < d.sequences(); k++) {
            for (int r : d.targetRows(k)) {
                for (int j = 0; j < d.outputSize(); j++) {
                    float v = d.values()[r * d.outputSize() + j];
                    if (!Float.isFinite(v)) {
                        throw new DataFileException(
                                file,
                                "has " + v + " in y of sequence " + k
                                        + (d.kind().perStep() ? " at step " + (r - k * d.steps()) : "")
                                        + "; targets must be finite");
                    }
                }
            }
        }
    }

    private static int classCount(Path file, TargetKind kind, int[] ids, int[] lengths, int t, int given) {
        int max = -1;
        for (int k = 0; k < lengths.length; k++) {
            int rows = kind.perStep() ? lengths[k] : 1;
            for (int s = 0; s < rows; s++) {
                int id = ids[kind.perStep() ? k * t + s : k];
                String where = "sequence " + k + (kind.perStep() ? ", step " + s : "");
                if (id < 0) {
                    throw new DataFileException(
                            file, "has the class id " + id + " at " + where + "; class ids start at 0");
                }
                if (given > 0 && id >= given) {
                    throw new DataFileException(
                            file,
                            "has the class id " + id + " at " + where + ", but there are " + given
                                    + " classes (ids 0 to " + (given - 1) + ")");
                }
                max = Math.max(max, id);
            }
        }
        if (given == 0 && max < 1) {
            throw new DataFileException(file, "has only the class id 0; a classification needs at least two classes");
        }
        return given > 0 ? given : max + 1;
    }

    // ---------------------------------------------------------------- CSV

    private static SequenceData readCsv(Path file, int classes) throws IOException {
        long size = Files.size(file);
        CSVFormat format = CSVFormat.DEFAULT
                .builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .setTrim(true)
                .get();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser p = header(file, r, format)) {
            List<String> names = p.getHeaderNames();
            int seqCol = names.indexOf("sequence");
            int stepCol = names.indexOf("step");
            if (seqCol < 0 || stepCol < 0) {
                throw new DataFileException(
                        file,
                        "has the columns " + names + ", but a long-form CSV needs 'sequence' and 'step', "
                                + "then the features, then 'y…' target values or a 'label'");
            }
            List<Integer> features = new ArrayList<>();
            List<Integer> targets = new ArrayList<>();
            int label = -1;
            for (int c = 0; c < names.size(); c++) {
                String n = names.get(c);
                if (c == seqCol || c == stepCol) {
                    continue;
                }
                if (n.equals("label")) {
                    label = c;
                } else if (n.startsWith("y")) {
                    targets.add(c);
                } else {
                    features.add(c);
                }
            }
            if (features.isEmpty()) {
                throw new DataFileException(
                        file, "has no feature columns (columns other than sequence, step, y… and label)");
            }
            if ((label >= 0) == !targets.isEmpty()) {
                throw new DataFileException(
                        file,
                        label >= 0
                                ? "has both a 'label' and 'y…' columns; give one kind of target"
                                : "has no target columns; name them 'y…' (values) or 'label' (a class id)");
            }
            int width = label >= 0 ? 1 : targets.size();
            int cols = features.size() + width;
            // Each value takes at least two characters ("0,") on disk and four bytes here, kept twice while grouped.
            requireMemory(file, size / 2 * 4 * 2);
            Map<String, List<float[]>> rows = new LinkedHashMap<>();
            Map<String, List<Long>> steps = new HashMap<>();
            for (CSVRecord rec : p) {
                if (!rec.isConsistent()) {
                    throw new DataFileException(
                            file,
                            "has " + rec.size() + " values on line "
                                    + rec.getParser().getCurrentLineNumber() + " but " + names.size()
                                    + " columns in its header (a ragged CSV)");
                }
                String seq = rec.get(seqCol);
                long step = parseStep(file, rec, stepCol);
                float[] row = new float[cols];
                for (int k = 0; k < features.size(); k++) {
                    row[k] = parse(file, rec, features.get(k), names, false);
                }
                if (label >= 0) {
                    row[features.size()] = parse(file, rec, label, names, true);
                } else {
                    for (int k = 0; k < targets.size(); k++) {
                        row[features.size() + k] = parse(file, rec, targets.get(k), names, true);
                    }
                }
                rows.computeIfAbsent(seq, s -> new ArrayList<>()).add(row);
                steps.computeIfAbsent(seq, s -> new ArrayList<>()).add(step);
            }
            if (rows.isEmpty()) {
                throw new DataFileException(file, "has a header but no rows");
            }
            return fromCsvRows(file, rows, steps, features.size(), width, label >= 0, classes);
        } catch (java.io.UncheckedIOException | IllegalStateException e) {
            throw new DataFileException(file, "is not a readable CSV (" + csvProblem(e) + ")");
        }
    }

    /** The parser, past the header row; a header commons-csv refuses (an empty or repeated name) is one sentence. */
    private static CSVParser header(Path file, Reader r, CSVFormat format) throws IOException {
        try {
            return CSVParser.parse(r, format);
        } catch (IllegalArgumentException e) {
            throw new DataFileException(
                    file,
                    "has an empty or repeated column name in its header; each column needs its own name "
                            + "(sequence, step, the features, then y… or label)");
        }
    }

    /** commons-csv's innermost reason, without the exception class names it wraps it in. */
    private static String csvProblem(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? "" : t.getMessage();
        return m.replaceAll("[a-z]+(\\.[a-z]+)*\\.[A-Z][A-Za-z]*(Exception|Error): ?", "")
                .strip();
    }

    private static long parseStep(Path file, CSVRecord rec, int col) {
        try {
            return Long.parseLong(rec.get(col));
        } catch (NumberFormatException e) {
            throw new DataFileException(
                    file,
                    "has the step '" + rec.get(col) + "' on line "
                            + rec.getParser().getCurrentLineNumber() + "; steps are whole numbers from 0");
        }
    }

    /** A number, or NaN for an empty target cell (a target on the last row only). */
    private static float parse(Path file, CSVRecord rec, int col, List<String> names, boolean target) {
        String v = rec.get(col);
        if (v.isEmpty() && target) {
            return Float.NaN;
        }
        try {
            float f = Float.parseFloat(v);
            if (!Float.isFinite(f)) {
                throw new NumberFormatException();
            }
            return f;
        } catch (NumberFormatException e) {
            throw new DataFileException(
                    file,
                    "has '" + v + "' in column '" + names.get(col) + "' on line "
                            + rec.getParser().getCurrentLineNumber() + "; values must be finite numbers");
        }
    }

    private static SequenceData fromCsvRows(
            Path file,
            Map<String, List<float[]>> rows,
            Map<String, List<Long>> stepsOf,
            int in,
            int width,
            boolean isLabel,
            int classes) {
        int n = rows.size();
        int t = 0;
        int[] lengths = new int[n];
        int k = 0;
        boolean anyEmpty = false;
        for (var e : rows.entrySet()) {
            List<Long> st = stepsOf.get(e.getKey());
            // Rows of a sequence may come in any order; their steps must be 0 … L−1.
            Integer[] order = new Integer[st.size()];
            for (int j = 0; j < order.length; j++) {
                order[j] = j;
            }
            Arrays.sort(order, (a, b) -> Long.compare(st.get(a), st.get(b)));
            List<float[]> sorted = new ArrayList<>();
            for (int j = 0; j < order.length; j++) {
                if (st.get(order[j]) != j) {
                    throw new DataFileException(
                            file,
                            "has sequence '" + e.getKey() + "' with steps " + sortedSteps(st)
                                    + "; the steps of each sequence must be 0, 1, 2… without gaps or repeats");
                }
                float[] row = e.getValue().get(order[j]);
                sorted.add(row);
                anyEmpty |= Float.isNaN(row[in]);
            }
            e.setValue(sorted);
            lengths[k++] = sorted.size();
            t = Math.max(t, sorted.size());
        }
        // A target on every row is per step; on each sequence's last row only, the sequence's.
        boolean perStep = !anyEmpty;
        float[] x = new float[Math.multiplyExact(Math.multiplyExact(n, t), in)];
        int yRows = perStep ? n * t : n;
        float[] values = isLabel ? null : new float[yRows * width];
        int[] ids = isLabel ? new int[yRows] : null;
        k = 0;
        for (var e : rows.entrySet()) {
            List<float[]> seq = e.getValue();
            for (int s = 0; s < seq.size(); s++) {
                float[] row = seq.get(s);
                System.arraycopy(row, 0, x, (k * t + s) * in, in);
                boolean last = s == seq.size() - 1;
                boolean empty = Float.isNaN(row[in]);
                if (!perStep && empty == last) {
                    throw new DataFileException(
                            file,
                            "has sequence '" + e.getKey() + "' with a target on step " + s + (last ? " missing" : "")
                                    + "; give a target on every row (one per step), or on each sequence's last row only (one per sequence)");
                }
                if (!perStep && !last) {
                    continue;
                }
                int yr = perStep ? k * t + s : k;
                for (int j = 0; j < width; j++) {
                    float v = row[in + j];
                    if (Float.isNaN(v)) {
                        throw new DataFileException(
                                file,
                                "has sequence '" + e.getKey() + "' with an empty target at step " + s
                                        + "; give every target value of a row");
                    }
                    if (isLabel) {
                        if (v != Math.rint(v)) {
                            throw new DataFileException(
                                    file,
                                    "has the label " + v + " in sequence '" + e.getKey()
                                            + "'; labels are class ids 0, 1, 2…");
                        }
                        ids[yr] = (int) v;
                    } else {
                        values[yr * width + j] = v;
                    }
                }
            }
            k++;
        }
        TargetKind kind = isLabel
                ? (perStep ? TargetKind.STEP_CLASSES : TargetKind.SEQUENCE_CLASSES)
                : (perStep ? TargetKind.STEP_VALUES : TargetKind.SEQUENCE_VALUES);
        int out = isLabel ? classCount(file, kind, ids, lengths, t, classes) : width;
        return new SequenceData(file.getFileName().toString(), n, t, in, x, lengths, kind, out, values, ids);
    }

    private static String sortedSteps(List<Long> steps) {
        List<Long> s = new ArrayList<>(steps);
        s.sort(null);
        String text = s.toString();
        return text.length() > 60 ? text.substring(0, 57) + "…]" : text;
    }
}
