package org.bptt.training.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.bptt.api.cell.CellContext;
import org.bptt.api.cell.CellRunner;
import org.bptt.api.data.Batch;
import org.bptt.api.data.Task;
import org.bptt.api.kernel.Activation;
import org.bptt.api.kernel.ScalarKernels;
import org.bptt.training.Model;
import org.bptt.training.Network;
import org.bptt.training.diag.GradientFlowVerdict.Gain;
import org.bptt.training.diag.GradientFlowVerdict.Regime;
import org.bptt.training.diag.GradientFlowVerdict.Saturation;
import org.bptt.training.plugin.PluginFamily;
import org.bptt.training.plugin.Plugins;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.junit.jupiter.api.Test;

/**
 * The one verdict: the gain over the task's T with its interval decides (the issue's cases on real
 * networks), the fitted factor and λ₁ explain; λ₁ against ln ρ for linear cells and against an
 * independent QR iteration in double precision.
 */
final class TestGradientFlowVerdict {
    private static final Plugins PLUGINS = Plugins.discover();

    private static double[] geometric(double f, int t, double scale) {
        double[] n = new double[t];
        for (int k = 0; k < t; k++) {
            n[k] = scale * Math.pow(f, t - 1 - k);
        }
        return n;
    }

    private static Network net(String act, String init, String key, String value, int steps, int hidden) {
        return Network.builder()
                .task("adding", "steps", Integer.toString(steps))
                .hidden(hidden)
                .cell("vanilla", "activation", act)
                .initializer(init, key, value)
                .build();
    }

    private static NetworkFlow flow(Network net) {
        Task task = PLUGINS.create(PluginFamily.TASK, net.config().task());
        return NetworkFlow.measure(net, task);
    }

    @Test
    void theIntervalOfTheGainDecides() {
        assertEquals(Regime.EXPLODING, GradientFlowVerdict.classify(new Interval(30, 11, 50, 0.95)));
        assertEquals(Regime.VANISHING, GradientFlowVerdict.classify(new Interval(0.05, 0.01, 0.099, 0.95)));
        assertEquals(Regime.STABLE, GradientFlowVerdict.classify(new Interval(1, 0.1, 10, 0.95)));
        assertEquals(Regime.UNDECIDED, GradientFlowVerdict.classify(new Interval(9.9, 8.7, 11, 0.95)));
        assertEquals(Regime.UNDECIDED, GradientFlowVerdict.classify(new Interval(0.2, 0.05, 0.5, 0.95)));
        assertEquals(Regime.UNMEASURED, GradientFlowVerdict.classify(Interval.NONE));
        assertEquals(Regime.EXPLODING, GradientFlowVerdict.classify(Interval.point(Double.POSITIVE_INFINITY)));
        assertEquals(Regime.VANISHING, GradientFlowVerdict.classify(Interval.point(0)));
    }

    @Test
    void theBootstrapIsSeededAndBracketsTheMedian() {
        double[] x = new double[33];
        for (int i = 0; i < x.length; i++) {
            x[i] = i; // median 16
        }
        Interval a = Interval.bootstrapMedian(x, 7);
        assertEquals(16, a.estimate());
        assertEquals(a, Interval.bootstrapMedian(x, 7), "the same seed, the same interval");
        // The median of 33 uniform ranks: its 95% interval is about ±1.96·√33/2 ≈ ±5.6 ranks.
        assertTrue(a.low() >= 9 && a.low() <= 13 && a.high() >= 19 && a.high() <= 23, a.toString());
        // Overflowed (NaN) products count as +∞ and underflowed ones as 0; the median stays a number.
        Gain g = Gain.of("g", new double[] {Double.NaN, Double.NaN, 0, 2, 3, 4, 5}, 10, true, 1);
        assertEquals(4, g.gain().estimate(), 1e-12);
        assertEquals(Gain.recorded("r", new double[] {8, 4, 2}).gain(), Interval.point(4));
    }

