package org.bptt.data;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.bptt.api.data.Batch;
import org.bptt.api.data.Targets;
import org.bptt.api.data.Task;
import org.bptt.data.SequenceData.TargetKind;

/**
 * A task over a fixed set of sequences ({@link SequenceData}, read from a file or made from
 * arrays). Training goes through the data in epochs: each sequence once per epoch, in an order
 * drawn from the run's seed and the epoch, B sequences per batch, so batch k of a run is a pure
 * function of (seed, k) and a resumed run sees the same batches. Sequences shorter than T are
 * padded at the end ({@link Batch#lengths}); a target per sequence sits at its last valid step.
 * Held-out sequences come from a second set (a validation file, or the last part of the data).
 *
 * <p>Not thread-safe (the epoch order is kept between fills); a fill allocates nothing except
 * when an epoch starts, which draws that epoch's order.
 */
public final class ArrayTask implements Task {
    private final SequenceData train;
    private final SequenceData heldOut;
    private final int steps;
    private final int[] order;
    private long orderEpoch = -1;
    private long orderSeed;

    private ArrayTask(SequenceData train, SequenceData heldOut) {
        this.train = requireNonNull(train, "train is null");
        this.heldOut = heldOut;
        if (heldOut != null
                && (heldOut.inputSize() != train.inputSize()
                        || heldOut.kind() != train.kind()
                        || heldOut.outputSize() > train.outputSize()
                        || (!train.kind().classes() && heldOut.outputSize() != train.outputSize()))) {
            throw new DataFileException(
                    heldOut.source(),
                    "does not match the training data " + train.source() + " (" + heldOut.describe() + " against "
                            + train.describe() + ")");
        }
        this.steps = heldOut == null ? train.steps() : Math.max(train.steps(), heldOut.steps());
        this.order = new int[train.sequences()];
    }

    /** Trains on {@code train}, holds out {@code heldOut} (may be null: nothing held out). */
    public static ArrayTask of(SequenceData train, SequenceData heldOut) {
        return new ArrayTask(train, heldOut);
    }

    /**
     * The sequences of {@code file} held out, for evaluating a model of {@code outputs} outputs:
     * class ids are read against the model's classes, so an id it cannot output is refused.
     */
    public static ArrayTask heldOut(java.nio.file.Path file, int outputs) {
        SequenceData d = DataFiles.read(file, 0);
        if (d.kind().classes()) {
            d = DataFiles.read(file, outputs);
        }
        return new ArrayTask(d, d);
    }

