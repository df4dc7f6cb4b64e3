package org.bptt.training.diag;

import java.util.Arrays;

/**
 * How the loss gradient reached each time step of one sequence at one point of training: element k is
 * ||dL/dh_k||, the norm of the gradient of the loss with respect to the hidden state at step k, for k = 0..T-1.
 * Shrinking towards k = 0 means vanishing gradients, growing means exploding ones.
 *
 * <p>The array is copied in and out, so the record stays immutable; equality compares the contents.
 *
 * @param iteration       the training iteration the snapshot was taken at
 * @param hiddenGradNorms ||dL/dh_k|| for k = 0..T-1; zero and non-finite values are allowed
 */
public record GradientFlowSnapshot(long iteration, double[] hiddenGradNorms) {

    public GradientFlowSnapshot {
        hiddenGradNorms = hiddenGradNorms.clone();
    }

    @Override
    public double[] hiddenGradNorms() {
        return hiddenGradNorms.clone();
    }

    /** T, the number of time steps. */
    public int steps() {
        return hiddenGradNorms.length;
    }

    /** ||dL/dh_k|| without copying the whole array. */
    public double norm(int k) {
        return hiddenGradNorms[k];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GradientFlowSnapshot s
                && s.iteration == iteration
                && Arrays.equals(s.hiddenGradNorms, hiddenGradNorms);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(iteration) * 31 + Arrays.hashCode(hiddenGradNorms);
    }

    @Override
    public String toString() {
        return "GradientFlowSnapshot[iteration=" + iteration + ", steps=" + hiddenGradNorms.length + "]";
    }
}
