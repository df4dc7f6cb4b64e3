package org.bptt.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.bptt.api.data.Batch;
import org.bptt.api.gradient.GradientPolicy;
import org.bptt.api.gradient.PolicyReport;
import org.bptt.api.kernel.Kernels;
import org.bptt.api.tensor.ParameterSet;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.wiring.PluginChoice;
import org.bptt.training.wiring.TrainingConfig;
import org.bptt.training.wiring.TrainingModule;
import org.junit.jupiter.api.Test;

/**
 * Guice as the composition root: an embedder replaces one binding (the gradient policy) with
 * {@code Modules.override}, and a real training step uses it: the policy sees the true gradients
 * (checked against float64 finite differences) and what it leaves is what the optimizer applies.
 */
final class TestCompositionRoot {
    /** Records the gradients it is given, then scales them by {@code factor}. */
    private static final class RecordingPolicy implements GradientPolicy {
        final List<ParameterSet> seen = new ArrayList<>();
        final float factor;

        RecordingPolicy(float factor) {
            this.factor = factor;
        }

        @Override
        public void apply(ParameterSet params, ParameterSet grads, Kernels kernels, PolicyReport report) {
            seen.add(grads.copy());
            for (var t : grads) {
                kernels.scale(t.data().length, factor, t.data(), 0);
            }
        }

        @Override
        public String describe() {
            return "recording";
        }
    }

    private final Problems pr = new Problems(11, 3, 5, 4, 9, 3, false, true, Batch.allSteps(9));

    private BpttTrainer trainer(RecordingPolicy policy) {
        TrainingConfig config = pr.config(
                "scalar",
                new PluginChoice("sgd", java.util.Map.of("lr", "0.5")),
                PluginChoice.of("none"),
                PluginChoice.of("full"),
                TrainerSettings.defaults());
        return TrainingModule.trainer(
                config,
                Layers.ONE,
                Plugins.discover(),
                b -> b.bind(GradientPolicy.class).toInstance(policy));
    }

    @Test
    void anOverriddenPolicyIsTheOneATrainingStepUses() {
        RecordingPolicy recording = new RecordingPolicy(1f);
        BpttTrainer trainer = trainer(recording);
        assertSame(recording, trainer.policy());
        Batch batch = pr.batchOf();
        double[][] p0 = Problems.params(trainer.model().params());
        trainer.trainStep(batch);
        assertEquals(1, recording.seen.size(), "one update, one call");

        ReferenceRnn ref = new ReferenceRnn(pr.in, pr.hid, pr.out, pr.relu, pr.ce);
        double[][] fd = TestBpttGradients.finiteDifferences(ref, pr, p0, pr.h0, 0, 0, pr.steps, 1.0 / pr.batch);
        for (int i = 0; i < fd.length; i++) {
            double err = Problems.relativeError(
                    recording.seen.get(0).get(TestBpttGradients.NAMES[i]).data(), fd[i]);
            assertTrue(
                    err < 1e-4, "the policy saw grads." + TestBpttGradients.NAMES[i] + " with relative error " + err);
        }
        // SGD applied what the policy left: p1 = p0 - lr * g.
        double[][] p1 = Problems.params(trainer.model().params());
        float[] w = recording.seen.get(0).get("W").data();
        for (int k = 0; k < w.length; k++) {
            assertEquals(p0[1][k] - 0.5 * w[k], p1[1][k], 1e-6);
        }
    }

    @Test
    void whatThePolicyLeavesIsWhatTheOptimizerApplies() {
        RecordingPolicy zeroing = new RecordingPolicy(0f);
        BpttTrainer trainer = trainer(zeroing);
        double[][] p0 = Problems.params(trainer.model().params());
        trainer.trainStep(pr.batchOf());
        double[][] p1 = Problems.params(trainer.model().params());
        for (int i = 0; i < p0.length; i++) {
            assertArrayEquals(p0[i], p1[i], 0, "zeroed gradients leave " + TestBpttGradients.NAMES[i] + " unchanged");
        }
        // The binding is the only difference: the configured policy ("none") moves the parameters.
        BpttTrainer plain = TrainingModule.trainer(
                pr.config(
                        "scalar",
                        new PluginChoice("sgd", java.util.Map.of("lr", "0.5")),
                        PluginChoice.of("none"),
                        PluginChoice.of("full"),
                        TrainerSettings.defaults()),
                Plugins.discover());
        plain.trainStep(pr.batchOf());
        assertNotEquals(p0[1][0], Problems.params(plain.model().params())[1][0]);
    }
}
