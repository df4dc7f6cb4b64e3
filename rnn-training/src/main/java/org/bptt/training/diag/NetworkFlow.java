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
 * The gradient flow of a network as it is now, measured on a few sample sequences of its task:
 * the Jacobian products ‖∂h_{T−1}/∂s_k‖ through the cell's own backward pass
 * ({@link MeasuredJacobians}), the units' saturation on the same forward pass, and the spectrum
 * of W when the cell has a single one. Reads the network, never changes it.
 *
 * @param measurements one per sample sequence
 * @param saturation   over all sample sequences' forward passes
 * @param spectral     the spectrum of W, or null when the cell has no single square W
 */
public record NetworkFlow(List<MeasuredJacobians.Measurement> measurements, GradientFlowVerdict.Saturation saturation,
                          Spectral spectral) {
    /** What the Jacobian products are called in verdicts and charts. */
    public static final String JACOBIAN_QUANTITY = "‖∂h_T/∂s_k‖ (Jacobian products through the cell's backward pass)";
    /** The generator of the sample sequences: fixed, so that measurements of one network repeat exactly. */
    public static final long SAMPLE_SEED = 0x5DEECE66DL;

    public NetworkFlow {
        measurements = List.copyOf(measurements);
        requireNonNull(saturation, "saturation is null");
    }

    /** The sample batch {@code analyze} and the reports measure: {@code samples} sequences from (seed ^ SAMPLE_SEED). */
    public static Batch sample(Task task, long seed, int samples) {
        Batch batch = task.newBatch(samples);
        task.fill(batch, new SplittableRandom(seed ^ SAMPLE_SEED));
        return batch;
    }

    /** Measures every sequence of {@code sample}. */
    public static NetworkFlow measure(Network net, Batch sample) {
        Model model = net.model();
        List<MeasuredJacobians.Measurement> ms = new ArrayList<>();
        GradientFlowVerdict.Saturation all = GradientFlowVerdict.Saturation.NONE;
        for (int b = 0; b < sample.batch(); b++) {
            MeasuredJacobians.Measurement m = MeasuredJacobians.measure(model, net.trainer().kernels(), sample, b);
            ms.add(m);
            all = all.plus(m.saturation(model.hiddenSize()));
        }
        return new NetworkFlow(ms, all, net.spectral());
    }

    /** The Jacobian-product norms, one row per sample sequence. */
    public double[][] norms() {
        return measurements.stream().map(m -> m.norms().clone()).toArray(double[][]::new);
    }

    /** The fit of the Jacobian products (median over the sample sequences). */
    public GradientFlowVerdict.Fit fit() {
        return GradientFlowVerdict.Fit.of(JACOBIAN_QUANTITY, norms());
    }

    /** The verdict: the Jacobian products decide, {@code others} (e.g. ‖∂L/∂h_k‖ in training) are shown beside. */
    public GradientFlowVerdict verdict(List<GradientFlowVerdict.Fit> others) {
        List<GradientFlowVerdict.Fit> fits = new ArrayList<>();
        fits.add(fit());
        fits.addAll(others);
        return GradientFlowVerdict.of(fits, spectral, saturation);
    }
}
