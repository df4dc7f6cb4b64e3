package org.bptt.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.bptt.api.data.Batch;
import org.bptt.api.tensor.ParameterSet;
import org.bptt.api.tensor.Tensor;
import org.bptt.api.truncation.Truncation.Window;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.wiring.PluginChoice;
import org.bptt.training.wiring.TrainingModule;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Stacked and bidirectional vanilla networks: every parameter's gradient, full BPTT and per
 * TBPTT window with fixed parameters, against central differences of an independent
 * double-precision stack ({@link ReferenceStack}), on both backends.
 */
final class TestLayerStackGradients {
    /** float32 backward against float64 differences, as {@link TestBpttGradients}. */
    private static final double TOLERANCE = 1e-4;

    private static final double STEP = 1e-6;

    @ParameterizedTest(name = "{0} layers={1} bidirectional={2} relu={3} ce={4} tbptt({5},{6})")
    @CsvSource({
        "scalar, 2, false, false, true, 0, 0",
        "auto, 3, false, true, false, 0, 0",
        "scalar, 2, false, false, false, 2, 4",
        "auto, 3, false, false, true, 3, 3",
        "scalar, 1, true, false, true, 0, 0",
        "auto, 2, true, true, false, 0, 0",
        "scalar, 3, true, false, false, 0, 0"
    })
    void gradientsMatchFiniteDifferences(
            String backend, int layers, boolean bidirectional, boolean relu, boolean ce, int k1, int k2) {
        boolean[] lossSteps = {true, false, true, true, false, true, true, false, true};
        Problems pr = new Problems(23, 3, 5, 4, 9, 3, relu, ce, lossSteps);
        Layers shape = new Layers(layers, bidirectional, 0, false);
        PluginChoice truncation =
                k1 > 0 ? new PluginChoice("tbptt", Map.of("k1", "" + k1, "k2", "" + k2)) : PluginChoice.of("full");
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
        int dirs = shape.directions();
        int width = stack.stateWidth(pr.hid);
        assertEquals(dirs * pr.hid + layers * dirs * pr.hid, width);

        // Every layer and direction starts from a state of its own.
        SplittableRandom r = new SplittableRandom(3);
        float[] h0 = new float[pr.batch * width];
        double[][][] entering0 = new double[pr.batch][layers * dirs][pr.hid];
        for (int b = 0; b < pr.batch; b++) {
            for (int i = 0; i < width; i++) {
                h0[b * width + i] = (float) r.nextDouble(-0.5, 0.5);
            }
            for (int j = 0; j < layers * dirs; j++) {
                for (int u = 0; u < pr.hid; u++) {
                    entering0[b][j][u] = h0[b * width + stack.stateOffset(j / dirs, j % dirs, pr.hid) + u];
                }
            }
        }
        Batch batch = withH0(pr, h0);
        List<Window> windows = trainer.truncation().windows(pr.steps);
        List<ParameterSet> perWindow = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        trainer.gradients(batch, windows, (w, l, g) -> {
            perWindow.add(g.copy());
            losses.add(l);
        });
        ReferenceStack ref = new ReferenceStack(
                pr.in,
                pr.hid,
                pr.out,
                layers,
                bidirectional,
                relu,
                ce,
                trainer.model().params());
        double scale = 1.0 / pr.batch;
        assertEquals(windows.size(), perWindow.size());
        for (int wi = 0; wi < windows.size(); wi++) {
            Window w = windows.get(wi);
            double[][][] entering = enteringStates(ref, pr, entering0, w.backFrom());
            double lw = ref.loss(pr, entering, w.backFrom(), w.lossFrom(), w.lossTo(), scale);
            assertEquals(lw, losses.get(wi), 1e-5 * Math.max(1, Math.abs(lw)), "loss of window " + w);
            for (Tensor t : perWindow.get(wi)) {
                double[] theta = ref.p.get(t.name());
                double[] fd = new double[theta.length];
                for (int i = 0; i < theta.length; i++) {
                    double keep = theta[i];
                    theta[i] = keep + STEP;
                    double up = ref.loss(pr, entering, w.backFrom(), w.lossFrom(), w.lossTo(), scale);
                    theta[i] = keep - STEP;
                    double down = ref.loss(pr, entering, w.backFrom(), w.lossFrom(), w.lossTo(), scale);
                    theta[i] = keep;
                    fd[i] = (up - down) / (2 * STEP);
                }
                double err = Problems.relativeError(t.data(), fd);
                assertTrue(err < TOLERANCE, "window " + w + " grads." + t.name() + " relative error " + err);
            }
        }
        // Every layer's parameters took part: none of the gradients vanished outright.
        for (Tensor t : perWindow.get(0)) {
            assertTrue(maxAbs(t.data()) > 1e-6, t.name() + " has no gradient");
        }
    }

