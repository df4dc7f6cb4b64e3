package org.bptt.training.diag;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bptt.api.kernel.Activation;
import org.bptt.training.Model;

/**
 * An independent check of measured Jacobian products: for a cell that declares the form
 * h_t = act(U x_t + W h_{t-1} + b) ({@link org.bptt.api.cell.Cell#elementwiseActivation}), the
 * products ∏ diag(act′(z_t))·W by their formula in double precision, and how far the measured
 * norms are from them.
 *
 * @param fit               the factor per step fitted to the formula's norms
 * @param largestDifference the largest relative difference between a measured norm and the formula's
 */
public record FormulaReference(GradientFlowVerdict.Fit fit, double largestDifference) {

    /** The reference for the model's cell, or null when its step is not of that form or W is not finite. */
    public static FormulaReference of(Model model, NetworkFlow flow) {
        Activation act = model.cell().elementwiseActivation().orElse(null);
        if (act == null || flow.spectral() == null || model.recurrentMatrix().isEmpty()) {
            return null;
        }
        var w = model.recurrentMatrix().orElseThrow();
        List<double[]> curves = new ArrayList<>();
        double worst = 0;
        for (MeasuredJacobians.Measurement m : flow.measurements()) {
            double[] r = JacobianProducts.normsToLast(w, act, m.states(), m.rows(), 0, m.steps());
            curves.add(r);
            for (int k = 0; k < r.length; k++) {
                double a = m.norms()[k];
                if (r[k] > 1e-30 && Double.isFinite(a)) {
                    worst = Math.max(worst, Math.abs(a - r[k]) / r[k]);
                }
            }
        }
        return new FormulaReference(
                GradientFlowVerdict.Fit.of("the formula's ‖∂h_T/∂h_k‖", curves.toArray(double[][]::new)), worst);
    }

    /** One sentence for a report. */
    public String words() {
        double f = fit.factor();
        String factor = Double.isFinite(f)
                ? String.format(Locale.ROOT, "%.4g", f)
                : Double.isNaN(f) ? "n/a" : f > 0 ? "∞" : "-∞";
        return "Independent reference (the cell's formula ∏ diag(act′(z_t))·W, in double precision): factor " + factor
                + " per step; the measured norms agree with it to "
                + String.format(Locale.ROOT, "%.1e", largestDifference)
                + " (largest relative difference).";
    }
}
