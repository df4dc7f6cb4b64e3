package org.bptt.examples.gated;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;

import org.bptt.api.data.Batch;
import org.bptt.api.data.Task;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.tensor.Tensor;
import org.bptt.training.BpttTrainer;
import org.bptt.training.wiring.PluginChoice;
import org.bptt.training.plugin.Plugins;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The cells learn with every built-in initializer, the default (orthogonal, applied per gate
 * block to the 3H×H or 4H×H recurrent matrix) first: the adding problem (T = 30, the sum of
 * two marked values read at the last step), whose input-blind baseline is 1/12 ≈ 0.083 in
 * ½-squared-error units. Trained with Adam and autoclip for 1500 iterations, the loss must fall
 * below 2% of it (measured: 0.07–0.6%, the LSTM slower than the GRU).
 */
final class TestTraining {

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource({"gru, orthogonal", "lstm, orthogonal", "gru, xavier", "lstm, xavier", "gru, uniform", "lstm, uniform",
                "gru, identity", "lstm, identity", "gru, spectral", "lstm, spectral"})
    void learnsTheAddingProblem(String cell, String init) {
        Plugins plugins = Plugins.discover();
        Task task = plugins.tasks().get("adding").create(PluginOptions.empty("adding").with("steps", 30));
        String backend = Fixtures.simdAvailable() ? "simd" : "scalar";
        Fixtures.Setup setup = new Fixtures.Setup(cell, task.inputSize(), 24, task.outputSize(), task.defaultLoss(),
                new PluginChoice("adam", Map.of("lr", "0.01")), PluginChoice.of("autoclip"), PluginChoice.of("full"),
                PluginChoice.of(init), true);
        BpttTrainer t = setup.trainer(backend, 1, 3);
        // The initializer gave the recurrent matrix one block per gate, none of them zero.
        Tensor w = t.model().params().get("weight_hh");
        int h = 24;
        for (int block = 0; block < w.rows() / h; block++) {
            double sq = 0;
            for (int i = block * h * h; i < (block + 1) * h * h; i++) {
                sq += (double) w.data()[i] * w.data()[i];
            }
            assertTrue(sq > 0.1, init + " left gate block " + block + " of weight_hh (nearly) zero: " + sq);
        }
        Batch batch = task.newBatch(32);
        SplittableRandom data = new SplittableRandom(9);
        double recent = 0;
        int iterations = 1500;
        for (int i = 0; i < iterations; i++) {
            task.fill(batch, data);
            double loss = t.trainStep(batch).loss();
            assertTrue(Double.isFinite(loss), "iteration " + i + ": loss " + loss);
            if (i >= iterations - 50) {
                recent += loss / 50;
            }
        }
        double baseline = task.baselineLoss();
        assertTrue(recent < 0.02 * baseline, cell + " with " + init + ": mean loss of the last 50 iterations " + recent
                + ", the input-blind baseline is " + baseline);
    }
}
