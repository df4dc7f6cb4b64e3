package org.bptt.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bptt.api.data.Batch;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.tensor.ParameterSet;
import org.bptt.api.truncation.Truncation.Window;
import org.bptt.training.plugin.Plugins;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Full and truncated BPTT gradients against central finite differences of an independent
 * double-precision forward pass ({@link ReferenceRnn}), on both backends.
 */
final class TestBpttGradients {
    static final String[] NAMES = {"U", "W", "b", "V", "c"};
    /** float32 backward against float64 differences: observed errors are ~1e-6. */
    private static final double TOLERANCE = 1e-4;

    static Stream<Arguments> cases() {
        List<Arguments> list = new ArrayList<>();
        for (String backend : new String[] {"scalar", "auto"}) {
            list.add(Arguments.of(backend, false, true, Batch.allSteps(9), 1, 1));
            list.add(Arguments.of(backend, true, false, Batch.allSteps(9), 3, 3));
            list.add(Arguments.of(backend, false, false, Batch.lastStep(9), 2, 5));
            list.add(Arguments.of(
                    backend,
                    true,
                    true,
                    new boolean[] {false, true, false, false, true, true, false, false, true},
                    4,
                    4));
            list.add(Arguments.of(backend, false, true, Batch.allSteps(9), 2, 4));
        }
        return list.stream();
    }

    @ParameterizedTest(name = "{0} relu={1} ce={2} k1={4} k2={5}")
    @MethodSource("cases")
    void fullAndTruncatedGradientsMatchFiniteDifferences(
            String backend, boolean relu, boolean ce, boolean[] lossSteps, int k1, int k2) {
        Problems pr = new Problems(11, 3, 5, 4, 9, 3, relu, ce, lossSteps);
        BpttTrainer trainer = pr.trainer(backend);
        Batch batch = pr.batchOf();
        double[][] p0 = Problems.params(trainer.model().params());
        ReferenceRnn ref = new ReferenceRnn(pr.in, pr.hid, pr.out, relu, ce);
        double scale = 1.0 / pr.batch;

        // Full BPTT: one window over everything.
        ParameterSet full = trainer.gradients(batch, trainer.truncation().windows(pr.steps), null);
        double[][] fd = finiteDifferences(ref, pr, p0, pr.h0, 0, 0, pr.steps, scale);
        for (int i = 0; i < NAMES.length; i++) {
            double err = Problems.relativeError(full.get(NAMES[i]).data(), fd[i]);
            assertTrue(err < TOLERANCE, "full grads." + NAMES[i] + " relative error " + err);
        }
        double loss = ref.loss(p0, pr.x, pr.classes, pr.targets, lossSteps, pr.h0, 0, 0, pr.steps, scale);
        assertEquals(loss, trainer.forward(batch), 1e-5 * Math.max(1, Math.abs(loss)));

        // TBPTT(k1, k2): each window's gradient is d(window loss)/dθ with the entering state held constant.
        List<Window> windows = Plugins.discover()
                .truncations()
                .get("tbptt")
                .create(PluginOptions.empty("tbptt").with("k1", k1).with("k2", k2))
                .windows(pr.steps);
        List<double[][]> got = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        trainer.gradients(batch, windows, (w, l, g) -> {
            got.add(Problems.params(g));
            losses.add(l);
        });
        assertEquals(windows.size(), got.size());
        for (int wi = 0; wi < windows.size(); wi++) {
            Window w = windows.get(wi);
            double[][] entering = enteringStates(ref, pr, p0, w.backFrom());
            double[][] fdw = finiteDifferences(ref, pr, p0, entering, w.backFrom(), w.lossFrom(), w.lossTo(), scale);
            double lw = ref.loss(
                    p0,
                    pr.x,
                    pr.classes,
                    pr.targets,
                    lossSteps,
                    entering,
                    w.backFrom(),
                    w.lossFrom(),
                    w.lossTo(),
                    scale);
            assertEquals(lw, losses.get(wi), 1e-5 * Math.max(1, Math.abs(lw)), "loss of window " + w);
            for (int i = 0; i < NAMES.length; i++) {
                float[] g = new float[fdw[i].length];
                for (int k = 0; k < g.length; k++) {
                    g[k] = (float) got.get(wi)[i][k];
                }
                double err = Problems.relativeError(g, fdw[i]);
                boolean allZero = java.util.Arrays.stream(fdw[i]).allMatch(v -> Math.abs(v) < 1e-12);
                assertTrue(
                        allZero ? maxAbs(g) < 1e-7 : err < TOLERANCE,
                        "window " + w + " grads." + NAMES[i] + " relative error " + err);
            }
        }
    }

    private static double maxAbs(float[] g) {
        double m = 0;
        for (float v : g) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** The reference states entering step {@code start} of every sequence. */
    private static double[][] enteringStates(ReferenceRnn ref, Problems pr, double[][] p, int start) {
        double[][] e = new double[pr.batch][];
        for (int b = 0; b < pr.batch; b++) {
            e[b] = start == 0 ? pr.h0[b].clone() : ref.states(p, pr.x[b], pr.h0[b])[start - 1];
        }
        return e;
    }

    static double[][] finiteDifferences(
            ReferenceRnn ref,
            Problems pr,
            double[][] p0,
            double[][] entering,
            int start,
            int lossFrom,
            int lossTo,
            double scale) {
        double eps = 1e-6;
        double[][] g = new double[p0.length][];
        for (int i = 0; i < p0.length; i++) {
            g[i] = new double[p0[i].length];
            for (int k = 0; k < p0[i].length; k++) {
                double[][] plus = ReferenceRnn.copy(p0);
                double[][] minus = ReferenceRnn.copy(p0);
                plus[i][k] += eps;
                minus[i][k] -= eps;
                double lp = ref.loss(
                        plus, pr.x, pr.classes, pr.targets, pr.lossSteps, entering, start, lossFrom, lossTo, scale);
                double lm = ref.loss(
                        minus, pr.x, pr.classes, pr.targets, pr.lossSteps, entering, start, lossFrom, lossTo, scale);
                g[i][k] = (lp - lm) / (2 * eps);
            }
        }
        return g;
    }
}