    /** Trains on {@code data}, holding out its last {@code fraction} of sequences (0: none). */
    public static ArrayTask of(SequenceData data, double fraction) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("the held-out fraction must be in [0, 1), got " + fraction);
        }
        int held = (int) Math.round(data.sequences() * fraction);
        if (held == 0) {
            return new ArrayTask(data, null);
        }
        if (held >= data.sequences()) {
            throw new DataFileException(
                    data.source(),
                    "has " + data.sequences() + " sequences, too few to hold out " + fraction + " of them");
        }
        int cut = data.sequences() - held;
        return new ArrayTask(data.slice(0, cut), data.slice(cut, data.sequences()));
    }

    /** Regression at every valid step: x [N][T][I], y [N][T][O], lengths (null: every sequence has T steps). */
    public static ArrayTask of(float[][][] x, float[][][] y, int[] lengths) {
        Shape s = Shape.of(x, lengths);
        int o = y.length == 0 || y[0].length == 0 ? 0 : y[0][0].length;
        float[] values = new float[s.n * s.t * o];
        requireRows(y.length, s.n, "y");
        for (int n = 0; n < s.n; n++) {
            requireRows(y[n].length, s.t, "y[" + n + "]");
            for (int t = 0; t < s.t; t++) {
                requireRows(y[n][t].length, o, "y[" + n + "][" + t + "]");
                System.arraycopy(y[n][t], 0, values, (n * s.t + t) * o, o);
            }
        }
        return checked(
                new SequenceData("arrays", s.n, s.t, s.i, s.x, s.lengths, TargetKind.STEP_VALUES, o, values, null));
    }

    /** Regression at each sequence's last valid step: x [N][T][I], y [N][O]. */
    public static ArrayTask of(float[][][] x, float[][] y, int[] lengths) {
        Shape s = Shape.of(x, lengths);
        requireRows(y.length, s.n, "y");
        int o = y.length == 0 ? 0 : y[0].length;
        float[] values = new float[s.n * o];
        for (int n = 0; n < s.n; n++) {
            requireRows(y[n].length, o, "y[" + n + "]");
            System.arraycopy(y[n], 0, values, n * o, o);
        }
        return checked(
                new SequenceData("arrays", s.n, s.t, s.i, s.x, s.lengths, TargetKind.SEQUENCE_VALUES, o, values, null));
    }

    /** One class per sequence, at its last valid step: x [N][T][I], labels [N] (ids from 0). */
    public static ArrayTask of(float[][][] x, int[] labels, int[] lengths) {
        Shape s = Shape.of(x, lengths);
        requireRows(labels.length, s.n, "labels");
        int classes = Arrays.stream(labels).max().orElse(0) + 1;
        return checked(new SequenceData(
                "arrays",
                s.n,
                s.t,
                s.i,
                s.x,
                s.lengths,
                TargetKind.SEQUENCE_CLASSES,
                Math.max(2, classes),
                null,
                labels.clone()));
    }

    /** A class at every valid step: x [N][T][I], labels [N][T]. */
    public static ArrayTask of(float[][][] x, int[][] labels, int[] lengths) {
        Shape s = Shape.of(x, lengths);
        requireRows(labels.length, s.n, "labels");
        int[] ids = new int[s.n * s.t];
        int max = 1;
        for (int n = 0; n < s.n; n++) {
            requireRows(labels[n].length, s.t, "labels[" + n + "]");
            System.arraycopy(labels[n], 0, ids, n * s.t, s.t);
            for (int t = 0; t < s.lengths[n]; t++) {
                max = Math.max(max, labels[n][t]);
            }
        }
        return checked(
                new SequenceData("arrays", s.n, s.t, s.i, s.x, s.lengths, TargetKind.STEP_CLASSES, max + 1, null, ids));
    }

    private static ArrayTask checked(SequenceData d) {
        if (d.classes() != null) {
            for (int n = 0; n < d.sequences(); n++) {
                for (int r : d.targetRows(n)) {
                    if (d.classes()[r] < 0) {
                        throw new IllegalArgumentException(
                                "class ids start at 0, got " + d.classes()[r] + " for sequence " + n);
                    }
                }
            }
        }
        return new ArrayTask(d, null);
    }

    private record Shape(int n, int t, int i, float[] x, int[] lengths) {
        static Shape of(float[][][] x, int[] lengths) {
            if (x.length == 0 || x[0].length == 0 || x[0][0].length == 0) {
                throw new IllegalArgumentException("x must hold at least one sequence of one step of one input");
            }
            int n = x.length;
            int t = x[0].length;
            int i = x[0][0].length;
            float[] flat = new float[n * t * i];
            for (int a = 0; a < n; a++) {
                requireRows(x[a].length, t, "x[" + a + "]");
                for (int b = 0; b < t; b++) {
                    requireRows(x[a][b].length, i, "x[" + a + "][" + b + "]");
                    System.arraycopy(x[a][b], 0, flat, (a * t + b) * i, i);
                }
            }
            int[] len = new int[n];
            if (lengths == null) {
                Arrays.fill(len, t);
            } else {
                requireRows(lengths.length, n, "lengths");
                for (int a = 0; a < n; a++) {
                    if (lengths[a] < 1 || lengths[a] > t) {
                        throw new IllegalArgumentException(
                                "lengths[" + a + "] is " + lengths[a] + ", expected 1 to T = " + t);
                    }
                    len[a] = lengths[a];
                }
            }
            return new Shape(n, t, i, flat, len);
        }
    }

    private static void requireRows(int got, int want, String what) {
        if (got != want) {
            throw new IllegalArgumentException(what + " has " + got + " entries, expected " + want);
        }
    }

    /** The training sequences. */
    public SequenceData data() {
        return train;
    }

    /** The held-out sequences, or null. */
    public SequenceData heldOut() {
        return heldOut;
    }

    @Override
    public int inputSize() {
        return train.inputSize();
    }

    @Override
    public int outputSize() {
        return train.outputSize();
    }

    @Override
    public int steps() {
        return steps;
    }

    @Override
    public String defaultLoss() {
        return train.loss();
    }

    @Override
    public double baselineLoss() {
        return train.baselineLoss();
    }

    @Override
    public boolean hasHeldOut() {
        return heldOut != null;
    }

    @Override
    public String describe() {
        SequenceData d = train;
        String what = switch (d.kind()) {
            case STEP_VALUES -> d.outputSize() + " values per step";
            case SEQUENCE_VALUES -> d.outputSize() + " values per sequence";
            case STEP_CLASSES -> d.outputSize() + " classes per step";
            case SEQUENCE_CLASSES -> d.outputSize() + " classes per sequence";
        };
        return "data(" + d.source() + ": " + d.sequences() + " sequences, T=" + steps + ", " + what + ")";
    }

    /** Everything inferred from the data: sizes, targets, loss, baseline and what counts as success. */
    public String describeKind() {
        return String.format(
                Locale.ROOT,
                "%s: %s; loss %s (baseline %.4g, the loss of ignoring the input); %s%s",
                train.source(),
                train.describe(),
                train.loss(),
                train.baselineLoss(),
                train.kind().classes()
                        ? "judged by accuracy (the arg-max output is the target class)"
                        : "judged by the mean squared error",
                heldOut == null
                        ? "; nothing held out"
                        : "; held out: " + heldOut.sequences() + " sequences (" + heldOut.source() + ")");
    }

    @Override
    public Batch newBatch(int batchSize) {
        TargetKind k = train.kind();
        int rows = steps * batchSize;
        Targets targets = k.classes()
                ? Targets.classes(new int[rows])
                : Targets.vectors(new float[rows * train.outputSize()], train.outputSize());
        boolean[] lossSteps = k.perStep() ? Batch.allSteps(steps) : Batch.lastStep(steps);
        return new Batch(
                batchSize,
                steps,
                train.inputSize(),
                new float[rows * train.inputSize()],
                targets,
                lossSteps,
                null,
                new int[batchSize]);
    }

    /** B sequences drawn at random with replacement (for diagnostics, which do not go through epochs). */
    @Override
    public void fill(Batch batch, RandomGenerator random) {
        for (int b = 0; b < batch.batch(); b++) {
            put(train, random.nextInt(train.sequences()), batch, b);
        }
    }

    /** Batch {@code iteration} of epoch-wise training: sequences [k·B, (k + 1)·B) of the stream of epochs. */
    @Override
    public void fill(Batch batch, RandomGenerator random, long seed, long iteration) {
        int n = train.sequences();
        long first = iteration * batch.batch();
        for (int b = 0; b < batch.batch(); b++) {
            long k = first + b;
            long epoch = k / n;
            if (epoch != orderEpoch || seed != orderSeed) {
                drawOrder(seed, epoch);
            }
            put(train, order[(int) (k % n)], batch, b);
        }
    }

    /** Fisher–Yates from a generator seeded by (seed, epoch). */
    private void drawOrder(long seed, long epoch) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ (epoch + 1) * 0xC2B2AE3D27D4EB4FL);
        for (int j = 0; j < order.length; j++) {
            order[j] = j;
        }
        for (int j = order.length - 1; j > 0; j--) {
            int s = r.nextInt(j + 1);
            int tmp = order[j];
            order[j] = order[s];
            order[s] = tmp;
        }
        orderEpoch = epoch;
        orderSeed = seed;
    }

    @Override
    public void fillHeldOut(Batch batch, RandomGenerator random) {
        if (heldOut == null) {
            throw new IllegalStateException(describe() + " holds nothing out");
        }
        for (int b = 0; b < batch.batch(); b++) {
            put(heldOut, random.nextInt(heldOut.sequences()), batch, b);
        }
    }

    @Override
    public void fillHeldOut(Batch batch, long first, RandomGenerator random) {
        if (heldOut == null) {
            throw new IllegalStateException(describe() + " holds nothing out");
        }
        for (int b = 0; b < batch.batch(); b++) {
            put(heldOut, (int) ((first + b) % heldOut.sequences()), batch, b);
        }
    }

    @Override
    public long heldOutSequences() {
        return heldOut == null ? -1 : heldOut.sequences();
    }

    /**
     * Copies sequence {@code n} of {@code d} into column {@code b} of the batch, zeros past its
     * length: the trainer would zero them anyway, and diagnostics that run the cell on a batch
     * directly never see what a file kept in its padding.
     */
    private void put(SequenceData d, int n, Batch batch, int b) {
        int nb = batch.batch();
        int in = d.inputSize();
        int dt = d.steps();
        int len = d.lengths()[n];
        float[] x = batch.x();
        for (int t = 0; t < steps; t++) {
            int at = (t * nb + b) * in;
            if (t < len) {
                System.arraycopy(d.x(), (n * dt + t) * in, x, at, in);
            } else {
                Arrays.fill(x, at, at + in, 0f);
            }
        }
        batch.lengths()[b] = len;
        Targets targets = batch.targets();
        int o = d.outputSize();
        switch (d.kind()) {
            case STEP_CLASSES -> {
                for (int t = 0; t < steps; t++) {
                    targets.classes()[t * nb + b] = t < len ? d.classes()[n * dt + t] : 0;
                }
            }
            case SEQUENCE_CLASSES -> {
                for (int t = 0; t < steps; t++) {
                    targets.classes()[t * nb + b] = t == len - 1 ? d.classes()[n] : 0;
                }
            }
            case STEP_VALUES -> {
                for (int t = 0; t < steps; t++) {
                    int at = (t * nb + b) * o;
                    if (t < len) {
                        System.arraycopy(d.values(), (n * dt + t) * o, targets.values(), at, o);
                    } else {
                        Arrays.fill(targets.values(), at, at + o, 0f);
                    }
                }
            }
            case SEQUENCE_VALUES -> {
                for (int t = 0; t < steps; t++) {
                    int at = (t * nb + b) * o;
                    if (t == len - 1) {
                        System.arraycopy(d.values(), n * o, targets.values(), at, o);
                    } else {
                        Arrays.fill(targets.values(), at, at + o, 0f);
                    }
                }
            }
        }
    }
}
