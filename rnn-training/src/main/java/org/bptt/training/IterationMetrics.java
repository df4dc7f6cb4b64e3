package org.bptt.training;

/**
 * What one training iteration measured.
 *
 * @param iteration      the iteration number (0-based or 1-based, as the trainer counts)
 * @param loss           the training loss of this iteration's batch; may be non-finite when the run blew up
 * @param accuracy       the batch accuracy in [0, 1], or NaN when the task has none
 * @param gradNormBefore the global L2 norm of the gradient before the gradient policy (clipping) ran
 * @param gradNormAfter  the global L2 norm after the policy, i.e. the norm of the update direction actually used
 * @param clipped        whether the policy rescaled the gradient this iteration
 * @param spectralRadius max |&lambda;| of the recurrent matrix W, or NaN when not measured this iteration
 * @param spectralNorm   the largest singular value of W, or NaN when not measured this iteration
 * @param skipped        whether the non-finite guard skipped this update (NaN/Inf in loss or gradient)
 */
public record IterationMetrics(
        long iteration,
        double loss,
        double accuracy,
        double gradNormBefore,
        double gradNormAfter,
        boolean clipped,
        double spectralRadius,
        double spectralNorm,
        boolean skipped) {

    /** A plain iteration without accuracy or spectral measurements, not clipped and not skipped. */
    public static IterationMetrics of(long iteration, double loss, double gradNorm) {
        return new IterationMetrics(
                iteration, loss, Double.NaN, gradNorm, gradNorm, false, Double.NaN, Double.NaN, false);
    }
}
