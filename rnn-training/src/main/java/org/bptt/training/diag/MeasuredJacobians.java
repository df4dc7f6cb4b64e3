package org.bptt.training.diag;

import org.bptt.api.cell.CellContext;
import org.bptt.api.cell.CellRunner;
import org.bptt.api.data.Batch;
import org.bptt.api.kernel.Kernels;
import org.bptt.training.Model;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.NormOps_DDRM;

/**
 * The Jacobian products ∂h_{T−1}/∂s_k of any cell, measured through the cell's own backward
 * pass: no formula for its step Jacobian is needed, so this works for gated cells as for the
 * vanilla one. One sequence is replicated H times as a batch; row r back-propagates the unit
 * vector e_r from h_{T−1}, so after one backward pass over [0, T) row r of slot k+1 holds row r
 * of ∂h_{T−1}/∂s_k (an H×S matrix, S the state width). Its largest singular value says how much
 * of a gradient at the last step can reach step k: it shrinks geometrically when gradients
 * vanish and grows when they explode.
 */
public final class MeasuredJacobians {
    /** Above this many rows the spectral norm is found by power iteration instead of a full SVD. */
    private static final int SVD_LIMIT = 256;

    private MeasuredJacobians() {}

    /**
     * @param model   the network (its parameters are read, not modified)
     * @param kernels the backend
     * @param sample  a batch whose sequence {@code seq} is measured
     * @param seq     which sequence of the batch
     * @return norms[k] = ‖∂h_{T−1}/∂s_k‖₂ for k = 0..T−1 (norms[T−1] = 1)
     */
    public static double[] normsToLast(Model model, Kernels kernels, Batch sample, int seq) {
        return measure(model, kernels, sample, seq).norms();
    }

    /**
     * The norms and the forward states they were measured on.
     *
     * @param norms  norms[k] = ‖∂h_{T−1}/∂s_k‖₂ for k = 0..T−1
     * @param states the forward states of the H copies of the sequence: T+1 slots of H rows of
     *               {@code width} floats (slot t+1 after step t), every row the same
     * @param rows   H, the copies per slot
     * @param width  S, the state width
     * The arrays are handed over, not copied: the measurement is the caller's.
     */
    public record Measurement(double[] norms, float[] states, int rows, int width) {
        /** T. */
        public int steps() {
            return norms.length;
        }

        /** How the units sat along the sequence (one copy's rows counted once). */
        public GradientFlowVerdict.Saturation saturation(int hidden) {
            float[] one = new float[(steps() + 1) * width];
            for (int t = 0; t <= steps(); t++) {
                System.arraycopy(states, t * rows * width, one, t * width, width);
            }
            return GradientFlowVerdict.Saturation.of(one, steps(), 1, width, hidden);
        }
    }

    /** As {@link #normsToLast}, keeping the forward states (for the units' saturation and reference products). */
    public static Measurement measure(Model model, Kernels kernels, Batch sample, int seq) {
        return measure(model, kernels, sample, seq, true);
    }

    /**
     * The gain over the whole sequence, ‖∂h_{T−1}/∂s_0‖₂, alone: one backward pass as for
     * {@link #measure}, but one singular value decomposition instead of T.
     */
    public static double gain(Model model, Kernels kernels, Batch sample, int seq) {
        return measure(model, kernels, sample, seq, false).norms()[0];
    }

    /** With {@code everyStep} false only norms[0] is computed, the others are NaN. */
    private static Measurement measure(Model model, Kernels kernels, Batch sample, int seq, boolean everyStep) {
        int h = model.hiddenSize();
        int width = model.stateWidth();
        int in = model.inputSize();
        int steps = sample.steps();
        // The batch of H copies: the runner's parameter gradients go to a scratch set, never the model's.
        CellRunner runner = model.cell()
                .bind(new CellContext(
                        in, h, h, steps, model.params(), model.params().zerosLike(), kernels));
        float[] x = new float[Math.multiplyExact(steps, Math.multiplyExact(h, in))];
        for (int t = 0; t < steps; t++) {
            int src = (t * sample.batch() + seq) * in;
            for (int r = 0; r < h; r++) {
                System.arraycopy(sample.x(), src, x, (t * h + r) * in, in);
            }
        }
        int slot = h * width;
        float[] states = new float[Math.multiplyExact(steps + 1, slot)];
        float[] h0 = sample.h0();
        if (h0 != null) {
            boolean whole = h0.length == sample.batch() * width;
            int len = whole ? width : h;
            for (int r = 0; r < h; r++) {
                System.arraycopy(h0, seq * len, states, r * width, len);
            }
        }
        runner.forward(0, steps, x, states);
        float[] d = new float[states.length];
        for (int r = 0; r < h; r++) {
            d[steps * slot + r * width + r] = 1f;
        }
        runner.backward(0, steps, x, states, d);
        double[] norms = new double[steps];
        java.util.Arrays.fill(norms, Double.NaN);
        DMatrixRMaj j = new DMatrixRMaj(h, width);
        for (int k = 0; k < (everyStep ? steps : 1); k++) {
            int off = (k + 1) * slot;
            for (int i = 0; i < j.data.length; i++) {
                j.data[i] = d[off + i];
            }
            norms[k] = spectralNorm(j);
        }
        return new Measurement(norms, states, h, width);
    }

    /** σ_max of a (not modified): an SVD for small matrices, power iteration on aᵀa for large ones. */
    static double spectralNorm(DMatrixRMaj a) {
        for (double v : a.data) {
            if (!Double.isFinite(v)) {
                return Double.NaN;
            }
        }
        if (a.numRows <= SVD_LIMIT) {
            return Spectral.spectralNorm(a);
        }
        DMatrixRMaj v = new DMatrixRMaj(a.numCols, 1);
        DMatrixRMaj av = new DMatrixRMaj(a.numRows, 1);
        DMatrixRMaj atav = new DMatrixRMaj(a.numCols, 1);
        java.util.Arrays.fill(v.data, 1.0 / Math.sqrt(a.numCols));
        double sigma = 0;
        for (int it = 0; it < 100; it++) {
            CommonOps_DDRM.mult(a, v, av);
            CommonOps_DDRM.multTransA(a, av, atav);
            double n = NormOps_DDRM.normF(atav);
            if (n == 0) {
                return 0;
            }
            CommonOps_DDRM.divide(atav, n, v);
            double next = Math.sqrt(n);
            if (Math.abs(next - sigma) <= 1e-9 * next) {
                return next;
            }
            sigma = next;
        }
        return sigma;
    }
}
