package org.bptt.training.diag;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.bptt.api.data.Batch;
import org.bptt.api.data.Task;
import org.bptt.training.Model;
import org.bptt.training.Network;

/**
 * The gradient flow of a network as it is now, measured on sequences of its task: the gain
 * ‖∂h_{T−1}/∂s_0‖ over the task's length on every sequence (it decides the verdict), the whole
 * Jacobian-product curves ‖∂h_{T−1}/∂s_k‖ of the first few ({@link MeasuredJacobians}; they give
 * the per-step factor and the charts), the largest Lyapunov exponent along the sequences chained
 * ({@link Lyapunov}), the units' saturation on the same forward passes, and the spectrum of W
 * when the cell has a single one. Reads the network, never changes it.
 *
 * @param measurements the whole curves, one per sequence of the first few
 * @param gains        ‖∂h_{T−1}/∂s_0‖ of every sequence (NaN where the product overflowed)
 * @param steps        T
 * @param heldOut      whether the sequences were held out from training
 * @param seed         the seed of the draws and the bootstrap, so that a measurement repeats exactly
 * @param lyapunov     λ₁ with its interval
 * @param saturation   over the whole curves' forward passes
 * @param spectral     the spectrum of W, or null when the cell has no single square W (or W is not finite)
 * @param singleW      whether the cell has a single square recurrent matrix
 */
public record NetworkFlow(
        List<MeasuredJacobians.Measurement> measurements,
        double[] gains,
        int steps,
        boolean heldOut,
        long seed,
        Lyapunov.Estimate lyapunov,
        GradientFlowVerdict.Saturation saturation,
        Spectral spectral,
        boolean singleW) {
    /** What the Jacobian products are called in verdicts and charts. */
    public static final String JACOBIAN_QUANTITY = "‖∂h_T/∂s_k‖ (Jacobian products through the cell's backward pass)";
    /** What the gain over the sequence is called. */
    public static final String GAIN_QUANTITY = "gain ‖∂h_T/∂s_0‖";
    /** The generator of the sample sequences: fixed, so that measurements of one network repeat exactly. */
    public static final long SAMPLE_SEED = 0x5DEECE66DL;
    /** Sequences the gain's median and interval are taken over. */
    public static final int SEQUENCES = 32;
    /** Sequences whose whole curve is measured (a singular value decomposition per step each). */
    public static final int CURVES = 4;

    public NetworkFlow {
        measurements = List.copyOf(measurements);
        gains = gains.clone();
        requireNonNull(lyapunov, "lyapunov is null");
        requireNonNull(saturation, "saturation is null");
    }

    @Override
    public double[] gains() {
        return gains.clone();
    }

    /** {@code samples} training-like sequences from (seed ^ SAMPLE_SEED). */
    public static Batch sample(Task task, long seed, int samples) {
        Batch batch = task.newBatch(samples);
        task.fill(batch, new SplittableRandom(seed ^ SAMPLE_SEED));
        return batch;
    }

    /** {@code n} held-out sequences (training-like ones when the task holds none out), always the same for one seed. */
    public static Batch heldOut(Task task, long seed, int n) {
        if (!task.hasHeldOut()) {
            return sample(task, seed, n);
        }
        Batch batch = task.newBatch(n);
        task.fillHeldOut(batch, new SplittableRandom(seed ^ SAMPLE_SEED).split());
        return batch;
    }

    /** The measurement every verdict uses: {@value #SEQUENCES} held-out sequences from the run's seed. */
    public static NetworkFlow measure(Network net, Task task) {
        long seed = net.config().seed();
        return measure(net, heldOut(task, seed, SEQUENCES), CURVES, task.hasHeldOut(), seed);
    }

    /** Every sequence of {@code sample} gives its gain; the first {@code curves} their whole curves. */
    public static NetworkFlow measure(Network net, Batch sample, int curves, boolean heldOut, long seed) {
        Model model = net.model();
        var kernels = net.trainer().kernels();
        List<MeasuredJacobians.Measurement> ms = new ArrayList<>();
        double[] gains = new double[sample.batch()];
        GradientFlowVerdict.Saturation all = GradientFlowVerdict.Saturation.NONE;
        for (int b = 0; b < sample.batch(); b++) {
            if (b < curves) {
                MeasuredJacobians.Measurement m = MeasuredJacobians.measure(model, kernels, sample, b);
                ms.add(m);
                gains[b] = m.norms()[0];
                all = all.plus(m.saturation(model.hiddenSize()));
            } else {
                gains[b] = MeasuredJacobians.gain(model, kernels, sample, b);
            }
        }
        Lyapunov.Estimate lyap = Lyapunov.largest(model, kernels, sample, seed ^ SAMPLE_SEED);
        return new NetworkFlow(
                ms,
                gains,
                sample.steps(),
                heldOut,
                seed,
                lyap,
                all,
                net.spectral(),
                model.recurrentMatrix().isPresent());
    }

    /** The Jacobian-product norms, one row per whole curve. */
    public double[][] norms() {
        return measurements.stream().map(m -> m.norms().clone()).toArray(double[][]::new);
    }

    /** The gain over T: median and bootstrap interval over every sequence. */
    public GradientFlowVerdict.Gain gain() {
        return GradientFlowVerdict.Gain.of(GAIN_QUANTITY, gains, steps, heldOut, seed ^ SAMPLE_SEED);
    }

    /** The fit of the whole curves (median over them): the explanation per step. */
    public GradientFlowVerdict.Fit fit() {
        return GradientFlowVerdict.Fit.of(JACOBIAN_QUANTITY, norms());
    }

    /** The verdict: the gain decides; the fit, λ₁ and {@code others} (e.g. ‖∂L/∂h_k‖ in training) explain. */
    public GradientFlowVerdict verdict(List<GradientFlowVerdict.Fit> others) {
        List<GradientFlowVerdict.Fit> fits = new ArrayList<>();
        if (!measurements.isEmpty()) {
            fits.add(fit());
        }
        fits.addAll(others);
        return GradientFlowVerdict.of(gain(), fits, lyapunov, spectral, saturation, singleW);
    }
}
