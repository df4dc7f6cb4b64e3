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
 * <p>Held-out split: with a validation fraction f &gt; 0 the last ⌊f·n⌉ code points are kept
 * out of training — {@link #fill} draws windows from the text before them only, and
 * {@link #fillHeldOut} from them only — so a held-out loss (bits per character) measures
 * text the model never saw. The vocabulary covers the whole text.
 *
 * <p>Baseline: the entropy in nats of the training text's unigram distribution, the per-step
 * loss of always predicting the character frequencies.
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
    /** Code points [0, trainEnd) are trained on, [trainEnd, length) held out. */
    private final int trainEnd;

    private final double validation;
    private final int size;
    private final double entropy;
    private final boolean[] lossSteps;

    private TextTask(String source, Vocabulary vocabulary, int[] text, int steps, int trainEnd, double validation) {
        this.source = source;
        this.vocabulary = vocabulary;
        this.text = text;
        this.steps = steps;
        this.trainEnd = trainEnd;
        this.validation = validation;
        this.size = vocabulary.size();
        this.lossSteps = Batch.allSteps(steps);
        long[] counts = new long[size];
        for (int i = 0; i < trainEnd; i++) {
            counts[text[i]]++;
        }
        double h = 0;
        for (long n : counts) {
            if (n > 0) {
                double p = (double) n / trainEnd;
                h -= p * Math.log(p);
            }
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
        return of(owner, name, content, steps, 0);
    }

    /**
     * A task over {@code content} whose last {@code validation} fraction is held out.
     *
     * @throws ConfigurationException as {@link #of(String, String, String, int)}, and when the
     *     fraction is outside [0, 0.9) or leaves either part shorter than steps + 1 code points
     */
    public static TextTask of(String owner, String name, String content, int steps, double validation) {
        requireNonNull(content, "content is null");
        if (!(validation >= 0 && validation < MAX_VALIDATION)) {
            throw new ConfigurationException(owner + ": option 'validation' must be at least 0 and below "
                    + MAX_VALIDATION + " (the fraction of the text held out), got " + validation);
        }
        if (steps < 1) {
            throw new ConfigurationException(owner + ": option 'steps' must be at least 1, got " + steps);
        }
        String body = !content.isEmpty() && content.codePointAt(0) == BOM ? content.substring(1) : content;
        if (body.isEmpty()) {
            throw new ConfigurationException(owner + ": text file '" + name
                    + "' is empty; it needs at least steps + 1 = " + (steps + 1L) + " characters");
        }
        Vocabulary vocabulary = Vocabulary.of(body);
        int[] encoded = vocabulary.encode(body);
        if (encoded.length < steps + 1L) {
            throw new ConfigurationException(
                    owner + ": text file '" + name + "' has " + encoded.length + " characters, fewer than steps + 1 = "
                            + (steps + 1L) + "; use a longer text or a smaller 'steps'");
        }
        if (vocabulary.size() < 2) {
            throw new ConfigurationException(owner + ": text file '" + name + "' contains only one distinct character ("
                    + Vocabulary.describe(vocabulary.codePoint(0)) + "), so there is nothing to predict; "
                    + "it needs at least two");
        }
        int held = (int) Math.round(encoded.length * validation);
        if (validation > 0 && held < steps + 1L) {
            throw new ConfigurationException(
                    owner + ": option 'validation' " + validation + " holds out " + held + " of the "
                            + encoded.length + " characters of '" + name + "', fewer than steps + 1 = " + (steps + 1L)
                            + "; use a larger fraction, a longer text or a smaller 'steps'");
        }
        if (encoded.length - held < steps + 1L) {
            throw new ConfigurationException(
                    owner + ": option 'validation' " + validation + " leaves " + (encoded.length - held)
                            + " characters of '" + name + "' to train on, fewer than steps + 1 = " + (steps + 1L)
                            + "; use a smaller fraction, a longer text or a smaller 'steps'");
        }
        return new TextTask(name, vocabulary, encoded, steps, encoded.length - held, validation);
    }

    /** Largest validation fraction (exclusive): most of a text should be trained on. */
    public static final double MAX_VALIDATION = 0.9;

    /**
     * A task over the UTF-8 file {@code file}.
     *
     * @throws ConfigurationException naming the file when it is missing, a directory,
     *     unreadable, not valid UTF-8, or unsuitable as in {@link #of}
     */
    public static TextTask load(String owner, Path file, int steps) {
        return load(owner, file, steps, 0);
    }

    /** A task over the UTF-8 file {@code file} with a held-out fraction, as {@link #of(String, String, String, int, double)}. */
    public static TextTask load(String owner, Path file, int steps, double validation) {
        requireNonNull(file, "file is null");
        String name = file.toString();
        if (Files.isDirectory(file)) {
            throw new ConfigurationException(
                    owner + ": '" + name + "' is a directory; option 'text' must name a UTF-8 text file");
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            // A device or a pipe (/dev/zero, a FIFO) would be read for ever.
            throw new ConfigurationException(
                    owner + ": '" + name + "' is not a regular file; option 'text' must name a UTF-8 text file");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigurationException(
                    owner + ": text file '" + name + "' does not exist; option 'text' must name " + "a UTF-8 text file",
                    e);
        } catch (AccessDeniedException e) {
            throw new ConfigurationException(
                    owner + ": text file '" + name + "' cannot be read (permission denied)", e);
        } catch (IOException | OutOfMemoryError e) {
            // OutOfMemoryError: readAllBytes refuses files over 2 GB, which is a property of the file; an exhausted
            // heap is the JVM's, not a mistake in the input, and goes on to be reported as such (exit 1).
            if (e instanceof OutOfMemoryError oom
                    && !String.valueOf(oom.getMessage()).contains("array size")) {
                throw oom;
            }
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            throw new ConfigurationException(owner + ": text file '" + name + "' cannot be read (" + why + ")", e);
        }
        return of(owner, name, decodeUtf8(owner, name, bytes), steps, validation);
    }

    /** A task over the embedded excerpt of <i>Alice's Adventures in Wonderland</i>. */
    public static TextTask embedded(String owner, int steps) {
        return embedded(owner, steps, 0);
    }

    /** The embedded text with a held-out fraction. */
    public static TextTask embedded(String owner, int steps, double validation) {
        try (InputStream in = TextTask.class.getResourceAsStream(EMBEDDED_NAME)) {
            if (in == null) {
                throw new IllegalStateException("resource " + EMBEDDED_NAME + " is missing from the rnn-plugins jar");
            }
            return of(
                    owner,
                    EMBEDDED_NAME + " (embedded)",
                    decodeUtf8(owner, EMBEDDED_NAME, in.readAllBytes()),
                    steps,
                    validation);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the embedded " + EMBEDDED_NAME, e);
        }
    }

    /** Strict UTF-8: a malformed or unmappable sequence is reported with its byte offset rather than replaced. */
    private static String decodeUtf8(String owner, String name, byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never yields more UTF-16 units than bytes
        CoderResult r = decoder.decode(in, out, true);
        if (!r.isError()) {
            r = decoder.flush(out);
        }
        if (r.isError()) {
            throw new ConfigurationException(owner + ": text file '" + name
                    + "' is not valid UTF-8 (bad byte at offset " + in.position() + "); save it as UTF-8");
        }
        return out.flip().toString();
    }

    /** Where the text came from: a path, or {@code alice.txt (embedded)}. */
    public String source() {
        return source;
    }

    /** Encodes text to class indices and back. */
    public Vocabulary encoder() {
        return vocabulary;
    }

    /** The text as class indices; a copy. */
    public int[] encodedText() {
        return text.clone();
    }

    /** Number of code points in the text. */
    public int length() {
        return text.length;
    }

    /** Number of code points held out at the end of the text (0 without a split). */
    public int heldOutLength() {
        return text.length - trainEnd;
    }

    @Override
    public int inputSize() {
        return size;
    }

    @Override
    public int outputSize() {
        return size;
    }

    @Override
    public int steps() {
        return steps;
    }

    @Override
    public String defaultLoss() {
        return "ce";
    }

    @Override
    public double baselineLoss() {
        return entropy;
    }

    @Override
    public List<String> vocabulary() {
        return vocabulary.symbols();
    }

    @Override
    public Batch newBatch(int batchSize) {
        return TaskSupport.allocate("text", batchSize, steps, size, true, 1, lossSteps);
    }

    @Override
    public void fill(Batch batch, RandomGenerator random) {
        TaskSupport.requireShape(batch, "text", steps, size, true, 1);
        System.arraycopy(lossSteps, 0, batch.lossSteps(), 0, steps);
        windows(batch, random, 0, trainEnd);
    }

    @Override
    public boolean hasHeldOut() {
        return trainEnd < text.length;
    }

    /** Windows from the held-out end of the text; refused when the task holds nothing out. */
    @Override
    public void fillHeldOut(Batch batch, RandomGenerator random) {
        TaskSupport.requireShape(batch, "text", steps, size, true, 1);
        if (!hasHeldOut()) {
            throw new ConfigurationException(
                    "text: no part of '" + source + "' is held out for evaluation; set the task's "
                            + "option 'validation' (for example 0.1) when training");
        }
        System.arraycopy(lossSteps, 0, batch.lossSteps(), 0, steps);
        windows(batch, random, trainEnd, text.length);
    }

    /** Fills the batch with windows of steps + 1 code points lying within text[from, to). */
    private void windows(Batch batch, RandomGenerator random, int from, int to) {
        int nb = batch.batch();
        float[] x = batch.x();
        int[] classes = batch.targets().classes();
        Arrays.fill(x, 0f);
        int starts = to - from - steps; // windows of steps + 1 code points
        for (int b = 0; b < nb; b++) {
            int start = from + random.nextInt(starts);
            for (int t = 0; t < steps; t++) {
                int row = t * nb + b;
                x[row * size + text[start + t]] = 1f;
                classes[row] = text[start + t + 1];
            }
        }
    }

    @Override
    public String describe() {
        return "text(" + source + ", V=" + size + ", T=" + steps
                + (hasHeldOut() ? ", " + (text.length - trainEnd) + " characters held out" : "") + ")";
    }

    @Override
    public String toString() {
        return describe();
    }

    // ------------------------------------------------------------------ streams (stateful training)

    /** The training part of the text is B streams: stream b is its b-th of B equal consecutive parts. */
    @Override
    public boolean canStream() {
        return true;
    }

    /** Each stream is ⌊n/B⌋ code points: ⌊n/B⌋ − 1 steps (inputs with the next code point as target). */
    @Override
    public long streamSteps(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        return streamText() / batchSize - 1;
    }

    /** Code points the streams cut: the training part (a held-out tail is never streamed). */
    private int streamText() {
        return trainEnd;
    }

    @Override
    public boolean fillChunk(Batch batch, long chunk) {
        TaskSupport.requireShape(batch, "text", steps, size, true, 1);
        if (chunk < 0) {
            throw new IllegalArgumentException("chunk must be 0 or more, got " + chunk);
        }
        int nb = batch.batch();
        long perPass = streamSteps(nb) / steps;
        if (perPass < 1) {
            throw new ConfigurationException("text: '" + source + "' has " + streamText() + " characters, too few for "
                    + nb + " streams of at least steps + 1 = " + (steps + 1L) + " characters each ("
                    + (long) nb * (steps + 1)
                    + "); use a smaller batch or 'steps', or a longer text");
        }
        int segment = streamText() / nb;
        int c = (int) (chunk % perPass);
        float[] x = batch.x();
        int[] classes = batch.targets().classes();
        System.arraycopy(lossSteps, 0, batch.lossSteps(), 0, steps);
        Arrays.fill(x, 0f);
        for (int b = 0; b < nb; b++) {
            int start = b * segment + c * steps;
            for (int t = 0; t < steps; t++) {
                int row = t * nb + b;
                x[row * size + text[start + t]] = 1f;
                classes[row] = text[start + t + 1];
            }
        }
        return c != 0;
    }

    // ------------------------------------------------------------------ the held-out stream (streamed evaluation)

    /** The held-out part once, in order: its n − 1 steps; -1 without a held-out part. */
    @Override
    public long heldOutStreamSteps() {
        return hasHeldOut() ? text.length - trainEnd - 1 : -1;
    }

    @Override
    public void fillHeldOutStream(Batch batch, long[] starts) {
        TaskSupport.requireShape(batch, "text", steps, size, true, 1);
        if (!hasHeldOut()) {
            throw new UnsupportedOperationException(describe() + " has no held-out stream");
        }
        System.arraycopy(lossSteps, 0, batch.lossSteps(), 0, steps);
        fillStream(batch, starts, text, trainEnd, text.length);
    }

    /**
     * Sequence b of the batch: steps [starts[b], starts[b] + T) of the stream over code points
     * codes[from, to) (step p: input codes[from + p], target codes[from + p + 1]); steps past its
     * to − from − 1 are zero inputs with target 0.
     */
    static void fillStream(Batch batch, long[] starts, int[] codes, int from, int to) {
        int nb = batch.batch();
        int v = batch.inputSize();
        float[] x = batch.x();
        int[] classes = batch.targets().classes();
        Arrays.fill(x, 0f);
        long n = to - from - 1L;
        for (int b = 0; b < nb; b++) {
            for (int t = 0; t < batch.steps(); t++) {
                long p = starts[b] + t;
                int row = t * nb + b;
                if (p < 0 || p >= n) {
                    classes[row] = 0;
                    continue;
                }
                x[row * v + codes[(int) (from + p)]] = 1f;
                classes[row] = codes[(int) (from + p + 1)];
            }
        }
    }
}
