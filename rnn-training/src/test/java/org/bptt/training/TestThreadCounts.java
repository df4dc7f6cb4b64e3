package org.bptt.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.bptt.api.data.Batch;
import org.bptt.api.tensor.ParameterSet;
import org.bptt.api.tensor.Tensor;
import org.bptt.training.wiring.PluginChoice;
import org.bptt.training.wiring.TrainingModule;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Training gives the same bits on any thread count. With 2 or more threads the cell splits
 * the batch into parts that run whole windows on their own threads, and the kernels split
 * big products over blocks of C; neither may change a single bit. Sizes are awkward on
 * purpose: vector tails in every row, uneven parts, overlapping truncation windows.
 */
final class TestThreadCounts {

    /** With 13 steps, out = 65 and batch ≥ 21 give windows big enough for the loss to be split over steps too. */
    @ParameterizedTest(name = "{0} hid={1} batch={2} out={3} relu={4} ce={5}")
    @CsvSource({
        "auto, 37, 21, 7, false, true",
        "auto, 37, 27, 7, true, true",
        "auto, 64, 32, 7, false, true",
        "auto, 37, 21, 65, false, true",
        "auto, 19, 24, 65, true, false",
    })
    void trainingIsBitwiseIdenticalForAnyThreadCount(
            String backend, int hid, int batch, int out, boolean relu, boolean ce) {
        boolean[] lossSteps = Batch.allSteps(13);
        lossSteps[4] = false;
        Problems pr = new Problems(3, 5, hid, out, 13, batch, relu, ce, lossSteps);
        PluginChoice[] truncations = {new PluginChoice("tbptt", Map.of("k1", "3", "k2", "5")), PluginChoice.of("full")};
        for (PluginChoice truncation : truncations) {
            float[][] one = train(pr, backend, 1, truncation);
            for (int threads : new int[] {2, 3}) {
                float[][] many = train(pr, backend, threads, truncation);
                for (int i = 0; i < one.length; i++) {
                    assertArrayEquals(
                            one[i],
                            many[i],
                            "parameter " + i + " after training with " + truncation.name() + " on " + threads
                                    + " threads");
                }
            }
        }
    }

    /** Eight iterations with per-window updates and clipping; returns every parameter, then the losses. */
    private static float[][] train(Problems pr, String backend, int threads, PluginChoice truncation) {
        BpttTrainer trainer = TrainingModule.trainer(pr.config(
                backend,
                threads,
                new PluginChoice("adam", Map.of("lr", "0.01")),
                new PluginChoice("clip-norm", Map.of("threshold", "0.5")),
                truncation,
                TrainerSettings.defaults()));
        assertEquals(threads, trainer.kernels().threads(), "the backend runs the thread count asked for");
        Batch batch = pr.batchOf();
        float[] losses = new float[8];
        for (int it = 0; it < losses.length; it++) {
            losses[it] = (float) trainer.trainStep(batch).loss;
        }
        assertTrue(losses[losses.length - 1] < losses[0], "training lowers the loss");
        ParameterSet params = trainer.model().params();
        float[][] all = new float[params.count() + 1][];
        for (int i = 0; i < params.count(); i++) {
            Tensor t = params.get(i);
            all[i] = t.data().clone();
        }
        all[params.count()] = losses;
        return all;
    }
}