    /**
     * A bidirectional stack on a batch of sequences of different lengths, padded with huge
     * values: every gradient against central differences of the reference, which runs each
     * sequence alone over its own valid steps (its backward direction starts at its last one).
     */
    @ParameterizedTest(name = "{0} layers={1} relu={2} ce={3}")
    @CsvSource({"scalar, 2, false, true", "auto, 1, true, false", "auto, 3, false, false"})
    void paddedBidirectionalGradientsMatchFiniteDifferences(String backend, int layers, boolean relu, boolean ce) {
        boolean[] lossSteps = {true, false, true, true, false, true, true, false, true};
        int[] lengths = {9, 4, 6, 1};
        Problems pr = new Problems(29, 3, 5, 4, 9, lengths.length, relu, ce, lossSteps);
        BpttTrainer trainer = TrainingModule.trainer(
                pr.config(
                        backend,
                        PluginChoice.of("sgd"),
                        PluginChoice.of("none"),
                        PluginChoice.of("full"),
                        TrainerSettings.defaults()),
                new Layers(layers, true, 0, false),
                Plugins.discover());
        Batch b = pr.batchOf();
        float[] x = b.x().clone();
        for (int t = 0; t < pr.steps; t++) {
            for (int s = 0; s < pr.batch; s++) {
                if (t >= lengths[s]) {
                    java.util.Arrays.fill(x, (t * pr.batch + s) * pr.in, (t * pr.batch + s + 1) * pr.in, 1e20f);
                }
            }
        }
        Batch padded = new Batch(b.batch(), b.steps(), b.inputSize(), x, b.targets(), b.lossSteps(), null, lengths);
        double[] loss = new double[1];
        ParameterSet g = trainer.gradients(
                        padded, List.of(new Window(0, pr.steps, 0, pr.steps)), (w, l, gw) -> loss[0] = l)
                .copy();
        ReferenceStack ref = new ReferenceStack(
                pr.in, pr.hid, pr.out, layers, true, relu, ce, trainer.model().params());
        ref.lengths = lengths;
        double[][][] zero = new double[pr.batch][layers * 2][pr.hid];
        double scale = 1.0 / pr.batch;
        double want = ref.loss(pr, zero, 0, 0, pr.steps, scale);
        assertEquals(want, loss[0], 1e-5 * Math.max(1, Math.abs(want)), "loss");
        for (Tensor t : g) {
            double[] theta = ref.p.get(t.name());
            double[] fd = new double[theta.length];
            for (int i = 0; i < theta.length; i++) {
                double keep = theta[i];
                theta[i] = keep + STEP;
                double up = ref.loss(pr, zero, 0, 0, pr.steps, scale);
                theta[i] = keep - STEP;
                double down = ref.loss(pr, zero, 0, 0, pr.steps, scale);
                theta[i] = keep;
                fd[i] = (up - down) / (2 * STEP);
            }
            double err = Problems.relativeError(t.data(), fd);
            assertTrue(err < TOLERANCE, "padded grads." + t.name() + " relative error " + err);
            assertTrue(maxAbs(t.data()) > 1e-6, t.name() + " has no gradient");
        }
    }

