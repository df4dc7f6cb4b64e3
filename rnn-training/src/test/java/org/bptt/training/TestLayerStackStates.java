package org.bptt.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Map;
import org.bptt.api.data.Batch;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.wiring.PluginChoice;
import org.bptt.training.wiring.TrainingModule;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A stack copies its layers' states into the trainer's buffer only when asked for
 * ({@link BpttTrainer#states()}): every slot of every layer and direction must still be the
 * independent double-precision stack's ({@link ReferenceStack}), after whole sequences and after
 * TBPTT windows that continue one another; and a training step of a stack allocates nothing.
 */
final class TestLayerStackStates {
    @ParameterizedTest(name = "{0} layers={1} bidirectional={2} tbptt k1={3}")
    @CsvSource({"scalar, 2, false, 0", "auto, 3, false, 3", "scalar, 2, true, 0", "auto, 1, true, 0"})
    void everyLayersStateIsTheReferenceStacksAtEverySlot(String backend, int layers, boolean bidirectional, int k1) {
        Problems pr = new Problems(41, 3, 5, 4, 9, 3, false, true, Batch.allSteps(9));
        PluginChoice truncation =
                k1 > 0 ? new PluginChoice("tbptt", Map.of("k1", "" + k1, "k2", "" + k1)) : PluginChoice.of("full");
        Layers shape = new Layers(layers, bidirectional, 0, false);
        BpttTrainer trainer = TrainingModule.trainer(
                pr.config(
                        backend,
                        PluginChoice.of("sgd"),
                        PluginChoice.of("none"),
                        truncation,
                        TrainerSettings.defaults()),
                shape,
                Plugins.discover());
        LayerStack stack = (LayerStack) trainer.model().cell();
        Batch b = pr.batchOf();
        Batch batch = new Batch(b.batch(), b.steps(), b.inputSize(), b.x(), b.targets(), b.lossSteps(), null);
        // Fixed parameters, window after window as training runs them.
        trainer.gradients(batch, trainer.truncation().windows(pr.steps), null);
        ReferenceStack ref = new ReferenceStack(
                pr.in,
                pr.hid,
                pr.out,
                layers,
                bidirectional,
                false,
                true,
                trainer.model().params());
        int width = stack.stateWidth(pr.hid);
        int dirs = shape.directions();
        float[] states = trainer.states();
        for (int seq = 0; seq < pr.batch; seq++) {
            double[][][] o = ref.outputs(pr.x[seq], new double[layers * dirs][pr.hid], 0, pr.steps);
            for (int t = 0; t < pr.steps; t++) {
                int row = ((t + 1) * pr.batch + seq) * width;
                for (int l = 0; l < layers; l++) {
                    for (int d = 0; d < dirs; d++) {
                        for (int u = 0; u < pr.hid; u++) {
                            double expected = o[l][t][d * pr.hid + u];
                            String at =
                                    "layer " + l + " direction " + d + " step " + t + " sequence " + seq + " unit " + u;
                            assertEquals(expected, states[row + stack.stateOffset(l, d, pr.hid) + u], 1e-5, at);
                            if (l == layers - 1) {
                                assertEquals(expected, states[row + d * pr.hid + u], 1e-5, "top output, " + at);
                            }
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "layers={0} bidirectional={1}")
    @CsvSource({"2, false", "2, true"})
    void aStacksTrainingStepAndItsStateCopiesAllocateNothing(int layers, boolean bidirectional) {
        Problems pr = new Problems(43, 4, 16, 5, 12, 8, false, true, Batch.allSteps(12));
        BpttTrainer trainer = TrainingModule.trainer(
                pr.config(
                        "scalar",
                        PluginChoice.of("sgd"),
                        PluginChoice.of("none"),
                        PluginChoice.of("full"),
                        TrainerSettings.defaults()),
                new Layers(layers, bidirectional, 0, false),
                Plugins.discover());
        Batch b = pr.batchOf();
        Batch batch = new Batch(b.batch(), b.steps(), b.inputSize(), b.x(), b.targets(), b.lossSteps(), null);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        long perStep = Long.MAX_VALUE;
        long deadline = System.nanoTime() + 60_000_000_000L;
        // Time-bounded: on a busy machine the JIT may take a while to compile the step.
        while (perStep > 64 && System.nanoTime() < deadline) {
            for (int k = 0; k < 200; k++) {
                trainer.trainStep(batch);
                trainer.stateGradients();
            }
            long before = mx.getThreadAllocatedBytes(id);
            for (int k = 0; k < 50; k++) {
                trainer.trainStep(batch);
                trainer.states();
                trainer.stateGradients();
            }
            perStep = (mx.getThreadAllocatedBytes(id) - before) / 50;
        }
        assertTrue(perStep <= 64, "a step of the stack allocates " + perStep + " bytes");
    }
}
