package org.bptt.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.bptt.api.data.Task;
import org.bptt.plugins.task.TextTask;
import org.bptt.training.config.RunConfig;
import org.bptt.training.eval.EvaluationSettings;
import org.bptt.training.eval.HeldOutEvaluator;
import org.bptt.training.eval.StreamedEvaluator;
import org.bptt.training.plugin.PluginFamily;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.run.Evaluation;
import org.bptt.training.wiring.PluginChoice;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streamed held-out measure against {@link ReferenceRnn}, a scalar double-precision twin run
 * over the same held-out code points with the same weights: one stream from a zero state (S = 1),
 * and S segments, each of which must be exactly the twin's stream over that segment's steps from
 * its own zero state.
 */
final class TestStreamedEvaluation {
    private static final Plugins PLUGINS = Plugins.discover();
    private static final int HIDDEN = 8;
    private static final int STEPS = 16;
    /** Float kernels against a double twin: a loss per step. */
    private static final double TOLERANCE = 1e-5;
    /**
     * The same for a sum of ~5000 nats over 3199 steps (the float states' rounding, about 1e-5
     * nats here), a hundred times finer than what the six restarts change (0.77 nats here).
     */
    private static final double TOTAL_TOLERANCE = 1e-3;

    @TempDir
    static Path dir;

    static TextTask task;
    static Network net;
    static int[] held;
    static double[][] params;

    /** A text of a few thousand characters, so that the held-out part has several blocks of 1000. */
    @BeforeAll
    static void trainASmallModel() throws IOException {
        String[] words = {"the", "cat", "sat", "on", "a", "mat,", "and", "then", "it", "ran", "away.", "Why?", "because"
        };
        StringBuilder sb = new StringBuilder();
        SplittableRandom r = new SplittableRandom(5);
        while (sb.length() < 8000) {
            sb.append(words[r.nextInt(words.length)]).append(r.nextInt(9) == 0 ? "\n" : " ");
        }
        Path file = dir.resolve("words.txt");
        Files.writeString(file, sb.substring(0, 8000));
        RunConfig c = RunConfig.defaults().toBuilder()
                .task(PluginChoice.of("text")
                        .with("text", file.toString())
                        .with("steps", Integer.toString(STEPS))
                        .with("validation", "0.4"))
                .hidden(HIDDEN)
                .batch(16)
                .optimizer(PluginChoice.of("adam").with("lr", "0.01"))
                .build();
        task = (TextTask) PLUGINS.<Task>create(PluginFamily.TASK, c.task());
        net = Network.create(c, task, PLUGINS);
        net.fit(task, 60, FitListener.NONE);
        int[] codes = task.encodedText();
        held = java.util.Arrays.copyOfRange(codes, codes.length - task.heldOutLength(), codes.length);
        params = Problems.params(net.model().params());
    }