    /** Each layer's ‖∂L/∂h_k‖ against central differences of the reference's loss in h_k of that layer. */
    @ParameterizedTest(name = "{0} layers={1}")
    @CsvSource({"scalar, 2", "auto, 3"})
    void eachLayersGradientFlowMatchesFiniteDifferences(String backend, int layers) {
        Problems pr = new Problems(31, 3, 5, 4, 8, 2, false, true, Batch.allSteps(8));
        BpttTrainer trainer = TrainingModule.trainer(
                pr.config(
                        backend,
                        PluginChoice.of("sgd"),
                        PluginChoice.of("none"),
                        PluginChoice.of("full"),
                        TrainerSettings.defaults()),
                Layers.of(layers),
                Plugins.discover());
        LayerStack stack = (LayerStack) trainer.model().cell();
        Batch b = pr.batchOf();
        Batch batch = new Batch(b.batch(), b.steps(), b.inputSize(), b.x(), b.targets(), b.lossSteps(), null);
        trainer.gradients(batch, trainer.truncation().windows(pr.steps), null);
        ReferenceStack ref = new ReferenceStack(
                pr.in,
                pr.hid,
                pr.out,
                layers,
                false,
                false,
                true,
                trainer.model().params());
        double[][][] zero = new double[pr.batch][layers][pr.hid];
        double scale = 1.0 / pr.batch;
        for (int l = 0; l < layers; l++) {
            double[] got = stack.layerGradientNorms(trainer.stateGradients(), pr.batch, pr.steps, pr.hid, l);
            double[] fd = new double[pr.steps];
            ref.perturbLayer = l;
            for (int k = 0; k < pr.steps; k++) {
                double s = 0;
                for (int seq = 0; seq < pr.batch; seq++) {
                    for (int u = 0; u < pr.hid; u++) {
                        ref.perturbStep = k;
                        ref.perturbSeq = seq;
                        ref.perturbUnit = u;
                        ref.perturbBy = STEP;
                        double up = ref.loss(pr, zero, 0, 0, pr.steps, scale);
                        ref.perturbBy = -STEP;
                        double down = ref.loss(pr, zero, 0, 0, pr.steps, scale);
                        double g = (up - down) / (2 * STEP);
                        s += g * g;
                    }
                }
                fd[k] = Math.sqrt(s);
            }
            for (int k = 0; k < pr.steps; k++) {
                assertEquals(fd[k], got[k], 1e-4 * Math.max(fd[k], 1e-3), "layer " + l + " step " + k);
            }
            if (l == layers - 1) {
                // The top layer's flow is what the trainer's own per-step norms measure.
                double[] hn = trainer.hiddenGradNorms();
                for (int k = 0; k < pr.steps; k++) {
                    double s = 0;
                    for (int r = 0; r < pr.batch; r++) {
                        s += hn[k * pr.batch + r] * hn[k * pr.batch + r];
                    }
                    assertEquals(Math.sqrt(s), got[k], 1e-6 * got[k], "top layer step " + k);
                }
            }
        }
        ref.perturbLayer = -1;
    }

