package org.bptt.examples.gated;

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
import org.bptt.training.BpttTrainer;
import org.bptt.training.LayerStack;
import org.bptt.training.Layers;
import org.bptt.training.LossMean;
import org.bptt.training.NonFinitePolicy;
import org.bptt.training.TrainerSettings;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.wiring.PluginChoice;
import org.bptt.training.wiring.TrainingConfig;
import org.bptt.training.wiring.TrainingModule;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The gated cells stacked and bidirectional by the platform, which they know nothing of but
 * their input gradient: every parameter's gradient against central differences of
 * independent double-precision layers ({@link ReferenceGated}, one per layer and direction)
 * composed here, full BPTT and per TBPTT window. Tolerance as {@link TestFiniteDifferences}'.
 */
final class TestStackedLayers {
    private static final double TOLERANCE = 1e-5;
    private static final double STEP = 1e-6;

    @ParameterizedTest(name = "{0} layers={1} bidirectional={2} {3} tbptt({4},{5}) on {6}")
    @CsvSource({
        "gru, 2, false, ce, 0, 0, scalar", "lstm, 3, false, mse, 0, 0, simd",
        "gru, 3, false, mse, 2, 5, simd", "lstm, 2, false, ce, 3, 4, scalar",
        "gru, 2, true, mse, 0, 0, simd", "lstm, 1, true, ce, 0, 0, scalar", "lstm, 2, true, mse, 0, 0, scalar"})
    void gradientsMatchFiniteDifferences(String cell, int layers, boolean bidirectional, String loss, int k1, int k2,
                                         String backend) {
        if (backend.equals("simd")) {
            Assumptions.assumeTrue(Fixtures.simdAvailable(), "jdk.incubator.vector is not in the boot layer");
        }
        int in = 3, hid = 4, out = 3, steps = 9, batchSize = 2;
        PluginChoice truncation = k1 > 0 ? new PluginChoice("tbptt", Map.of("k1", "" + k1, "k2", "" + k2)) : PluginChoice.of("full");
        Layers shape = new Layers(layers, bidirectional, 0, false);
        BpttTrainer trainer = TrainingModule.trainer(new TrainingConfig(in, hid, out, PluginChoice.of(cell), PluginChoice.of(loss),
                PluginChoice.of("sgd"), PluginChoice.of("none"), truncation, new PluginChoice("uniform", Map.of("scale", "2.5")),
                17, backend, 1, new TrainerSettings(LossMean.SEQUENCE, false, NonFinitePolicy.STOP, false)), shape, Plugins.discover());
        LayerStack stack = (LayerStack) trainer.model().cell();
        int dirs = shape.directions();
        int sw = cell.equals("lstm") ? 2 * hid : hid;
        int width = stack.stateWidth(hid);

        boolean[] lossSteps = new boolean[steps];
        for (int t = 0; t < steps; t++) {
            lossSteps[t] = t % 3 != 1;
        }
        Fixtures.Setup setup = new Fixtures.Setup(cell, in, hid, out, loss, null, null, null, null, false);
        Batch b0 = setup.batch(new SplittableRandom(5), batchSize, steps, lossSteps);
        SplittableRandom r = new SplittableRandom(9);
        float[] h0 = new float[batchSize * width];
        for (int i = 0; i < h0.length; i++) {
            h0[i] = (float) (0.8 * (2 * r.nextDouble() - 1));
        }
        Batch batch = new Batch(batchSize, steps, in, b0.x(), b0.targets(), lossSteps, h0);

        List<Window> windows = trainer.truncation().windows(steps);
        List<ParameterSet> perWindow = new ArrayList<>();
        trainer.gradients(batch, windows, (w, l, g) -> perWindow.add(g.copy()));

        Stack ref = new Stack(cell, in, hid, out, loss, layers, dirs, trainer.model().params());
        for (int wi = 0; wi < windows.size(); wi++) {
            Window w = windows.get(wi);
            double[][][] entering = new double[batchSize][layers * dirs][];
            for (int b = 0; b < batchSize; b++) {
                for (int j = 0; j < layers * dirs; j++) {
                    entering[b][j] = new double[sw];
                    for (int u = 0; u < sw; u++) {
                        entering[b][j][u] = h0[b * width + stack.stateOffset(j / dirs, j % dirs, hid) + u];
                    }
                }
                if (w.backFrom() > 0) {
                    entering[b] = ref.statesBefore(batch, b, entering[b], w.backFrom());
                }
            }
            for (Tensor t : perWindow.get(wi)) {
                double[] theta = ref.param(t.name());
                double[] fd = new double[theta.length];
                for (int i = 0; i < theta.length; i++) {
                    double keep = theta[i];
                    theta[i] = keep + STEP;
                    double up = ref.windowLoss(batch, w.backFrom(), entering, w.lossFrom(), w.lossTo());
                    theta[i] = keep - STEP;
                    double down = ref.windowLoss(batch, w.backFrom(), entering, w.lossFrom(), w.lossTo());
                    theta[i] = keep;
                    fd[i] = (up - down) / (2 * STEP);
                }
                assertClose(cell + " window " + w + " " + t.name(), fd, t.data());
            }
        }
        assertEquals(k1 > 0 ? windows.size() : 1, perWindow.size());
    }