    /** The twin's loss at each held-out stream step in [from, to), the state starting at zero at {@code from}. */
    private static double[] twin(long from, long to) {
        ReferenceRnn ref = new ReferenceRnn(task.inputSize(), HIDDEN, task.outputSize(), false, true);
        double[] h = new double[HIDDEN];
        double[] losses = new double[(int) (to - from)];
        for (long p = from; p < to; p++) {
            double[] x = new double[task.inputSize()];
            x[held[(int) p]] = 1;
            h = ref.step(params, x, h);
            losses[(int) (p - from)] = ref.stepLoss(params, h, held[(int) p + 1], null);
        }
        return losses;
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double d : v) {
            s += d;
        }
        return s;
    }

    @Test
    void oneStreamIsTheTwinsStreamFromZero() {
        long n = held.length - 1;
        assertEquals(n, task.heldOutStreamSteps());
        StreamedEvaluator.Result r = new StreamedEvaluator(1).measure(net, task);
        double[] losses = twin(0, n);
        double total = sum(losses);
        assertEquals(n, r.steps());
        assertEquals(1, r.segments());
        assertEquals(total, r.totalNats(), TOTAL_TOLERANCE);
        assertEquals(total / n / Math.log(2), r.bitsPerStep(), TOLERANCE);
        // The standard error of the mean from the whole blocks of 1000 steps, computed here from the twin's losses.
        int blocks = (int) (n / StreamedEvaluator.BLOCK_STEPS);
        assertTrue(blocks >= 3, "the held-out text has " + blocks + " whole blocks");
        double[] means = new double[blocks];
        for (int k = 0; k < blocks; k++) {
            for (int i = 0; i < StreamedEvaluator.BLOCK_STEPS; i++) {
                means[k] += losses[k * StreamedEvaluator.BLOCK_STEPS + i] / StreamedEvaluator.BLOCK_STEPS;
            }
        }
        double mean = sum(means) / blocks;
        double ss = 0;
        for (double m : means) {
            ss += (m - mean) * (m - mean);
        }
        double se = Math.sqrt(ss / (blocks - 1) / blocks);
        assertEquals(se, r.natsPerStepError(), 1e-3 * se);
    }

    @Test
    void segmentsDifferFromOneStreamOnlyByTheirRestarts() {
        long n = held.length - 1;
        int s = 6;
        assertTrue(n % s != 0, "segments of unequal lengths");
        StreamedEvaluator.Result whole = new StreamedEvaluator(1).measure(net, task);
        StreamedEvaluator.Result cut = new StreamedEvaluator(s).measure(net, task);
        assertEquals(s, cut.segments());
        assertEquals(n, cut.steps());
        // Segment k covers steps [⌊kN/S⌋, ⌊(k+1)N/S⌋), its state starting at zero: the twin over exactly those steps.
        double segments = 0;
        double restarts = 0;
        double[] carried = twin(0, n);
        for (int k = 0; k < s; k++) {
            long from = k * n / s;
            long to = (k + 1) * n / s;
            double[] own = twin(from, to);
            segments += sum(own);
            for (int i = 0; i < own.length; i++) {
                restarts += own[i] - carried[(int) from + i];
            }
        }
        assertEquals(segments, cut.totalNats(), TOTAL_TOLERANCE);
        // What the restarts change is what the two measures differ by, and it is far above the tolerance.
        assertEquals(restarts, cut.totalNats() - whole.totalNats(), 2 * TOTAL_TOLERANCE);
        assertTrue(Math.abs(restarts) > 100 * TOTAL_TOLERANCE, "restarts change the sum by " + restarts + " nats");
    }

    @Test
    void theEvaluatorReportsTheStreamNextToTheWindows() {
        Evaluation e = new HeldOutEvaluator(
                        EvaluationSettings.defaults().withSequences(200).withStreamSegments(1))
                .evaluate(net, task);
        double total = sum(twin(0, held.length - 1));
        assertEquals(total / (held.length - 1) / Math.log(2), e.get("stream_bits_per_char"), TOLERANCE);
        assertEquals(1, e.get("stream_segments"));
        assertTrue(e.get("stream_bits_per_char_se") > 0);
        Evaluation none = new HeldOutEvaluator(
                        EvaluationSettings.defaults().withSequences(200).withStreamSegments(0))
                .evaluate(net, task);
        assertTrue(!none.has("stream_bits_per_char") && none.has("bits_per_char_se"));
        // The windows' figure does not depend on whether the stream is measured too.
        assertEquals(e.get("bits_per_char"), none.get("bits_per_char"), 0.0);
    }

    @Test
    void moreSegmentsThanStepsAreAsManyAsTheStepsAndZeroIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new StreamedEvaluator(0));
        assertThrows(
                org.bptt.api.plugin.ConfigurationException.class,
                () -> EvaluationSettings.defaults().withStreamSegments(EvaluationSettings.MAX_STREAM_SEGMENTS + 1));
        StreamedEvaluator.Result r = new StreamedEvaluator(EvaluationSettings.MAX_STREAM_SEGMENTS).measure(net, task);
        assertEquals(held.length - 1, r.segments());
        // Every segment is one step from zero: the twin's first-step loss at each position.
        double total = 0;
        for (long p = 0; p < held.length - 1; p++) {
            total += twin(p, p + 1)[0];
        }
        assertEquals(total, r.totalNats(), TOTAL_TOLERANCE);
    }
}
