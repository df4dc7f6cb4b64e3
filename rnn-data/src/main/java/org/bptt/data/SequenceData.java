package org.bptt.data;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Locale;

/**
 * N sequences of up to T steps, padded at the end, with their targets: what a data file holds,
 * checked. Arrays are sequence-major ({@code x[(n·T + t)·I + i]}) and not copied: do not modify
 * them after handing them over.
 *
 * @param source     where the data came from (a file name, or "arrays")
 * @param sequences  N
 * @param steps      T, the longest sequence
 * @param inputSize  I
 * @param x          N·T·I inputs; the padding may hold anything (it is never read)
 * @param lengths    the valid steps of each sequence, in [1, T]
 * @param kind       what the targets are
 * @param outputSize O for values, the number of classes for classes
 * @param values     N·T·O or N·O target values, or null
 * @param classes    N·T or N class ids, or null
 */
public record SequenceData(
        String source,
        int sequences,
        int steps,
        int inputSize,
        float[] x,
        int[] lengths,
        TargetKind kind,
        int outputSize,
        float[] values,
        int[] classes) {

    /** What a file's targets are, inferred from their shape and dtype. */
    public enum TargetKind {
        /** float [N, T, O]: a vector at every valid step (regression, mse). */
        STEP_VALUES,
        /** float [N, O]: a vector at each sequence's last valid step (mse). */
        SEQUENCE_VALUES,
        /** int [N, T]: a class at every valid step (ce). */
        STEP_CLASSES,
        /** int [N]: one class per sequence, read at its last valid step (ce). */
        SEQUENCE_CLASSES;

        public boolean classes() {
            return this == STEP_CLASSES || this == SEQUENCE_CLASSES;
        }

        public boolean perStep() {
            return this == STEP_VALUES || this == STEP_CLASSES;
        }
    }

    public SequenceData {
        requireNonNull(source, "source is null");
        requireNonNull(x, "x is null");
        requireNonNull(lengths, "lengths is null");
        requireNonNull(kind, "kind is null");
        if ((values == null) == (classes == null)) {
            throw new IllegalArgumentException("exactly one of values and classes must be given");
        }
        if (x.length != (long) sequences * steps * inputSize || lengths.length != sequences) {
            throw new IllegalArgumentException("x or lengths do not have N·T·I and N entries");
        }
        long rows = kind.perStep() ? (long) sequences * steps : sequences;
        if (kind.classes()
                ? classes == null || classes.length != rows
                : values == null || values.length != rows * outputSize) {
            throw new IllegalArgumentException("the targets do not match " + kind);
        }
    }

    /** Sequences [from, to), sharing nothing with this (copies). */
    public SequenceData slice(int from, int to) {
        int n = to - from;
        int perSeqX = steps * inputSize;
        int perSeqY = (kind.perStep() ? steps : 1) * (kind.classes() ? 1 : outputSize);
        return new SequenceData(
                source,
                n,
                steps,
                inputSize,
                Arrays.copyOfRange(x, from * perSeqX, to * perSeqX),
                Arrays.copyOfRange(lengths, from, to),
                kind,
                outputSize,
                values == null ? null : Arrays.copyOfRange(values, from * perSeqY, to * perSeqY),
                classes == null ? null : Arrays.copyOfRange(classes, from * perSeqY, to * perSeqY));
    }

    /** {@code ce} for classes, {@code mse} for values. */
    public String loss() {
        return kind.classes() ? "ce" : "mse";
    }

    /**
     * The loss of the best predictor that ignores its input: for classes the entropy of the
     * class frequencies (cross-entropy in nats of always predicting them), for values ½ Σ_j of
     * each component's variance (the loss ½‖o − y‖² of always predicting the mean).
     */
    public double baselineLoss() {
        long rows = 0;
        if (kind.classes()) {
            long[] count = new long[outputSize];
            for (int n = 0; n < sequences; n++) {
                for (int r : targetRows(n)) {
                    count[classes[r]]++;
                    rows++;
                }
            }
            double h = 0;
            for (long c : count) {
                if (c > 0) {
                    double p = (double) c / rows;
                    h -= p * Math.log(p);
                }
            }
            return h;
        }
        double[] sum = new double[outputSize];
        double[] sq = new double[outputSize];
        for (int n = 0; n < sequences; n++) {
            for (int r : targetRows(n)) {
                for (int j = 0; j < outputSize; j++) {
                    double v = values[r * outputSize + j];
                    sum[j] += v;
                    sq[j] += v * v;
                }
                rows++;
            }
        }
        double loss = 0;
        for (int j = 0; j < outputSize; j++) {
            double mean = sum[j] / rows;
            loss += 0.5 * Math.max(0, sq[j] / rows - mean * mean);
        }
        return loss;
    }

    /** The target rows of sequence n that carry a loss: each valid step, or the sequence's one row. */
    int[] targetRows(int n) {
        if (!kind.perStep()) {
            return new int[] {n};
        }
        int[] r = new int[lengths[n]];
        for (int t = 0; t < r.length; t++) {
            r[t] = n * steps + t;
        }
        return r;
    }

    /** e.g. "800 sequences of up to 50 steps (mean 31.2), 3 inputs; one of 5 classes per sequence, at its last step". */
    public String describe() {
        double mean = Arrays.stream(lengths).average().orElse(0);
        String targets = switch (kind) {
            case STEP_VALUES -> outputSize + " target value" + (outputSize == 1 ? "" : "s") + " at every step";
            case SEQUENCE_VALUES ->
                outputSize + " target value" + (outputSize == 1 ? "" : "s") + " per sequence, at its last step";
            case STEP_CLASSES -> "one of " + outputSize + " classes at every step";
            case SEQUENCE_CLASSES -> "one of " + outputSize + " classes per sequence, at its last step";
        };
        boolean ragged = Arrays.stream(lengths).anyMatch(l -> l != steps);
        return String.format(
                Locale.ROOT,
                "%d sequences of %s%d steps%s, %d input%s; %s",
                sequences,
                ragged ? "up to " : "",
                steps,
                ragged ? String.format(Locale.ROOT, " (mean %.1f)", mean) : "",
                inputSize,
                inputSize == 1 ? "" : "s",
                targets);
    }
}