    private static void assertClose(String what, double[] expected, float[] actual) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = actual[i] - expected[i];
            diff += d * d;
            norm += expected[i] * expected[i];
        }
        double rel = Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-12);
        assertTrue(norm > 0, what + ": the finite differences are all zero, nothing is tested");
        assertTrue(rel <= TOLERANCE, what + ": relative L2 error " + rel);
    }

    /** Layers of {@link ReferenceGated} composed by hand: layer l+1 reads [h_forward | h_backward] of layer l. */
    private static final class Stack {
        final int layers;
        final int dirs;
        final int hid;
        final int out;
        final boolean ce;
        final ReferenceGated[] cells;
        final double[] v;
        final double[] c;

        Stack(String cell, int in, int hid, int out, String loss, int layers, int dirs, ParameterSet params) {
            this.layers = layers;
            this.dirs = dirs;
            this.hid = hid;
            this.out = out;
            this.ce = loss.equals("ce");
            cells = new ReferenceGated[layers * dirs];
            for (int l = 0; l < layers; l++) {
                for (int d = 0; d < dirs; d++) {
                    ParameterSet view = new ParameterSet();
                    for (String n : ReferenceGated.PARAMS) {
                        Tensor t = params.get(n.equals("V") || n.equals("c") ? n : n + LayerStack.suffix(l, d));
                        view.add(new Tensor(n, t.rows(), t.cols(), t.data()));
                    }
                    cells[l * dirs + d] = new ReferenceGated(cell, l == 0 ? in : dirs * hid, hid, out, loss, view);
                }
            }
            v = cells[0].p.get("V");
            c = cells[0].p.get("c");
        }

        double[] param(String name) {
            if (name.equals("V") || name.equals("c")) {
                return cells[0].p.get(name);
            }
            for (int l = 0; l < layers; l++) {
                for (int d = 0; d < dirs; d++) {
                    String suffix = LayerStack.suffix(l, d);
                    if (name.endsWith(suffix) && !name.endsWith("_reverse") == (d == 0)) {
                        return cells[l * dirs + d].p.get(name.substring(0, name.length() - suffix.length()));
                    }
                }
            }
            throw new AssertionError(name);
        }

        private static double[] x(Batch batch, int t, int b) {
            double[] x = new double[batch.inputSize()];
            for (int i = 0; i < x.length; i++) {
                x[i] = batch.x()[(t * batch.batch() + b) * x.length + i];
            }
            return x;
        }

        /** Every layer's outputs [t][D·H] and its states after each step, from {@code entering} before {@code start}. */
        double[][][] run(Batch batch, int b, double[][] entering, int start, int end, double[][][] statesOut) {
            double[][] input = new double[end][];
            for (int t = start; t < end; t++) {
                input[t] = x(batch, t, b);
            }
            double[][][] o = new double[layers][end][];
            for (int l = 0; l < layers; l++) {
                for (int t = start; t < end; t++) {
                    o[l][t] = new double[dirs * hid];
                }
                for (int d = 0; d < dirs; d++) {
                    double[] s = entering[l * dirs + d].clone();
                    for (int i = 0; i < end - start; i++) {
                        int t = d == 0 ? start + i : end - 1 - i;
                        s = cells[l * dirs + d].step(input[t], s);
                        System.arraycopy(s, 0, o[l][t], d * hid, hid);
                        if (statesOut != null) {
                            statesOut[l * dirs + d][t] = s;
                        }
                    }
                }
                input = o[l];
            }
            return o;
        }

        double[][] statesBefore(Batch batch, int b, double[][] entering, int start) {
            double[][][] states = new double[layers * dirs][start][];
            run(batch, b, entering, 0, start, states);
            double[][] e = new double[layers * dirs][];
            for (int j = 0; j < e.length; j++) {
                e[j] = states[j][start - 1];
            }
            return e;
        }

        double windowLoss(Batch batch, int start, double[][][] entering, int lossFrom, int lossTo) {
            double total = 0;
            for (int b = 0; b < batch.batch(); b++) {
                double[][][] o = run(batch, b, entering[b], start, dirs == 2 ? batch.steps() : lossTo, null);
                for (int t = lossFrom; t < lossTo; t++) {
                    if (batch.lossSteps()[t]) {
                        total += stepLoss(batch, t, b, o[layers - 1][t]);
                    }
                }
            }
            return total / batch.batch();
        }

        private double stepLoss(Batch batch, int t, int b, double[] h) {
            return ReferenceGated.readoutLoss(batch, t, b, h, h.length, v, c, out, ce);
        }
    }
}
