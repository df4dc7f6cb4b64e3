package org.bptt.examples.gated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Map;
import java.util.SplittableRandom;

import org.bptt.api.data.Batch;
import org.bptt.api.tensor.ParameterSet;
import org.bptt.api.tensor.Tensor;
import org.bptt.training.BpttTrainer;
import org.bptt.training.wiring.PluginChoice;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Training gives the same bits on 1, 2 and 3 kernel threads: online TBPTT(k1 &lt; k2) with
 * Adam and autoclip over several iterations, a batch that splits into uneven parts (37 rows:
 * parts of 12 and 25, or 12, 12 and 13), and an H that is no multiple of the vector width.
 * Also a large H, where the batch is not split and the kernels split each product instead.
 */
final class TestThreadCounts {

    @ParameterizedTest(name = "{0} H={1} B={2}")
    @CsvSource({"gru, 21, 37", "lstm, 21, 37", "gru, 600, 9", "lstm, 520, 9"})
    void resultsDoNotDependOnTheThreadCount(String cell, int hid, int batchSize) {
        Assumptions.assumeTrue(Fixtures.simdAvailable(), "jdk.incubator.vector is not in the boot layer");
        Fixtures.Setup setup = new Fixtures.Setup(cell, 5, hid, 4, "ce",
                new PluginChoice("adam", Map.of("lr", "0.01")), new PluginChoice("autoclip", Map.of("percentile", "50")),
                new PluginChoice("tbptt", Map.of("k1", "3", "k2", "7")), PluginChoice.of("orthogonal"), true);
        int steps = 13;
        Batch batch = setup.batch(new SplittableRandom(3), batchSize, steps, Batch.allSteps(steps));
        ParameterSet reference = null;
        double[] referenceLosses = null;
        for (int threads = 1; threads <= 3; threads++) {
            BpttTrainer t = setup.trainer("simd", threads, 11);
            assertEquals(threads, t.kernels().threads());
            double[] losses = new double[4];
            for (int i = 0; i < losses.length; i++) {
                losses[i] = t.trainStep(batch).loss();
                assertTrue(Double.isFinite(losses[i]), "loss " + losses[i]);
            }
            if (reference == null) {
                reference = t.model().params().copy();
                referenceLosses = losses;
                continue;
            }
            for (int i = 0; i < losses.length; i++) {
                assertEquals(Double.doubleToRawLongBits(referenceLosses[i]), Double.doubleToRawLongBits(losses[i]),
                        cell + ": loss of iteration " + i + " on " + threads + " threads");
            }
            for (Tensor p : t.model().params()) {
                float[] e = reference.get(p.name()).data();
                float[] a = p.data();
                for (int i = 0; i < a.length; i++) {
                    if (Float.floatToRawIntBits(e[i]) != Float.floatToRawIntBits(a[i])) {
                        fail(cell + ": " + p.name() + "[" + i + "] is " + a[i] + " on " + threads + " threads, " + e[i] + " on one");
                    }
                }
            }
        }
    }
}
