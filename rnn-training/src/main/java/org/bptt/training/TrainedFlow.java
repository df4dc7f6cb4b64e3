package org.bptt.training;

import java.util.List;
import org.bptt.api.data.Batch;
import org.bptt.api.tensor.ParameterSet;
import org.bptt.api.truncation.Truncation.Window;
import org.bptt.training.diag.GradientFlowSnapshot;

/**
 * Records the gradient flow training back-propagates, window by window: element k is
 * ‖Σ_w ∂L_w/∂h_k‖ over the batch, the sum over the truncation's backward passes w of the
 * gradient each one sends into h_k (with the parameters before the update). Under TBPTT(k1, k2)
 * a loss reaches only the k2 steps of its own pass, so steps no pass reaches hold exactly 0 —
 * where the full-BPTT measurement ({@link Network#gradientFlow}) shows what the network would
 * carry. Under full BPTT both are the same, and the measured snapshot is returned as it is.
 *
 * <p>Buffers are sized on the first batch of a shape; afterwards a recording allocates only the
 * snapshot it returns. Not thread-safe.
 */
final class TrainedFlow implements BpttTrainer.WindowListener {
    private final BpttTrainer trainer;
    private List<Window> windows;
    private int steps = -1;
    private int batch = -1;
    /** Σ_w ∂L_w/∂h_t, index (t·B + r)·H + i. */
    private float[] sum;

    TrainedFlow(BpttTrainer trainer) {
        this.trainer = trainer;
    }

    /** The trained flow of {@code b}; {@code measured} (its full-BPTT flow) when training runs one full window. */
    GradientFlowSnapshot record(long iteration, Batch b, GradientFlowSnapshot measured) {
        int hid = trainer.model().readoutWidth();
        if (b.steps() != steps || b.batch() != batch) {
            steps = b.steps();
            batch = b.batch();
            windows = trainer.truncation().windows(steps);
            sum = new float[Math.multiplyExact(steps * batch, hid)];
        }
        if (windows.size() == 1 && windows.get(0).backFrom() == 0) {
            return measured;
        }
        java.util.Arrays.fill(sum, 0f);
        trainer.gradients(b, windows, this);
        double[] norms = new double[steps];
        for (int t = 0; t < steps; t++) {
            double s = 0;
            for (int i = t * batch * hid; i < (t + 1) * batch * hid; i++) {
                s += (double) sum[i] * sum[i];
            }
            norms[t] = Math.sqrt(s);
        }
        return new GradientFlowSnapshot(iteration, norms);
    }

    /** Adds the pass's ∂L_w/∂h_t for the steps it went through (slot t + 1 of the state gradients). */
    @Override
    public void onWindow(Window w, double loss, ParameterSet grads) {
        float[] d = trainer.stateGradients();
        int width = trainer.model().stateWidth();
        int hid = trainer.model().readoutWidth();
        for (int t = w.backFrom(); t < w.backTo(); t++) {
            for (int r = 0; r < batch; r++) {
                int from = ((t + 1) * batch + r) * width;
                int to = (t * batch + r) * hid;
                for (int i = 0; i < hid; i++) {
                    sum[to + i] += d[from + i];
                }
            }
        }
    }
}
