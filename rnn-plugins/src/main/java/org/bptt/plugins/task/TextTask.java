package org.bptt.plugins.task;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.bptt.api.data.Batch;
import org.bptt.api.data.Task;
import org.bptt.api.plugin.ConfigurationException;

/**
 * A character-level language model. The vocabulary is the text's distinct Unicode code points
 * in ascending order ({@link #vocabulary()}: class index → symbol; {@link #encoder()} maps both
 * ways). Each sequence is a window of T + 1 consecutive code points starting at a uniformly
 * random offset: input t is the one-hot of character t ({@code x[(t·B + b)·V + class]}),
 * target t is the class of character t + 1, and every step carries a loss (cross-entropy).
 * I = O = V.
 *
 * <p>Baseline: the entropy in nats of the text's unigram distribution, the per-step loss of
 * always predicting the character frequencies.
 *
 * <p>Without a file the task uses {@link #EMBEDDED_NAME}, the opening of chapter I of Lewis
 * Carroll's <i>Alice's Adventures in Wonderland</i> (1865, public domain), written out for
 * this project. A leading byte-order mark is dropped.
 */
public final class TextTask implements Task {
    /** The embedded text, a resource next to this class. */
    public static final String EMBEDDED_NAME = "alice.txt";
    private static final int BOM = 0xFEFF;

    private final String source;
    private final Vocabulary vocabulary;
    private final int[] text;
    private final int steps;
    private final int size;
    private final double entropy;
    private final boolean[] lossSteps;

    private TextTask(String source, Vocabulary vocabulary, int[] text, int steps) {
        this.source = source;
        this.vocabulary = vocabulary;
        this.text = text;
        this.steps = steps;
        this.size = vocabulary.size();
        this.lossSteps = Batch.allSteps(steps);
        long[] counts = new long[size];
        for (int c : text) {
            counts[c]++;
        }
        double h = 0;
        for (long n : counts) {
            double p = (double) n / text.length;
            h -= p * Math.log(p);
        }
        this.entropy = h;
    }

    /**
     * A task over {@code content}; {@code owner} and {@code name} make the messages.
     *
     * @throws ConfigurationException when the text is empty, shorter than steps + 1 code
     *     points, or has fewer than two distinct characters
     */
    public static TextTask of(String owner, String name, String content, int steps) {
        requireNonNull(content, "content is null");
        if (steps < 1) {
            throw new ConfigurationException(owner + ": option 'steps' must be at least 1, got " + steps);
        }
        String body = !content.isEmpty() && content.codePointAt(0) == BOM ? content.substring(1) : content;
        if (body.isEmpty()) {
            throw new ConfigurationException(owner + ": text file '" + name + "' is empty; it needs at least steps + 1 = "
                    + (steps + 1L) + " characters");
        }
        Vocabulary vocabulary = Vocabulary.of(body);
        int[] encoded = vocabulary.encode(body);
        if (encoded.length < steps + 1L) {
            throw new ConfigurationException(owner + ": text file '" + name + "' has " + encoded.length
                    + " characters, fewer than steps + 1 = " + (steps + 1L) + "; use a longer text or a smaller 'steps'");
        }
        if (vocabulary.size() < 2) {
            throw new ConfigurationException(owner + ": text file '" + name + "' contains only one distinct character ("
                    + Vocabulary.describe(vocabulary.codePoint(0)) + "), so there is nothing to predict; "
                    + "it needs at least two");
        }
        return new TextTask(name, vocabulary, encoded, steps);
    }