    @Test
    void theIssuesCasesReadAsMeasured() {
        // tanh, Gaussian W scaled to ρ = 1.5, T = 100: under the old ±5%-per-step band this read "stable".
        GradientFlowVerdict tanh =
                flow(net("tanh", "spectral", "radius", "1.5", 100, 64)).verdict(List.of());
        assertEquals(Regime.EXPLODING, tanh.regime(), tanh.sentence());
        assertTrue(tanh.gain().gain().low() > 10 && tanh.gain().sequences() == NetworkFlow.SEQUENCES, tanh.sentence());
        assertTrue(
                tanh.sentence().startsWith("exploding: over the T = 100 steps of the task the gradient grows ×"),
                tanh.sentence());
        assertTrue(tanh.sentence().contains("of 32 held-out sequences; 95% interval ×"), tanh.sentence());
        // ReLU with W = g·I: the gain over 99 step transitions is g^99 on every sequence whose units stay on.
        GradientFlowVerdict up =
                flow(net("relu", "identity", "gain", "1.1", 100, 64)).verdict(List.of());
        assertEquals(Regime.EXPLODING, up.regime(), up.sentence());
        assertEquals(Math.pow(1.1, 99), up.gain().gain().estimate(), 1e-4 * Math.pow(1.1, 99));
        GradientFlowVerdict flat =
                flow(net("relu", "identity", "gain", "1.0", 100, 64)).verdict(List.of());
        assertEquals(Regime.STABLE, flat.regime(), flat.sentence());
        assertEquals(1, flat.gain().gain().estimate(), 1e-5);
        assertTrue(flat.sentence().contains("ρ(W) = 1") && !flat.sentence().contains("above 1"), flat.sentence());
        GradientFlowVerdict down =
                flow(net("tanh", "spectral", "radius", "0.5", 100, 64)).verdict(List.of());
        assertEquals(Regime.VANISHING, down.regime(), down.sentence());
        // ρ = 1.1: the median gain is ≈ ×10 and its interval reaches across the bound.
        GradientFlowVerdict edge =
                flow(net("tanh", "spectral", "radius", "1.1", 100, 64)).verdict(List.of());
        assertEquals(Regime.UNDECIDED, edge.regime(), edge.sentence());
        assertTrue(edge.gain().gain().low() < 10 && edge.gain().gain().high() > 10, edge.sentence());
        Object json = edge.toMap().get("gain_low");
        assertEquals(edge.gain().gain().low(), (double) json);
        assertEquals("undecided", edge.toMap().get("verdict"));
    }

    @Test
    void aVerdictRepeatsExactlyFromItsSeed() {
        Network n = net("tanh", "spectral", "radius", "1.1", 30, 16);
        assertEquals(
                flow(n).verdict(List.of()).sentence(),
                flow(n).verdict(List.of()).sentence());
    }

    @Test
    void anOrthogonalWIsNeverAbove1() {
        // ρ = 1 + 1e-7 prints as 1; the words follow what is printed.
        GradientFlowVerdict v = GradientFlowVerdict.of(
                Gain.of("g", new double[] {0.01, 0.02, 0.03}, 50, true, 1),
                List.of(),
                null,
                1 + 1e-7,
                1 + 1e-7,
                true,
                null);
        assertEquals(Regime.VANISHING, v.regime());
        assertTrue(
                v.sentence().contains("ρ(W) = 1,")
                        && v.sentence().contains("ρ(W) is at 1")
                        && !v.sentence().contains("above 1"),
                v.sentence());
    }

    @Test
    void theUnitsExplain() {
        Gain shrinking = Gain.of("g", new double[] {1e-9, 2e-9, 3e-9}, 40, true, 1);
        GradientFlowVerdict v =
                GradientFlowVerdict.of(shrinking, List.of(), null, 1.5, 2.0, true, new Saturation(0.66, 0, 1, 1000));
        assertTrue(
                v.sentence()
                        .contains(
                                "ρ(W) is above 1, yet the gradient shrinks, because 66% of the unit values are saturated"),
                v.sentence());
        GradientFlowVerdict relu = GradientFlowVerdict.of(
                shrinking, List.of(), null, 1.1, 2.0, true, new Saturation(0.3, 0.46, 4.2, 1000));
        assertTrue(
                relu.sentence().contains("46% of the unit values are off")
                        && !relu.sentence().contains("saturated"),
                relu.sentence());
        GradientFlowVerdict gated = GradientFlowVerdict.of(
                Gain.recorded("x", new double[] {300, 1}), List.of(), null, Double.NaN, Double.NaN, false, null);
        assertEquals(Regime.EXPLODING, gated.regime());
        assertTrue(
                gated.sentence().contains("no single recurrent matrix W")
                        && gated.sentence().contains("one curve, no interval"),
                gated.sentence());
        assertEquals(null, gated.toMap().get("spectral_radius"));
    }