    /**
     * With dropout, one SGD step (lr 1, nothing clipped) moves every parameter by minus the
     * gradient of the masked network: against central differences of the reference with the
     * same masks; the masks drop about p of the units, and the variational one is the same at every step.
     */
    @ParameterizedTest(name = "variational={0}")
    @CsvSource({"false", "true"})
    void dropoutGradientsMatchFiniteDifferences(boolean variational) {
        Problems pr = new Problems(41, 3, 6, 4, 7, 3, false, true, Batch.allSteps(7));
        Layers shape = new Layers(3, false, 0.4, variational);
        BpttTrainer trainer = TrainingModule.trainer(
                pr.config(
                        "auto",
                        new PluginChoice("sgd", Map.of("lr", "1")),
                        PluginChoice.of("none"),
                        PluginChoice.of("full"),
                        TrainerSettings.defaults()),
                shape,
                Plugins.discover());
        LayerStack stack = (LayerStack) trainer.model().cell();
        ReferenceStack ref = new ReferenceStack(
                pr.in, pr.hid, pr.out, 3, false, false, true, trainer.model().params());
        long key = stack.iterationKey(trainer.iteration());
        ref.mask = (l, t, b, u) -> stack.dropoutFactor(key, l, t, b, u);
        int dropped = 0;
        int all = 0;
        int differs = 0;
        for (int l = 0; l < 2; l++) {
            for (int t = 0; t < pr.steps; t++) {
                for (int b = 0; b < pr.batch; b++) {
                    for (int u = 0; u < pr.hid; u++) {
                        float f = stack.dropoutFactor(key, l, t, b, u);
                        assertTrue(f == 0 || f == (float) (1 / 0.6), "factor " + f);
                        float later = stack.dropoutFactor(key, l, t + 5, b, u);
                        if (variational) {
                            assertEquals(f, later, "the variational mask changed between steps");
                        }
                        differs += f != later ? 1 : 0;
                        dropped += f == 0 ? 1 : 0;
                        all++;
                    }
                }
            }
        }
        assertEquals(variational, differs == 0, differs + " factors differ from a later step's");
        assertTrue(
                Math.abs(dropped / (double) all - 0.4) < (variational ? 0.2 : 0.1),
                "dropped " + dropped + " of " + all);
        ParameterSet before = trainer.model().params().copy();
        double[][][] zero = new double[pr.batch][3][pr.hid];
        double scale = 1.0 / pr.batch;
        Batch b = pr.batchOf();
        double loss = trainer.trainStep(
                        new Batch(b.batch(), b.steps(), b.inputSize(), b.x(), b.targets(), b.lossSteps(), null))
                .loss();
        assertEquals(ref.loss(pr, zero, 0, 0, pr.steps, scale), loss, 1e-5 * Math.abs(loss));
        for (Tensor t : trainer.model().params()) {
            float[] step = new float[t.size()];
            for (int i = 0; i < step.length; i++) {
                step[i] = before.get(t.name()).data()[i] - t.data()[i];
            }
            double[] theta = ref.p.get(t.name());
            double[] fd = new double[theta.length];
            for (int i = 0; i < theta.length; i++) {
                double keep = theta[i];
                theta[i] = keep + STEP;
                double up = ref.loss(pr, zero, 0, 0, pr.steps, scale);
                theta[i] = keep - STEP;
                double down = ref.loss(pr, zero, 0, 0, pr.steps, scale);
                theta[i] = keep;
                fd[i] = (up - down) / (2 * STEP);
            }
            double err = Problems.relativeError(step, fd);
            assertTrue(err < TOLERANCE, "dropout grads." + t.name() + " relative error " + err);
        }
    }

    private static double maxAbs(float[] g) {
        double m = 0;
        for (float v : g) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** Each layer's state before step {@code start} of every sequence, from the reference run from step 0. */
    private static double[][][] enteringStates(ReferenceStack ref, Problems pr, double[][][] entering0, int start) {
        if (start == 0) {
            return entering0;
        }
        double[][][] e = new double[pr.batch][ref.layers][];
        for (int b = 0; b < pr.batch; b++) {
            double[][][] o = ref.outputs(pr.x[b], entering0[b], 0, start);
            for (int l = 0; l < ref.layers; l++) {
                e[b][l] = java.util.Arrays.copyOf(o[l][start - 1], pr.hid);
            }
        }
        return e;
    }

    /** The problem's batch with {@code h0} (B rows of the stack's state) as its initial state. */
    static Batch withH0(Problems pr, float[] h0) {
        Batch b = pr.batchOf();
        return new Batch(b.batch(), b.steps(), b.inputSize(), b.x(), b.targets(), b.lossSteps(), h0);
    }
}