    /**
     * A task over the UTF-8 file {@code file}.
     *
     * @throws ConfigurationException naming the file when it is missing, a directory,
     *     unreadable, not valid UTF-8, or unsuitable as in {@link #of}
     */
    public static TextTask load(String owner, Path file, int steps) {
        requireNonNull(file, "file is null");
        String name = file.toString();
        if (Files.isDirectory(file)) {
            throw new ConfigurationException(owner + ": '" + name + "' is a directory; option 'text' must name a UTF-8 text file");
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            // A device or a pipe (/dev/zero, a FIFO) would be read for ever.
            throw new ConfigurationException(owner + ": '" + name + "' is not a regular file; option 'text' must name a UTF-8 text file");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigurationException(owner + ": text file '" + name + "' does not exist; option 'text' must name "
                    + "a UTF-8 text file", e);
        } catch (AccessDeniedException e) {
            throw new ConfigurationException(owner + ": text file '" + name + "' cannot be read (permission denied)", e);
        } catch (IOException | OutOfMemoryError e) {
            // OutOfMemoryError: readAllBytes refuses files over 2 GB, which is a property of the file, not the heap.
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            throw new ConfigurationException(owner + ": text file '" + name + "' cannot be read (" + why + ")", e);
        }
        return of(owner, name, decodeUtf8(owner, name, bytes), steps);
    }

    /** A task over the embedded excerpt of <i>Alice's Adventures in Wonderland</i>. */
    public static TextTask embedded(String owner, int steps) {
        try (InputStream in = TextTask.class.getResourceAsStream(EMBEDDED_NAME)) {
            if (in == null) {
                throw new IllegalStateException("resource " + EMBEDDED_NAME + " is missing from the rnn-plugins jar");
            }
            return of(owner, EMBEDDED_NAME + " (embedded)", decodeUtf8(owner, EMBEDDED_NAME, in.readAllBytes()), steps);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the embedded " + EMBEDDED_NAME, e);
        }
    }

    /** Strict UTF-8: a malformed or unmappable sequence is reported with its byte offset rather than replaced. */
    private static String decodeUtf8(String owner, String name, byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never yields more UTF-16 units than bytes
        CoderResult r = decoder.decode(in, out, true);
        if (!r.isError()) {
            r = decoder.flush(out);
        }
        if (r.isError()) {
            throw new ConfigurationException(owner + ": text file '" + name + "' is not valid UTF-8 (bad byte at offset "
                    + in.position() + "); save it as UTF-8");
        }
        return out.flip().toString();
    }

    /** Where the text came from: a path, or {@code alice.txt (embedded)}. */
    public String source() { return source; }

    /** Encodes text to class indices and back. */
    public Vocabulary encoder() { return vocabulary; }

    /** The text as class indices; a copy. */
    public int[] encodedText() { return text.clone(); }

    /** Number of code points in the text. */
    public int length() { return text.length; }

    @Override public int inputSize() { return size; }
    @Override public int outputSize() { return size; }
    @Override public int steps() { return steps; }
    @Override public String defaultLoss() { return "ce"; }
    @Override public double baselineLoss() { return entropy; }
    @Override public List<String> vocabulary() { return vocabulary.symbols(); }

    @Override
    public Batch newBatch(int batchSize) {
        return TaskSupport.allocate("text", batchSize, steps, size, true, 1, lossSteps);
    }

    @Override
    public void fill(Batch batch, RandomGenerator random) {
        TaskSupport.requireShape(batch, "text", steps, size, true, 1);
        int nb = batch.batch();
        float[] x = batch.x();
        int[] classes = batch.targets().classes();
        System.arraycopy(lossSteps, 0, batch.lossSteps(), 0, steps);
        Arrays.fill(x, 0f);
        int starts = text.length - steps; // windows of steps + 1 code points
        for (int b = 0; b < nb; b++) {
            int start = random.nextInt(starts);
            for (int t = 0; t < steps; t++) {
                int row = t * nb + b;
                x[row * size + text[start + t]] = 1f;
                classes[row] = text[start + t + 1];
            }
        }
    }

    @Override
    public String describe() {
        return "text(" + source + ", V=" + size + ", T=" + steps + ")";
    }

    @Override
    public String toString() { return describe(); }
}
