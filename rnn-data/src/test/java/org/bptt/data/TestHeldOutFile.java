package org.bptt.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.bptt.training.FitListener;
import org.bptt.training.Network;
import org.bptt.training.eval.EvaluationSettings;
import org.bptt.training.eval.HeldOutEvaluator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A held-out file is evaluated without replacement: every sequence once, whatever number is asked for beyond it. */
final class TestHeldOutFile {
    @TempDir
    Path dir;

    @Test
    void everyHeldOutSequenceCountsOnce() throws IOException {
        Fixtures.Ragged train = Fixtures.ragged(1, 40, 7, 3, 3);
        // 150 sequences: a whole block of HeldOutEvaluator.BLOCK and a part of the next.
        Fixtures.Ragged held = Fixtures.ragged(2, 150, 7, 3, 3);
        Path t = dir.resolve("train.npz");
        Path h = dir.resolve("held.npz");
        Fixtures.writeNpz(t, train, train.x(), true);
        Fixtures.writeNpz(h, held, Fixtures.padded(held, 2, 3), true);
        ArrayTask task = ArrayTask.of(DataFiles.read(t, 0), DataFiles.read(h, 0));
        assertEquals(150, task.heldOutSequences());
        Network net = Fixtures.network("vanilla", task, 4);
        net.fit(30, FitListener.NONE);

        // The reference: each held-out sequence's class read at its last step, counted once.
        float[] o = Predictions.readouts(net, held.x(), held.n(), held.t(), held.lengths(), 16);
        int right = 0;
        for (int a = 0; a < held.n(); a++) {
            int at = (a * held.t() + held.lengths()[a] - 1) * 3;
            int best = 0;
            for (int c = 1; c < 3; c++) {
                best = o[at + c] > o[at + best] ? c : best;
            }
            right += best == held.labels()[a] ? 1 : 0;
        }
        assertTrue(right > 0 && right < held.n(), "a checker needs both right and wrong answers: " + right);
        for (int asked : new int[] {150, 1000}) {
            Map<String, Double> m = new HeldOutEvaluator(
                            EvaluationSettings.defaults().withSequences(asked))
                    .evaluate(net, task)
                    .metrics();
            assertEquals(150.0, m.get("sequences"), "asked for " + asked);
            assertEquals((double) right / held.n(), m.get("accuracy"), 1e-12, "asked for " + asked);
        }
        // Fewer than there are: the first ones, each once.
        Map<String, Double> few = new HeldOutEvaluator(
                        EvaluationSettings.defaults().withSequences(120))
                .evaluate(net, task)
                .metrics();
        assertEquals(120.0, few.get("sequences"));
    }
}