    @Test
    void fitsTheFactorOfAGeometricCurveExactly() {
        for (double f : new double[] {1e-3, 0.35, 0.9, 1.0, 1.1, 3.0}) {
            assertEquals(f, GradientFlowVerdict.fitFactor(geometric(f, 40, 7.5)), 1e-12 * Math.max(1, f));
        }
        assertEquals(
                Math.sqrt(0.8 * 0.9),
                GradientFlowVerdict.fitFactor(new double[][] {
                    geometric(0.5, 10, 1), geometric(0.8, 10, 1), geometric(0.9, 10, 1), geometric(1.2, 10, 1)
                }),
                1e-12);
        double[] over = geometric(2, 20, 1);
        over[0] = Double.NaN;
        assertEquals(Double.POSITIVE_INFINITY, GradientFlowVerdict.fitFactor(over));
        assertEquals(0, GradientFlowVerdict.fitFactor(new double[] {0, 0, 0, 1}));
    }

    @Test
    void saturationCountsTheHiddenPartOfEveryStateAfterTheFirst() {
        float[] states = {
            9, 9, 9, 9, 9, 9, /* slot 1 */ 0.99f, 0, 5, -0.96f, 0.5f, 5, /* slot 2 */ 0, 0, 5, 0.1f, 0.2f, 5
        };
        Saturation s = Saturation.of(states, 2, 2, 3, 2);
        assertEquals(8, s.values());
        assertEquals(2 / 8.0, s.saturated(), 0);
        assertEquals(3 / 8.0, s.off(), 0);
    }

    @Test
    void measuredProductsAgreeWithTheFormula() throws Exception {
        for (String act : new String[] {"tanh", "relu", "linear"}) {
            Network net = net(act, "spectral", "radius", "1.2", 25, 24);
            Task task = PLUGINS.create(PluginFamily.TASK, net.config().task());
            NetworkFlow flow = NetworkFlow.measure(net, NetworkFlow.sample(task, 7, 3), 3, false, 7);
            var w = net.model().recurrentMatrix().orElseThrow();
            Activation a = act.equals("linear") ? Activation.IDENTITY : Activation.parse(act);
            for (MeasuredJacobians.Measurement m : flow.measurements()) {
                double[] ref = JacobianProducts.normsToLast(w, a, m.states(), m.rows(), 0, m.steps());
                for (int k = 0; k < ref.length; k++) {
                    assertEquals(ref[k], m.norms()[k], 1e-4 * ref[k] + 1e-30, act + " step " + k);
                }
            }
            assertEquals(
                    flow.measurements().get(0).norms()[0], flow.gains()[0], 0, "the gain is the curve's first point");
        }
    }

    @Test
    void lyapunovOfALinearCellIsLnRho() {
        for (double rho : new double[] {0.5, 0.9, 1.05}) {
            NetworkFlow f = flow(net("linear", "spectral", "radius", Double.toString(rho), 10, 16));
            Interval l = f.lyapunov().exponent();
            assertTrue(l.low() - 1e-6 <= Math.log(rho) && Math.log(rho) <= l.high() + 1e-6, rho + ": " + l);
            assertTrue(l.high() - l.low() < 0.05, rho + ": " + l);
        }
        // W = g·I: every step multiplies by g exactly.
        assertEquals(
                Math.log(0.9),
                flow(net("linear", "identity", "gain", "0.9", 20, 8))
                        .lyapunov()
                        .exponent()
                        .estimate(),
                1e-6);
    }

