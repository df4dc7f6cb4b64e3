package org.bptt.training.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.bptt.api.data.Batch;
import org.bptt.api.data.Task;
import org.bptt.api.kernel.Activation;
import org.bptt.training.Network;
import org.bptt.training.diag.GradientFlowVerdict.Fit;
import org.bptt.training.diag.GradientFlowVerdict.Regime;
import org.bptt.training.diag.GradientFlowVerdict.Saturation;
import org.bptt.training.plugin.PluginFamily;
import org.bptt.training.plugin.Plugins;
import org.junit.jupiter.api.Test;

/** The one verdict: fitted factors against closed forms, the band, and measured products against the formula's. */
final class TestGradientFlowVerdict {
    private static final Plugins PLUGINS = Plugins.discover();

    private static double[] geometric(double f, int t, double scale) {
        double[] n = new double[t];
        for (int k = 0; k < t; k++) {
            n[k] = scale * Math.pow(f, t - 1 - k);
        }
        return n;
    }

    @Test
    void fitsTheFactorOfAGeometricCurveExactly() {
        for (double f : new double[] {1e-3, 0.35, 0.9, 1.0, 1.1, 3.0}) {
            assertEquals(f, GradientFlowVerdict.fitFactor(geometric(f, 40, 7.5)), 1e-12 * Math.max(1, f));
        }
        // Multiplicative noise e^{±0.3} alternating around the line: least squares recovers the slope.
        double[] noisy = geometric(0.8, 41, 1);
        for (int k = 0; k < noisy.length; k++) {
            noisy[k] *= Math.exp(k % 2 == 0 ? 0.3 : -0.3);
        }
        assertEquals(0.8, GradientFlowVerdict.fitFactor(noisy), 0.01);
        // The median of several curves; an even count takes the geometric mean of the middle two.
        assertEquals(Math.sqrt(0.8 * 0.9), GradientFlowVerdict.fitFactor(new double[][] {
                geometric(0.5, 10, 1), geometric(0.8, 10, 1), geometric(0.9, 10, 1), geometric(1.2, 10, 1)}), 1e-12);
    }

    @Test
    void overflowIsInfiniteUnderflowIsZeroAndShortCurvesAreUnmeasured() {
        double[] over = geometric(2, 20, 1);
        over[0] = Double.POSITIVE_INFINITY;
        assertEquals(Double.POSITIVE_INFINITY, GradientFlowVerdict.fitFactor(over));
        over[0] = Double.NaN;
        assertEquals(Double.POSITIVE_INFINITY, GradientFlowVerdict.fitFactor(over));
        double[] under = geometric(0.1, 20, 1);
        for (int k = 0; k < 10; k++) {
            under[k] = 0; // below float's range
        }
        assertEquals(0.1, GradientFlowVerdict.fitFactor(under), 1e-12, "the zeros are left out, the rest fitted");
        assertEquals(0, GradientFlowVerdict.fitFactor(new double[] {0, 0, 0, 1}));
        assertTrue(Double.isNaN(GradientFlowVerdict.fitFactor(new double[] {1})));
        assertEquals(Regime.UNMEASURED, GradientFlowVerdict.classify(Double.NaN));
        assertEquals(Regime.EXPLODING, GradientFlowVerdict.classify(Double.POSITIVE_INFINITY));
        assertEquals(Regime.VANISHING, GradientFlowVerdict.classify(0));
    }

    @Test
    void theStableBandIsFivePercentPerStep() {
        assertEquals(Regime.STABLE, GradientFlowVerdict.classify(1.0));
        assertEquals(Regime.STABLE, GradientFlowVerdict.classify(1.0499));
        assertEquals(Regime.STABLE, GradientFlowVerdict.classify(0.9501));
        assertEquals(Regime.EXPLODING, GradientFlowVerdict.classify(1.0501));
        assertEquals(Regime.VANISHING, GradientFlowVerdict.classify(0.9499));
        assertThrows(IllegalArgumentException.class, () -> GradientFlowVerdict.of(List.of(), 1, 1, true, null));
    }

