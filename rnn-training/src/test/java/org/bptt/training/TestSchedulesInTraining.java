package org.bptt.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bptt.api.data.Batch;
import org.bptt.api.data.Task;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.tensor.ParameterSet;
import org.bptt.api.tensor.Tensor;
import org.bptt.api.truncation.Truncation.Window;
import org.bptt.training.config.Checkpoint;
import org.bptt.training.eval.EarlyStopping;
import org.bptt.training.eval.EvaluationSettings;
import org.bptt.training.eval.HeldOutEvaluator;
import org.bptt.training.run.Evaluation;
import org.bptt.training.wiring.PluginChoice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schedules, decoupled weight decay and early stopping in a training run: each update moves the
 * parameters by the scheduled rate times the gradient measured at the same parameters; a run
 * resumed with a plateau schedule and early stopping continues bit for bit; early stopping
 * stops after its patience and keeps the best model.
 */
final class TestSchedulesInTraining {

    private static Network.Builder small() {
        return Network.builder()
                .task("adding", "steps", "8")
                .hidden(6)
                .batch(4)
                .seed(3)
                .checkpointEvery(0)
                .diagnosticsEvery(1000)
                .policy("none");
    }

    @Test
    void eachUpdateUsesTheScheduledRate() {
        Network net = small().optimizer("sgd", "lr", "0.1")
                .schedule("step", "every", "1", "gamma", "0.5")
                .build();
        Task task = net.task();
        Batch b = task.newBatch(4);
        List<Window> full = List.of(new Window(0, 8, 0, 8));
        for (int it = 0; it < 3; it++) {
            task.fill(b, Network.dataRandom(3, it));
            ParameterSet before = net.model().params().copy();
            ParameterSet g = net.trainer().gradients(b, full, null).copy();
            net.trainer().trainStep(b);
            double rate = 0.1 * Math.pow(0.5, it);
            for (Tensor t : net.model().params()) {
                float[] p0 = before.get(t.name()).data();
                float[] gi = g.get(t.name()).data();
                for (int i = 0; i < p0.length; i++) {
                    double expected = p0[i] - rate * gi[i];
                    assertEquals(
                            expected,
                            t.data()[i],
                            1e-6 * Math.max(1, Math.abs(expected)),
                            t.name() + " at iteration " + it);
                }
            }
        }
        ConfigurationException e = assertThrows(
                ConfigurationException.class,
                () -> small().schedule("cosine", "period", "0").build());
        assertTrue(e.getMessage().contains("period"), e.getMessage());
    }

    private static float[][] params(Network n) {
        return n.model().params().tensors().stream().map(t -> t.data().clone()).toArray(float[][]::new);
    }

    @Test
    void aResumedRunWithPlateauAndEarlyStoppingContinuesBitForBit(@TempDir Path dir) throws IOException {
        EvaluationSettings settings = EvaluationSettings.defaults().withSequences(50);
        Network.Builder b =
                small().optimizer("adamw", "lr", "0.05").schedule("plateau", "patience", "0", "gamma", "0.5");
        Network straight = b.build();
        EarlyStopping s1 =
                new EarlyStopping(new HeldOutEvaluator(settings), 2, 0, dir.resolve("best-a.bin"), FitListener.NONE);
        straight.fit(12, s1);

        Network first = b.build();
        EarlyStopping s2 =
                new EarlyStopping(new HeldOutEvaluator(settings), 2, 0, dir.resolve("best-b.bin"), FitListener.NONE);
        Path ckpt = dir.resolve("checkpoint.bin");
        first.checkpointTo(ckpt, s2::decorate);
        first.fit(6, s2);
        Network resumed = Network.load(ckpt, first.plugins());
        assertEquals(first.schedule(), resumed.schedule());
        EarlyStopping s3 = new EarlyStopping(
                        new HeldOutEvaluator(settings), 2, 0, dir.resolve("best-b.bin"), FitListener.NONE)
                .restore(Checkpoint.read(ckpt));
        resumed.fit(6, s3);
        float[][] a = params(straight);
        float[][] c = params(resumed);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], c[i], "parameter " + i);
        }
        assertEquals(s1.bestLoss(), s3.bestLoss(), 0);
        assertEquals(s1.bestIteration(), s3.bestIteration());
        assertEquals(
                straight.trainer().optimizer().learningRate(),
                resumed.trainer().optimizer().learningRate(),
                0);
        assertTrue(
                straight.trainer().optimizer().learningRate() < 0.05,
                "the plateau never reduced the rate: "
                        + straight.trainer().optimizer().learningRate());
        assertArrayEquals(
                params(Network.load(dir.resolve("best-a.bin"), straight.plugins()))[1],
                params(Network.load(dir.resolve("best-b.bin"), straight.plugins()))[1]);
    }

    @Test
    void earlyStoppingStopsAfterItsPatienceAndKeepsTheBest(@TempDir Path dir) throws IOException {
        Network net = small().optimizer("adam").build();
        // A held-out loss that only grows: the first evaluation is the best.
        EarlyStopping stop = new EarlyStopping(
                (n, t) -> new Evaluation(n.iteration(), Map.of("loss", (double) n.iteration())),
                1,
                2,
                dir.resolve("best.bin"),
                FitListener.NONE);
        float[][] afterOne = null;
        FitResult r = net.fit(1, stop);
        afterOne = params(net);
        r = net.fit(100, stop);
        assertEquals(FitResult.Outcome.INTERRUPTED, r.outcome());
        assertEquals(3, net.iteration());
        assertEquals(1, stop.bestIteration());
        Network best = Network.load(dir.resolve("best.bin"), net.plugins());
        assertEquals(1, best.iteration());
        assertArrayEquals(afterOne[1], params(best)[1]);
        assertThrows(
                ConfigurationException.class, () -> new EarlyStopping((n, t) -> null, 0, 1, dir, FitListener.NONE));
        PluginChoice none = null;
        assertEquals(none, net.schedule());
    }

    /** In a run folder: early stopping stops the run and leaves best.bin beside checkpoint.bin. */
    @Test
    void aTrainingRunStopsEarlyAndKeepsBestBin(@TempDir Path dir) throws IOException {
        var config = small().optimizer("adam")
                .set(org.bptt.training.config.RunSettings.EARLY_STOP, 2)
                .set(org.bptt.training.config.RunSettings.ITERATIONS, 50L)
                .config();
        Path folder = dir.resolve("run");
        try (var run = org.bptt.training.run.TrainingRun.create(
                config, folder, org.bptt.training.plugin.Plugins.discover(), "csv")) {
            run.evaluateWith((n, t) -> new Evaluation(n.iteration(), Map.of("loss", (double) n.iteration())), 1);
            var summary = run.run(new org.bptt.training.run.RunListener() {});
            assertEquals(3, summary.iterations());
        }
        assertEquals(
                1,
                Network.load(
                                folder.resolve(org.bptt.training.run.TrainingRun.BEST),
                                org.bptt.training.plugin.Plugins.discover())
                        .iteration());
        assertTrue(java.nio.file.Files.exists(folder.resolve(org.bptt.training.run.TrainingRun.CHECKPOINT)));
    }
}
