package org.bptt.training.diag;

import org.bptt.api.internal.kernel.ScalarLoops;
import org.bptt.api.kernel.Activation;
import org.bptt.api.tensor.Tensor;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Norms of the Jacobian products ∂h_{T−1}/∂h_k = J_{T−1}···J_{k+1} of a vanilla cell, with
 * J_t = diag(act'(z_t))·W: how much of a gradient at the last step reaches step k. They
 * shrink geometrically when gradients vanish and grow when they explode; over any number of
 * steps (a norm below a double's range is 0, above it infinite).
 */
public final class JacobianProducts {
    private JacobianProducts() {}

    /**
     * @param w      the recurrent matrix (H×H)
     * @param act    the cell's activation
     * @param states the forward states: slots of B×H, slot t+1 after step t (as the trainer keeps them)
     * @param batch  B
     * @param seq    which sequence of the batch
     * @param steps  T
     * @return norms[k] = ‖∂h_{T−1}/∂h_k‖₂ for k = 0..T−1 (norms[T−1] = 1)
     */
    public static double[] normsToLast(Tensor w, Activation act, float[] states, int batch, int seq, int steps) {
        int h = w.rows();
        DMatrixRMaj wd = Spectral.toDouble(w);
        DMatrixRMaj p = CommonOps_DDRM.identity(h);
        DMatrixRMaj scaled = new DMatrixRMaj(h, h);
        DMatrixRMaj next = new DMatrixRMaj(h, h);
        double[] norms = new double[steps];
        norms[steps - 1] = 1.0;
        // P is kept scaled to a largest entry of 1, its true size as log(scale): over thousands of
        // steps the product itself would underflow or overflow a double, and no SVD converges on that.
        double logScale = 0;
        for (int k = steps - 2; k >= 0; k--) {
            // P ← P · diag(act'(h_{k+1})) · W
            int off = (k + 2) * batch * h + seq * h;
            scaled.setTo(p);
            for (int j = 0; j < h; j++) {
                double d = ScalarLoops.derivativeFromOutput(act, states[off + j]);
                for (int i = 0; i < h; i++) {
                    scaled.data[i * h + j] *= d;
                }
            }
            CommonOps_DDRM.mult(scaled, wd, next);
            DMatrixRMaj t = p;
            p = next;
            next = t;
            double largest = CommonOps_DDRM.elementMaxAbs(p);
            if (!(largest > 0) || !Double.isFinite(largest)) {
                // Exactly zero (a saturated step) stays zero; non-finite weights give no norm.
                double fill = largest == 0 ? 0 : Double.NaN;
                java.util.Arrays.fill(norms, 0, k + 1, fill);
                break;
            }
            CommonOps_DDRM.divide(p, largest);
            logScale += Math.log(largest);
            norms[k] = Math.exp(logScale) * Spectral.spectralNorm(p);
        }
        return norms;
    }
}
