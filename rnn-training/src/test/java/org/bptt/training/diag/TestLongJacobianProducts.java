package org.bptt.training.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.bptt.api.kernel.Activation;
import org.bptt.api.tensor.Tensor;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * Jacobian products over any number of steps: with every state at 0.5 (tanh' = 0.75) and W = c·P
 * for a permutation P, ‖∂h_{T−1}/∂h_k‖ = (0.75·c)^(T−1−k) exactly, an independent reference.
 */
final class TestLongJacobianProducts {
    private static final int H = 8;

    private static double[] norms(double c, int steps) {
        float[] w = new float[H * H];
        for (int i = 0; i < H; i++) {
            w[i * H + (i + 3) % H] = (float) c; // a cyclic shift: orthogonal
        }
        float[] states = new float[(steps + 1) * H];
        Arrays.fill(states, 0.5f);
        return JacobianProducts.normsToLast(new Tensor("W", H, H, w), Activation.TANH, states, 1, 0, steps);
    }

    private static void matchesClosedForm(double c, int steps) {
        double[] n = norms(c, steps);
        double f = 0.75 * (float) c; // W holds floats
        for (int k = 0; k < steps; k++) {
            double ref = Math.pow(f, steps - 1 - k);
            if (ref == 0 || Double.isInfinite(ref)) {
                assertEquals(ref, n[k], "beyond a double's range at k = " + k);
            } else {
                assertEquals(ref, n[k], ref * 1e-9, "k = " + k + " of T = " + steps);
            }
        }
    }

    @Test
    void vanishingOverTwentyThousandStepsNeedsNoConvergingSvdOfSubnormals() {
        matchesClosedForm(0.5, 20_000);
    }

    @Test
    void explodingOverTwentyThousandSteps() {
        matchesClosedForm(2.0, 20_000);
    }

    @Test
    void aShortProductIsUnchanged() {
        matchesClosedForm(1.2, 50);
        matchesClosedForm(1 / 0.75, 300);
    }

    @Test
    void theSpectralNormOfTinyAndHugeMatricesIsExact() {
        for (double scale : new double[] {Double.MIN_VALUE * 8, 1e-310, 1e-200, 1, 1e200, Double.MAX_VALUE / 4}) {
            DMatrixRMaj a = new DMatrixRMaj(3, 3, true, 3, 0, 0, 0, 2, 0, 0, 0, 1);
            for (int i = 0; i < a.data.length; i++) {
                a.data[i] *= scale;
            }
            double s = Spectral.spectralNorm(a);
            assertEquals(3 * scale, s, 3 * scale * 1e-12, "scale " + scale);
        }
        assertEquals(0, Spectral.spectralNorm(new DMatrixRMaj(4, 4)));
        assertTrue(Spectral.spectralNorm(new DMatrixRMaj(2, 2, true, 1, 1, 1, 1)) > 1.99);
    }
}
