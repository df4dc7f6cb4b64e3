package org.bptt.training.diag;

import java.util.SplittableRandom;
import org.bptt.api.cell.CellContext;
import org.bptt.api.cell.CellRunner;
import org.bptt.api.data.Batch;
import org.bptt.api.kernel.Kernels;
import org.bptt.training.Model;

/**
 * The largest Lyapunov exponent λ₁ of the hidden dynamics: the rate at which a perturbation of
 * the state (and, equally, a gradient going back) grows per step along a trajectory driven by the
 * task's inputs, λ₁ = lim (1/n)·ln‖J_n ··· J_1 v‖ (Engelken, Wolf &amp; Abbott 2020, "Lyapunov
 * spectra of chaotic recurrent neural networks"). The finite-T gain ‖∂h_T/∂h_0‖ approaches
 * e^{λ₁·T} as T grows; for a linear cell λ₁ = ln ρ(W).
 *
 * <p>Method: the sample's sequences are chained into one trajectory (the state at the end of one
 * is the start of the next). The QR iteration for the leading exponent needs one column, so its
 * Q-step is a renormalisation: v ← Jᵀv / ‖Jᵀv‖ at every step, ln‖Jᵀv‖ summed. The step is the
 * cell's own backward pass over one step (so any cell works, as for {@link MeasuredJacobians});
 * a product and its transpose have the same singular values, so the adjoint iteration gives the
 * same λ₁. Each chained sequence is a block; the block nearest the trajectory's end is dropped
 * while v aligns with the leading direction, and the first while the state forgets h = 0. λ₁ is
 * the mean of the kept blocks' rates, its interval the bootstrap interval of that mean.
 */
public final class Lyapunov {
    private Lyapunov() {}

    /**
     * @param exponent λ₁ per step with its interval; −∞ when the tangent vector reached 0
     * @param steps    the steps of the trajectory the rate was averaged over
     * @param blocks   the blocks the interval was bootstrapped over
     */
    public record Estimate(Interval exponent, int steps, int blocks) {
        public static final Estimate NONE = new Estimate(Interval.NONE, 0, 0);

        public boolean measured() {
            return exponent.measured();
        }
    }

    /**
     * λ₁ along the trajectory through every sequence of {@code sample} in turn.
     *
     * @param model  the network (read, not modified)
     * @param sample sequences to chain; at least 3 for an interval
     * @param seed   the starting vector's and the bootstrap's generator
     */
    public static Estimate largest(Model model, Kernels kernels, Batch sample, long seed) {
        if (model.cell() instanceof org.bptt.training.LayerStack stack
                && stack.layers().bidirectional()) {
            return Estimate
                    .NONE; // a backward direction's state depends on later inputs: there is no trajectory to follow
        }
        int h = model.hiddenSize();
        int width = model.stateWidth();
        int in = model.inputSize();
        int t = sample.steps();
        int n = sample.batch();
        int len = Math.multiplyExact(t, n);
        CellRunner runner = model.cell()
                .bind(new CellContext(
                        in, h, 1, len, model.params(), model.params().zerosLike(), kernels));
        float[] x = new float[Math.multiplyExact(len, in)];
        for (int b = 0; b < n; b++) {
            for (int s = 0; s < t; s++) {
                System.arraycopy(sample.x(), (s * n + b) * in, x, (b * t + s) * in, in);
            }
        }
        float[] states = new float[Math.multiplyExact(len + 1, width)];
        runner.forward(0, len, x, states);
        float[] d = new float[states.length];
        SplittableRandom r = new SplittableRandom(seed);
        double norm = 0;
        double[] v = new double[width];
        for (int j = 0; j < width; j++) {
            v[j] = r.nextDouble() - 0.5;
            norm += v[j] * v[j];
        }
        for (int j = 0; j < width; j++) {
            d[len * width + j] = (float) (v[j] / Math.sqrt(norm));
        }
        double[] rate = new double[n];
        for (int s = len - 1; s >= 0; s--) {
            runner.backward(s, s + 1, x, states, d);
            double sq = 0;
            int o = s * width;
            for (int j = 0; j < width; j++) {
                sq += (double) d[o + j] * d[o + j];
            }
            double g = Math.sqrt(sq);
            if (!Double.isFinite(g)) {
                return new Estimate(Interval.point(Double.NaN), len, 0);
            }
            rate[s / t] += Math.log(g) / t;
            if (g == 0) {
                return new Estimate(Interval.point(Double.NEGATIVE_INFINITY), len, 0);
            }
            for (int j = 0; j < width; j++) {
                d[o + j] /= (float) g;
            }
        }
        int from = n >= 4 ? 1 : 0;
        int to = n >= 3 ? n - 1 : n;
        double[] kept = java.util.Arrays.copyOfRange(rate, from, to);
        return new Estimate(Interval.bootstrapMean(kept, seed), (to - from) * t, kept.length);
    }
}
