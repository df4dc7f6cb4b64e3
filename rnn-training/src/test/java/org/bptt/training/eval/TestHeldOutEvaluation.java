package org.bptt.training.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bptt.api.data.Batch;
import org.bptt.api.data.Task;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.tensor.Tensor;
import org.bptt.training.FitListener;
import org.bptt.training.Network;
import org.bptt.training.config.RunConfig;
import org.bptt.training.plugin.PluginFamily;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.run.Evaluation;
import org.bptt.training.run.History;
import org.bptt.training.run.RunListener;
import org.bptt.training.run.RunSummary;
import org.bptt.training.run.TrainingRun;
import org.bptt.training.wiring.PluginChoice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Held-out evaluation: its numbers against a computation of its own from {@link Network#predict}
 * one sequence at a time, its data against the training data, and its place in a run (periodic,
 * at the end, after a resume, in a diagnostics-only run) without changing a bit of training.
 */
final class TestHeldOutEvaluation {
    private static final Plugins PLUGINS = Plugins.discover();

    @TempDir
    Path dir;

    private static RunConfig config(String task, int steps, long iterations, String... taskOptions) {
        PluginChoice t = PluginChoice.of(task).with("steps", Integer.toString(steps));
        for (int i = 0; i < taskOptions.length; i += 2) {
            t = t.with(taskOptions[i], taskOptions[i + 1]);
        }
        return RunConfig.defaults().toBuilder()
                .task(t)
                .hidden(8)
                .batch(16)
                .iterations(iterations)
                .checkpointEvery(20)
                .diagnosticsEvery(10)
                .optimizer(PluginChoice.of("adam").with("lr", "0.01"))
                .build();
    }

    private static Network trained(RunConfig c, Task task, int iterations) throws IOException {
        Network n = Network.create(c, task, PLUGINS);
        n.fit(task, iterations, FitListener.NONE);
        return n;
    }

    /** One held-out sequence's inputs, T·I floats. */
    private static float[] sequence(Batch batch, int b) {
        int in = batch.inputSize();
        float[] x = new float[batch.steps() * in];
        for (int t = 0; t < batch.steps(); t++) {
            System.arraycopy(batch.x(), (t * batch.batch() + b) * in, x, t * in, in);
        }
        return x;
    }

    @Test
    void regressionMetricsMatchAComputationOneSequenceAtATime() throws IOException {
        RunConfig c = config("adding", 12, 0);
        Task task = PLUGINS.create(PluginFamily.TASK, c.task());
        Network net = trained(c, task, 1500);
        int n = 250; // two whole blocks and half of a third
        Evaluation e = new HeldOutEvaluator(EvaluationSettings.defaults().withSequences(n)).evaluate(net, task);
        double half = 0;
        double squared = 0;
        int correct = 0;
        for (int k = 0; k * HeldOutEvaluator.BLOCK < n; k++) {
            Batch batch = task.newBatch(HeldOutEvaluator.BLOCK);
            task.fillHeldOut(batch, HeldOutEvaluator.heldOutRandom(EvaluationSettings.DEFAULT_SEED, k));
            for (int b = 0; b < Math.min(HeldOutEvaluator.BLOCK, n - k * HeldOutEvaluator.BLOCK); b++) {
                float[] o = net.predict(sequence(batch, b), 12);
                double d = (double) o[11] - batch.targets().values()[11 * HeldOutEvaluator.BLOCK + b];
                half += 0.5 * d * d;
                squared += d * d;
                correct += Math.abs(d) < 0.08 ? 1 : 0; // H&S 1997: 0.04 on targets in [0, 1], the sum spans [0, 2]
            }
        }
        assertEquals(1500, e.iteration());
        assertEquals(
                List.of("loss", "loss_per_step", "mse", "correct", "success", "sequences"),
                List.copyOf(e.metrics().keySet()));
        assertEquals(half / n, e.get("loss"), 1e-6 * half / n);
        assertEquals(half / n, e.get("loss_per_step"), 1e-6 * half / n);
        assertEquals(squared / n, e.get("mse"), 1e-6 * squared / n);
        assertEquals((double) correct / n, e.get("correct"));
        assertEquals(correct == n ? 1.0 : 0.0, e.get("success"));
        assertEquals(n, e.get("sequences"));
        // Trained a little, the network is far better than always predicting 1 (MSE 1/6) but not exact.
        assertTrue(e.get("mse") < 0.1, "mse " + e.get("mse"));
        assertTrue(correct > 0 && correct < n, correct + " of " + n + " correct");
        // A study's own threshold: success when at least that fraction is correct.
        double fraction = (double) correct / n;
        Evaluation lenient = new HeldOutEvaluator(
                        EvaluationSettings.defaults().withSequences(n).withRequired(fraction))
                .evaluate(net, task);
        Evaluation strict = new HeldOutEvaluator(
                        EvaluationSettings.defaults().withSequences(n).withRequired(Math.min(1, fraction + 1.0 / n)))
                .evaluate(net, task);
        assertEquals(1.0, lenient.get("success"));
        assertEquals(0.0, strict.get("success"));
    }

    @Test
    void classAndCharacterMetricsMatchAComputationOneSequenceAtATime() throws IOException {
        RunConfig c = config("text", 16, 0, "validation", "0.2");
        Task task = PLUGINS.create(PluginFamily.TASK, c.task());
        Network net = trained(c, task, 100);
        int n = 120;
        Evaluation e = new HeldOutEvaluator(EvaluationSettings.defaults().withSequences(n)).evaluate(net, task);
        double nats = 0;
        long hits = 0;
        int v = task.outputSize();
        double[] windowNats = new double[n];
        for (int k = 0; k * HeldOutEvaluator.BLOCK < n; k++) {
            Batch batch = task.newBatch(HeldOutEvaluator.BLOCK);
            task.fillHeldOut(batch, HeldOutEvaluator.heldOutRandom(EvaluationSettings.DEFAULT_SEED, k));
            for (int b = 0; b < Math.min(HeldOutEvaluator.BLOCK, n - k * HeldOutEvaluator.BLOCK); b++) {
                float[] o = net.predict(sequence(batch, b), 16);
                for (int t = 0; t < 16; t++) {
                    int y = batch.targets().classes()[t * HeldOutEvaluator.BLOCK + b];
                    double max = Double.NEGATIVE_INFINITY;
                    int arg = -1;
                    for (int j = 0; j < v; j++) {
                        if (o[t * v + j] > max) {
                            max = o[t * v + j];
                            arg = j;
                        }
                    }
                    double sum = 0;
                    for (int j = 0; j < v; j++) {
                        sum += Math.exp(o[t * v + j] - max);
                    }
                    nats += Math.log(sum) + max - o[t * v + y];
                    windowNats[k * HeldOutEvaluator.BLOCK + b] += (Math.log(sum) + max - o[t * v + y]) / 16;
                    hits += arg == y ? 1 : 0;
                }
            }
        }
        double perChar = nats / (n * 16.0);
        assertEquals(
                List.of(
                        "loss",
                        "loss_per_step",
                        "accuracy",
                        "nats_per_char",
                        "bits_per_char",
                        "perplexity",
                        "bits_per_char_se",
                        "stream_bits_per_char",
                        "stream_bits_per_char_se",
                        "stream_segments",
                        "sequences"),
                List.copyOf(e.metrics().keySet()));
        // The standard error of the mean of the windows' own bits per character.
        double mean = Arrays.stream(windowNats).average().orElseThrow();
        double variance =
                Arrays.stream(windowNats).map(w -> (w - mean) * (w - mean)).sum() / (n - 1);
        assertEquals(
                Math.sqrt(variance / n) / Math.log(2), e.get("bits_per_char_se"), 1e-4 * e.get("bits_per_char_se"));
        assertEquals(perChar, e.get("nats_per_char"), 1e-5 * perChar);
        assertEquals(perChar * 16, e.get("loss"), 1e-5 * perChar * 16);
        assertEquals(perChar / Math.log(2), e.get("bits_per_char"), 1e-5 * perChar);
        assertEquals(Math.exp(perChar), e.get("perplexity"), 1e-5 * Math.exp(perChar));
        assertEquals((double) hits / (n * 16), e.get("accuracy"), 1e-12);
    }

    @Test
    void heldOutSequencesAreNoneOfTheTrainingSequences() {
        RunConfig c = config("adding", 20, 0);
        Task task = PLUGINS.create(PluginFamily.TASK, c.task());
        Set<String> training = new HashSet<>();
        Batch batch = task.newBatch(32);
        for (long it = 0; it < 300; it++) {
            task.fill(batch, Network.dataRandom(c.seed(), it));
            for (int b = 0; b < 32; b++) {
                training.add(Arrays.toString(sequence(batch, b)));
            }
        }
        assertEquals(300 * 32, training.size());
        Batch held = task.newBatch(HeldOutEvaluator.BLOCK);
        for (int k = 0; k < 20; k++) {
            task.fillHeldOut(held, HeldOutEvaluator.heldOutRandom(EvaluationSettings.DEFAULT_SEED, k));
            for (int b = 0; b < HeldOutEvaluator.BLOCK; b++) {
                assertFalse(training.contains(Arrays.toString(sequence(held, b))), "held-out block " + k + " row " + b);
            }
        }
    }

    private static RunSummary train(TrainingRun run, long stopAfter) throws IOException {
        return run.run(new RunListener() {
            long seen;

            @Override
            public void iteration(TrainingRun r, org.bptt.training.IterationMetrics m) {
                seen++;
            }

            @Override
            public boolean stopRequested() {
                return seen >= stopAfter;
            }
        });
    }

    private static float[] parameters(Network n) {
        List<Tensor> ts = n.model().params().tensors();
        int size = ts.stream().mapToInt(Tensor::size).sum();
        float[] all = new float[size];
        int at = 0;
        for (Tensor t : ts) {
            System.arraycopy(t.data(), 0, all, at, t.size());
            at += t.size();
        }
        return all;
    }

    @Test
    void evaluatingDuringTrainingChangesNoBitOfIt() throws IOException {
        RunConfig c = config("temporal-order", 12, 60);
        TrainingRun plain = TrainingRun.create(c, dir.resolve("plain"), PLUGINS, "csv");
        train(plain, Long.MAX_VALUE);
        TrainingRun judged = TrainingRun.create(c, dir.resolve("judged"), PLUGINS, "csv")
                .evaluateWith(new HeldOutEvaluator(EvaluationSettings.defaults().withSequences(150)), 25);
        RunSummary s = train(judged, Long.MAX_VALUE);
        assertArrayEquals(parameters(plain.network()), parameters(judged.network()));
        assertEquals(plain.history().metrics(), judged.history().metrics());
        assertEquals(
                List.of(25L, 50L, 60L),
                judged.history().evaluations().stream()
                        .map(Evaluation::iteration)
                        .toList());
        assertEquals(judged.history().lastEvaluation(), s.heldOut());
        assertTrue(
                s.text().contains("(held-out loss at iteration 60)")
                        && s.text().contains("; held-out (150 sequences) "),
                s.text());
        assertEquals(
                s.heldOut().get("loss") < 0.5 * judged.memoryless(),
                s.learned(),
                "learned: under half the memoryless loss");
        // Saved with the history, and read back the same.
        History read = History.read(dir.resolve("judged").resolve(TrainingRun.DIAGNOSTICS), 60);
        assertEquals(judged.history().evaluations(), read.evaluations());
    }

    @Test
    void aRunInterruptedAndResumedEvaluatesAsAnUninterruptedOne() throws IOException {
        RunConfig c = config("adding", 10, 70);
        EvaluationSettings es = EvaluationSettings.defaults().withSequences(100).withEvery(20);
        TrainingRun whole = TrainingRun.create(c, dir.resolve("whole"), PLUGINS, "csv")
                .evaluateWith(new HeldOutEvaluator(es), es.every());
        RunSummary all = train(whole, Long.MAX_VALUE);
        TrainingRun first = TrainingRun.create(c, dir.resolve("parts"), PLUGINS, "csv")
                .evaluateWith(new HeldOutEvaluator(es), es.every());
        RunSummary stopped = train(first, 33);
        assertEquals(org.bptt.training.FitResult.Outcome.INTERRUPTED, stopped.outcome());
        assertEquals(
                List.of(20L),
                first.history().evaluations().stream()
                        .map(Evaluation::iteration)
                        .toList(),
                "no evaluation when interrupted");
        TrainingRun rest = TrainingRun.resume(dir.resolve("parts"), PLUGINS, "csv", 0)
                .evaluateWith(new HeldOutEvaluator(es), es.every());
        RunSummary done = train(rest, Long.MAX_VALUE);
        assertEquals(whole.history().evaluations(), rest.history().evaluations());
        assertEquals(all.heldOut(), done.heldOut());
        assertArrayEquals(parameters(whole.network()), parameters(rest.network()));
    }

    @Test
    void aRunOfNoIterationMeasuresItsInitialModel() throws IOException {
        RunConfig c = config("adding", 15, 0);
        TrainingRun run = TrainingRun.create(c, dir.resolve("zero"), PLUGINS, "csv")
                .evaluateWith(new HeldOutEvaluator(EvaluationSettings.defaults().withSequences(100)), 0);
        RunSummary s = train(run, Long.MAX_VALUE);
        assertEquals(0, s.iterations());
        assertEquals(1, run.history().flow().size());
        assertEquals(0, run.history().flow().get(0).iteration());
        assertEquals(15, run.history().flow().get(0).steps());
        for (int k = 0; k < 15; k++) {
            assertTrue(run.history().flow().get(0).norm(k) > 0, "flow at step " + k);
        }
        // The same numbers fit would record before its first update.
        Network fresh = Network.create(c, PLUGINS.create(PluginFamily.TASK, c.task()), PLUGINS);
        var snapshots = new java.util.ArrayList<org.bptt.training.diag.GradientFlowSnapshot>();
        fresh.fit(PLUGINS.create(PluginFamily.TASK, c.task()), 1, new FitListener() {
            @Override
            public void onGradientFlow(Network n, org.bptt.training.diag.GradientFlowSnapshot f) {
                snapshots.add(f);
            }
        });
        assertEquals(snapshots.get(0), run.history().flow().get(0));
        assertNotNull(s.heldOut());
        assertEquals(0, s.heldOut().iteration());
        // Resuming at iteration 0 keeps the evaluation of iteration 0; the flow is measured again.
        History read = History.read(dir.resolve("zero").resolve(TrainingRun.DIAGNOSTICS), 0);
        assertEquals(run.history().evaluations(), read.evaluations());
        assertEquals(
                run.history().flow(),
                History.read(dir.resolve("zero").resolve(TrainingRun.DIAGNOSTICS), 1)
                        .flow());
    }

    @Test
    void settingsRoundTripAndRefuseNonsense() throws IOException {
        EvaluationSettings s = new EvaluationSettings(500, 10_000, 7, 0.99);
        s.write(dir);
        assertEquals(s, EvaluationSettings.read(dir, EvaluationSettings.defaults()));
        EvaluationSettings none = EvaluationSettings.defaults();
        none.write(dir);
        assertTrue(Double.isNaN(EvaluationSettings.read(dir, s).required()));
        assertEquals(s, EvaluationSettings.read(dir.resolve("absent"), s));
        assertThrows(
                ConfigurationException.class,
                () -> EvaluationSettings.defaults().withSequences(0));
        assertThrows(
                ConfigurationException.class,
                () -> EvaluationSettings.defaults().withEvery(-1));
        assertThrows(
                ConfigurationException.class,
                () -> EvaluationSettings.defaults().withRequired(0));
        Files.writeString(
                dir.resolve(EvaluationSettings.FILE),
                "{\"every\": 1.5, \"sequences\": 3, \"seed\": 1, \"required\": null}");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> EvaluationSettings.read(dir, s));
        assertTrue(e.getMessage().contains("evaluation settings need whole numbers"), e.getMessage());
    }
}
