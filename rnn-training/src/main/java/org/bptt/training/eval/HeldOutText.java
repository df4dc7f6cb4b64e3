package org.bptt.training.eval;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.bptt.api.data.Batch;
import org.bptt.api.data.Targets;
import org.bptt.api.data.Task;
import org.bptt.api.plugin.ConfigurationException;

/**
 * A text held out whole, for evaluating a character model on something other than the held-out
 * part of its training text: encoded with the model's own vocabulary (class i is symbol i), its
 * windows of T + 1 characters are the held-out sequences ({@link #fillHeldOut}) and the whole
 * text, in order, is the held-out stream ({@link #fillHeldOutStream}). It has nothing to train
 * on ({@link #fill} refuses). Not thread-safe.
 */
public final class HeldOutText implements Task {
    private final String name;
    private final List<String> vocabulary;
    private final int[] text;
    private final int steps;
    private final boolean[] lossSteps;

    private HeldOutText(String name, List<String> vocabulary, int[] text, int steps) {
        this.name = name;
        this.vocabulary = vocabulary;
        this.text = text;
        this.steps = steps;
        this.lossSteps = Batch.allSteps(steps);
    }

    /**
     * A UTF-8 text file held out whole under a character model's vocabulary, in windows of the
     * sequence length the model was trained with; one sentence for a file that cannot be read or
     * a model that is not a character model.
     */
    public static HeldOutText read(
            java.nio.file.Path file, org.bptt.training.Network net, org.bptt.training.plugin.Plugins plugins) {
        if (net.vocabulary().isEmpty()) {
            throw new ConfigurationException("a text evaluates a character model, and this run's task "
                    + net.config().task().name() + " is not one");
        }
        String content;
        try {
            content = java.nio.charset.StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(java.nio.file.Files.readAllBytes(file)))
                    .toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ConfigurationException("'" + file + "' is not valid UTF-8; save it as UTF-8");
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ConfigurationException("'" + file + "' does not exist; give a UTF-8 text file");
        } catch (java.io.IOException e) {
            throw new ConfigurationException("'" + file + "' cannot be read (" + e.getMessage() + ")");
        }
        return of(file.toString(), content, net.vocabulary(), trainingSteps(net, plugins));
    }

    /** The sequence length the model was trained with: its task's option, or that option's default. */
    private static int trainingSteps(org.bptt.training.Network net, org.bptt.training.plugin.Plugins plugins) {
        String steps = net.config().task().options().get("steps");
        if (steps == null) {
            steps =
                    plugins
                            .registry(org.bptt.training.plugin.PluginFamily.TASK)
                            .get(net.config().task().name())
                            .parameters()
                            .stream()
                            .filter(p -> p.name().equals("steps"))
                            .map(p -> p.defaultValue())
                            .findFirst()
                            .orElseThrow(() -> new ConfigurationException(
                                    "the task " + net.config().task().name()
                                            + " declares no sequence length 'steps' to cut the text's windows by"));
        }
        return Integer.parseInt(steps.trim());
    }

    /**
     * {@code content} encoded with {@code vocabulary}; {@code name} names it in messages. A leading
     * byte-order mark is dropped.
     *
     * @throws ConfigurationException naming the first character (and its position, counted in
     *     characters from 0) that is not in the vocabulary, or when the text has fewer than
     *     {@code steps} + 1 characters
     */
    public static HeldOutText of(String name, String content, List<String> vocabulary, int steps) {
        requireNonNull(content, "content is null");
        if (vocabulary.isEmpty()) {
            throw new IllegalArgumentException("a held-out text needs a character model's vocabulary");
        }
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1, got " + steps);
        }
        Map<Integer, Integer> index = new HashMap<>();
        for (int i = 0; i < vocabulary.size(); i++) {
            index.put(vocabulary.get(i).codePointAt(0), i);
        }
        String body = !content.isEmpty() && content.codePointAt(0) == 0xFEFF ? content.substring(1) : content;
        int[] codes = body.codePoints().toArray();
        for (int i = 0; i < codes.length; i++) {
            Integer c = index.get(codes[i]);
            if (c == null) {
                throw new ConfigurationException(
                        "the text '" + name + "' has the character " + describe(codes[i]) + " at position " + i
                                + ", which is not in the model's vocabulary of " + vocabulary.size() + " characters");
            }
            codes[i] = c;
        }
        if (codes.length < steps + 1L) {
            throw new ConfigurationException(
                    "the text '" + name + "' has " + codes.length + " characters; evaluating the model "
                            + "needs at least its sequence length + 1 = " + (steps + 1L));
        }
        return new HeldOutText(name, List.copyOf(vocabulary), codes, steps);
    }

    /** A code point as people read it: {@code 'é' (U+00E9)}, or only the code for an invisible one. */
    static String describe(int codePoint) {
        String code = String.format("U+%04X", codePoint);
        return Character.isISOControl(codePoint) || Character.isWhitespace(codePoint) || !Character.isDefined(codePoint)
                ? code
                : "'" + Character.toString(codePoint) + "' (" + code + ")";
    }

    /** Number of characters. */
    public int length() {
        return text.length;
    }

    @Override
    public int inputSize() {
        return vocabulary.size();
    }

    @Override
    public int outputSize() {
        return vocabulary.size();
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
    public List<String> vocabulary() {
        return vocabulary;
    }

    @Override
    public boolean hasHeldOut() {
        return true;
    }

    @Override
    public long heldOutStreamSteps() {
        return text.length - 1L;
    }

    @Override
    public Batch newBatch(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        int rows = Math.multiplyExact(steps, batchSize);
        return new Batch(
                batchSize,
                steps,
                vocabulary.size(),
                new float[Math.multiplyExact(rows, vocabulary.size())],
                Targets.classes(new int[rows]),
                lossSteps.clone(),
                null);
    }

    /** Refused: the whole text is held out. */
    @Override
    public void fill(Batch batch, RandomGenerator random) {
        throw new UnsupportedOperationException(
                "the text '" + name + "' is held out whole; there is nothing to train on");
    }

    /** Windows of T + 1 characters at uniformly random offsets. */
    @Override
    public void fillHeldOut(Batch batch, RandomGenerator random) {
        int nb = batch.batch();
        int v = vocabulary.size();
        float[] x = batch.x();
        int[] classes = batch.targets().classes();
        Arrays.fill(x, 0f);
        for (int b = 0; b < nb; b++) {
            int start = random.nextInt(text.length - steps);
            for (int t = 0; t < steps; t++) {
                int row = t * nb + b;
                x[row * v + text[start + t]] = 1f;
                classes[row] = text[start + t + 1];
            }
        }
    }

    @Override
    public void fillHeldOutStream(Batch batch, long[] starts) {
        int nb = batch.batch();
        int v = vocabulary.size();
        float[] x = batch.x();
        int[] classes = batch.targets().classes();
        Arrays.fill(x, 0f);
        long n = heldOutStreamSteps();
        for (int b = 0; b < nb; b++) {
            for (int t = 0; t < steps; t++) {
                long p = starts[b] + t;
                int row = t * nb + b;
                if (p < 0 || p >= n) {
                    classes[row] = 0;
                    continue;
                }
                x[row * v + text[(int) p]] = 1f;
                classes[row] = text[(int) p + 1];
            }
        }
    }

    @Override
    public String describe() {
        return "text(" + name + ", V=" + vocabulary.size() + ", T=" + steps + ", " + text.length
                + " characters held out)";
    }
}