    @Test
    void theMeasurementDecidesAndTheSpectrumExplains() {
        Fit shrinking = Fit.of("‖∂h_T/∂s_k‖", geometric(0.3, 40, 1));
        // ρ(W) = 1.5 with two thirds of the units saturated, yet the gradient shrinks: the verdict says vanishing and why.
        GradientFlowVerdict v = GradientFlowVerdict.of(List.of(shrinking), 1.5, 2.0, true, new Saturation(0.66, 0, 1, 1000));
        assertEquals(Regime.VANISHING, v.regime());
        assertTrue(v.sentence().contains("ρ(W) is above 1, yet the gradient shrinks, because 66% of the unit values are saturated"),
                v.sentence());
        // A ReLU's large values are not saturation; its off units are what cut the gradient.
        GradientFlowVerdict relu = GradientFlowVerdict.of(List.of(shrinking), 1.1, 2.0, true, new Saturation(0.3, 0.46, 4.2, 1000));
        assertTrue(relu.sentence().contains("46% of the unit values are off") && !relu.sentence().contains("saturated"), relu.sentence());
        GradientFlowVerdict gated = GradientFlowVerdict.of(List.of(Fit.of("x", geometric(1.3, 10, 1))), Double.NaN, Double.NaN, false, null);
        assertEquals(Regime.EXPLODING, gated.regime());
        assertTrue(gated.sentence().contains("no single recurrent matrix W"), gated.sentence());
        assertEquals("exploding", gated.toMap().get("verdict"));
        assertEquals(null, gated.toMap().get("spectral_radius"));
    }

    @Test
    void saturationCountsTheHiddenPartOfEveryStateAfterTheFirst() {
        // Two slots after the initial one, two rows, width 3 of which 2 are h: the third float must not count.
        float[] states = {9, 9, 9, 9, 9, 9, /* slot 1 */ 0.99f, 0, 5, -0.96f, 0.5f, 5, /* slot 2 */ 0, 0, 5, 0.1f, 0.2f, 5};
        Saturation s = Saturation.of(states, 2, 2, 3, 2);
        assertEquals(8, s.values());
        assertEquals(2 / 8.0, s.saturated(), 0);
        assertEquals(3 / 8.0, s.off(), 0);
        assertEquals(0.99f, s.maxAbs(), 1e-7);
    }

    @Test
    void measuredProductsAgreeWithTheFormulaAndFollowTheGainOfALinearCell() throws Exception {
        for (String act : new String[] {"tanh", "relu", "linear"}) {
            Network net = Network.builder().task("adding", "steps", "25").hidden(24).cell("vanilla", "activation", act)
                    .initializer("spectral", "radius", "1.2").build();
            Task task = PLUGINS.create(PluginFamily.TASK, net.config().task());
            Batch sample = NetworkFlow.sample(task, 7, 3);
            NetworkFlow flow = NetworkFlow.measure(net, sample);
            var w = net.model().recurrentMatrix().orElseThrow();
            Activation a = act.equals("linear") ? Activation.IDENTITY : Activation.parse(act);
            for (MeasuredJacobians.Measurement m : flow.measurements()) {
                double[] ref = JacobianProducts.normsToLast(w, a, m.states(), m.rows(), 0, m.steps());
                for (int k = 0; k < ref.length; k++) {
                    assertEquals(ref[k], m.norms()[k], 1e-4 * ref[k] + 1e-30, act + " step " + k);
                }
            }
        }
        // A linear cell with W = g·I: the products are g^(T-1-k) exactly, whatever the inputs.
        for (double g : new double[] {0.9, 1.0, 1.1}) {
            Network net = Network.builder().task("adding", "steps", "30").hidden(8).cell("vanilla", "activation", "linear")
                    .initializer("identity", "gain", Double.toString(g)).build();
            Task task = PLUGINS.create(PluginFamily.TASK, net.config().task());
            NetworkFlow flow = NetworkFlow.measure(net, NetworkFlow.sample(task, 1, 2));
            GradientFlowVerdict v = flow.verdict(List.of());
            assertEquals(g, v.factor(), 1e-5);
            assertEquals(g, v.radius(), 1e-6);
            assertEquals(GradientFlowVerdict.classify(g), v.regime());
        }
    }
}
