package org.bptt.examples.gated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.bptt.api.data.Batch;
import org.bptt.api.tensor.ParameterSet;
import org.bptt.api.truncation.Truncation.Window;
import org.bptt.training.BpttTrainer;
import org.bptt.training.wiring.PluginChoice;
import org.bptt.training.plugin.Plugins;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The cells' gradients (float32, through the trainer) against central differences of an
 * independent double-precision model ({@link ReferenceGated}) at the same parameters, for
 * every entry of all six parameters: full BPTT, and TBPTT(k1 &lt; k2) with fixed parameters
 * window by window (the state entering a window held constant) and summed.
 *
 * <p>Tolerance: relative L2 error per tensor ≤ 1e-5. The differences are exact to about
 * 1e-9 (step 1e-6 in double: truncation ~h², rounding ~1e-16/h); what remains is float32
 * rounding over a few steps of H-long sums, a few 1e-7 relative, as the golden cases show
 * (errors of 1–3e-7 there).
 */
final class TestFiniteDifferences {
    private static final double TOLERANCE = 1e-5;
    private static final double STEP = 1e-6;

    @ParameterizedTest(name = "{0} {1} tbptt({2},{3}) on {4}")
    @CsvSource({
        "gru, mse, 0, 0, scalar", "gru, ce, 0, 0, simd",
        "lstm, ce, 0, 0, scalar", "lstm, mse, 0, 0, simd",
        "gru, ce, 2, 5, scalar", "gru, mse, 3, 7, simd",
        "lstm, mse, 2, 5, scalar", "lstm, ce, 3, 7, simd"})
    void gradientsMatchFiniteDifferences(String cell, String loss, int k1, int k2, String backend) {
        if (backend.equals("simd")) {
            Assumptions.assumeTrue(Fixtures.simdAvailable(), "jdk.incubator.vector is not in the boot layer");
        }
        int in = 3, hid = 5, out = 4, steps = 11, batchSize = 3;
        boolean truncated = k1 > 0;
        PluginChoice truncation = truncated
                ? new PluginChoice("tbptt", Map.of("k1", Integer.toString(k1), "k2", Integer.toString(k2)))
                : PluginChoice.of("full");
        // Larger than PyTorch's default scale, so that gates saturate partly and every term matters.
        Fixtures.Setup setup = new Fixtures.Setup(cell, in, hid, out, loss, PluginChoice.of("sgd"), PluginChoice.of("none"),
                truncation, new PluginChoice("uniform", Map.of("scale", "2.5")), false);
        BpttTrainer trainer = setup.trainer(backend, 1, 17);
        // Give the biases values too (uniform initializes them; keep a check that they are not all zero).
        assertTrue(Math.abs(trainer.model().params().get("bias_hh").data()[0]) > 0);
        boolean[] lossSteps = new boolean[steps];
        for (int t = 0; t < steps; t++) {
            lossSteps[t] = t % 4 != 1; // some steps without a loss, none of the windows without one
        }
        Batch batch = setup.batch(new SplittableRandom(5), batchSize, steps, lossSteps);
        List<Window> windows = trainer.truncation().windows(steps);
        if (truncated) {
            assertTrue(windows.size() > 2 && windows.get(2).backFrom() > 0 && windows.get(2).backFrom() < windows.get(2).lossFrom(),
                    "overlapping windows reaching back past their losses: " + windows);
        }
        List<ParameterSet> perWindow = new ArrayList<>();
        ParameterSet sum = trainer.gradients(batch, windows, (w, l, g) -> perWindow.add(g.copy())).copy();

        ReferenceGated ref = new ReferenceGated(cell, in, hid, out, loss, trainer.model().params());
        double[][] total = new double[ReferenceGated.PARAMS.size()][];
        for (int wi = 0; wi < windows.size(); wi++) {
            Window w = windows.get(wi);
            double[][] entering = new double[batchSize][];
            for (int b = 0; b < batchSize; b++) {
                entering[b] = ref.stateBefore(batch, b, w.backFrom());
            }
            for (int pi = 0; pi < ReferenceGated.PARAMS.size(); pi++) {
                String name = ReferenceGated.PARAMS.get(pi);
                double[] theta = ref.p.get(name);
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
                assertClose(cell + " window " + w + " " + name, fd, perWindow.get(wi).get(name).data());
                if (total[pi] == null) {
                    total[pi] = new double[fd.length];
                }
                for (int i = 0; i < fd.length; i++) {
                    total[pi][i] += fd[i];
                }
            }
        }
        for (int pi = 0; pi < ReferenceGated.PARAMS.size(); pi++) {
            String name = ReferenceGated.PARAMS.get(pi);
            assertClose(cell + " sum " + name, total[pi], sum.get(name).data());
        }
        assertEquals(truncated ? windows.size() : 1, perWindow.size());
        // The truncated gradient is not the full one: the check above would not tell them apart otherwise.
        if (truncated) {
            BpttTrainer full = setup.trainer(backend, 1, 17);
            float[] g = full.gradients(batch, Plugins.discover().truncations().get("full")
                    .create(org.bptt.api.plugin.PluginOptions.empty("full")).windows(steps), null).get("weight_hh").data();
            double diff = 0;
            double norm = 0;
            for (int i = 0; i < g.length; i++) {
                double d = g[i] - sum.get("weight_hh").data()[i];
                diff += d * d;
                norm += (double) g[i] * g[i];
            }
            assertTrue(Math.sqrt(diff) > 1e-2 * Math.sqrt(norm), "truncation changed the gradient too little to test it");
        }
    }

    private static void assertClose(String what, double[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what);
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
}