    /**
     * An independent reference: the forward QR iteration with a full orthonormal basis, each step's
     * Jacobian diag(1 − h²)·W from the formula, in double precision (Engelken et al.'s algorithm
     * as written), on the same driven trajectory; the implementation iterates one vector backward
     * through the cell's own backward pass in float.
     */
    @Test
    void lyapunovAgreesWithAForwardQrIterationInDoublePrecision() {
        for (String radius : new String[] {"0.8", "1.5", "3"}) {
            Network net = net("tanh", "spectral", "radius", radius, 20, 6);
            Task task = PLUGINS.create(PluginFamily.TASK, net.config().task());
            Batch sample = NetworkFlow.heldOut(task, 3, 16);
            Lyapunov.Estimate e = Lyapunov.largest(net.model(), net.trainer().kernels(), sample, 11);
            double ref = forwardQr(net.model(), net, sample);
            Interval l = e.exponent();
            double slack = Math.max(l.high() - l.low(), 1e-3);
            assertEquals(ref, l.estimate(), slack, radius + ": reference " + ref + ", estimate " + l);
            assertNotEquals(0, ref);
        }
    }

    /** λ₁ of the kept blocks (the first and last of the chained sequences left out), by forward QR over all H directions. */
    private static double forwardQr(Model model, Network net, Batch sample) {
        int h = model.hiddenSize();
        int in = model.inputSize();
        int t = sample.steps();
        int n = sample.batch();
        int len = t * n;
        CellRunner runner = model.cell()
                .bind(new CellContext(
                        in,
                        h,
                        1,
                        len,
                        model.params(),
                        model.params().zerosLike(),
                        net.trainer().kernels()));
        float[] x = new float[len * in];
        for (int b = 0; b < n; b++) {
            for (int s = 0; s < t; s++) {
                System.arraycopy(sample.x(), (s * n + b) * in, x, (b * t + s) * in, in);
            }
        }
        float[] states = new float[(len + 1) * h];
        runner.forward(0, len, x, states);
        DMatrixRMaj w = Spectral.toDouble(model.recurrentMatrix().orElseThrow());
        DMatrixRMaj q = CommonOps_DDRM.identity(h);
        DMatrixRMaj j = new DMatrixRMaj(h, h);
        DMatrixRMaj next = new DMatrixRMaj(h, h);
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(h, h);
        double sum = 0;
        for (int s = 0; s < len - t; s++) {
            // J_s = ∂h_{s+1}/∂h_s = diag(act'(h_{s+1}))·W; h_{s+1} is slot s+1.
            for (int r = 0; r < h; r++) {
                double d = ScalarKernels.derivativeFromOutput(Activation.TANH, states[(s + 1) * h + r]);
                for (int c = 0; c < h; c++) {
                    j.data[r * h + c] = d * w.get(r, c);
                }
            }
            CommonOps_DDRM.mult(j, q, next);
            qr.decompose(next);
            DMatrixRMaj rm = qr.getR(null, true);
            q = qr.getQ(null, true);
            // Keep R's diagonal positive, so that ln R₁₁ is the growth of the leading direction.
            for (int c = 0; c < h; c++) {
                if (rm.get(c, c) < 0) {
                    for (int r = 0; r < h; r++) {
                        q.set(r, c, -q.get(r, c));
                    }
                }
            }
            if (s >= t) {
                sum += Math.log(Math.abs(rm.get(0, 0)));
            }
        }
        return sum / (len - 2 * t);
    }

    @Test
    void theFittedCurveOfExactPowersIsThoseCurvesLevelsGeometricMean() {
        // 3·0.8^(T−1−k) and 12·0.8^(T−1−k): factor 0.8, and the least-squares level for it is √(3·12) = 6.
        double[][] curves = new double[2][20];
        for (int k = 0; k < 20; k++) {
            curves[0][k] = 3 * Math.pow(0.8, 19 - k);
            curves[1][k] = 12 * Math.pow(0.8, 19 - k);
        }
        double[] line = GradientFlowVerdict.fittedCurve(curves);
        assertEquals(20, line.length);
        for (int k = 0; k < 20; k++) {
            assertEquals(6 * Math.pow(0.8, 19 - k), line[k], 1e-12 * line[k], "k = " + k);
        }
        // Zeros are left out of the level as of the factor: 19 points at level 3, 20 at level 12.
        curves[0][3] = 0;
        double level = Math.exp((19 * Math.log(3) + 20 * Math.log(12)) / 39);
        assertEquals(level * Math.pow(0.8, 19), GradientFlowVerdict.fittedCurve(curves)[0], 1e-12);
        // An overflowed curve has no line to draw.
        curves[1][5] = Double.POSITIVE_INFINITY;
        assertEquals(0, GradientFlowVerdict.fittedCurve(curves).length);
    }
}
