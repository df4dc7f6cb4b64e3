package org.bptt.training;

import org.bptt.api.gradient.PolicyReport;

/**
 * What one training iteration did. Mutable and reused by the trainer (no allocation per
 * iteration); copy the numbers out before the next call.
 */
public final class StepResult {
    double loss;
    long lossRows;
    long correct;
    int updates;
    int skipped;
    final PolicyReport report = new PolicyReport();
    double maxNormBefore;
    int clippedUpdates;

    void reset() {
        loss = 0;
        lossRows = 0;
        correct = 0;
        updates = 0;
        skipped = 0;
        maxNormBefore = 0;
        clippedUpdates = 0;
    }

    /** The batch loss (see {@link LossMean}), summed over the windows of the iteration. */
    public double loss() {
        return loss;
    }
    /** Fraction of loss rows whose arg-max output is the target class; NaN for regression. */
    public double accuracy() {
        return lossRows == 0 ? Double.NaN : (double) correct / lossRows;
    }
    /** Parameter updates made (one per window with per-window updates). */
    public int updates() {
        return updates;
    }
    /** Updates skipped because of non-finite values. */
    public int skipped() {
        return skipped;
    }
    /** The gradient policy's report of the last update. */
    public PolicyReport lastReport() {
        return report;
    }
    /** Largest global gradient norm (before the policy) over the iteration's updates. */
    public double maxNormBefore() {
        return maxNormBefore;
    }
    /** How many of the iteration's updates the policy clipped. */
    public int clippedUpdates() {
        return clippedUpdates;
    }
}
