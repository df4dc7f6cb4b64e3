package org.bptt.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bptt.training.FitResult.Outcome;
import org.bptt.training.IterationMetrics;
import org.bptt.training.diag.GradientFlowSnapshot;
import org.bptt.training.diag.GradientFlowVerdict;
import org.bptt.training.diag.Spectrum;
import org.bptt.training.run.Evaluation;
import org.bptt.training.run.RunSummary;

/** Synthetic runs with known numbers, for the report tests and for looking at the charts. */
final class SampleRuns {

    static final int ITERATIONS = 60;
    static final int STEPS = 30;
    static final int SNAPSHOT_EVERY = 5;
    static final int HIDDEN = 16;

    private SampleRuns() {}

    /**
     * Gradient norms grow 1.5× per iteration from 0.5, clipped at 1; W's eigenvalues on a circle of radius 1.5
     * (start) and 1.2 (end); the flow grows 1.2× per step back in time; loss ends at 0.05 vs baseline 0.25.
     */
    static ReportData exploding() {
        List<IterationMetrics> ms = new ArrayList<>();
        Random rnd = new Random(1);
        for (int i = 0; i < ITERATIONS; i++) {
            double g = 0.5 * Math.pow(1.5, i);
            boolean clipped = g > 1;
            double rho = i % 10 == 0 || i == ITERATIONS - 1 ? 1.5 - 0.3 * i / (ITERATIONS - 1.0) : Double.NaN;
            double sigma = Double.isNaN(rho) ? Double.NaN : rho * 1.3;
            boolean skipped = i == 40 || i == 41;
            double loss = skipped
                    ? Double.NaN
                    : 0.25 * Math.exp(-i / 20.0) + 0.05 * (1 - Math.exp(-i / 20.0)) + 0.01 * rnd.nextDouble();
            if (i == ITERATIONS - 1) {
                loss = 0.05;
            }
            ms.add(new IterationMetrics(
                    i,
                    loss,
                    Math.min(1, 0.5 + i / 100.0),
                    skipped ? Double.POSITIVE_INFINITY : g,
                    clipped ? 1 : g,
                    clipped,
                    rho,
                    sigma,
                    skipped));
        }
        return data(
                "Exploding run: adding problem, T=30",
                config("1.0"),
                ms,
                1.0,
                0.25,
                flow(1.2),
                circle(1.5),
                circle(1.2),
                Outcome.FINISHED,
                List.of());
    }

    /** Gradient norms shrink, no clipping, ρ from 0.9 to 0.8, flow shrinks 0.6× per step back; loss stays at baseline. */
    static ReportData vanishing() {
        List<IterationMetrics> ms = new ArrayList<>();
        for (int i = 0; i < ITERATIONS; i++) {
            double g = 2 * Math.pow(0.9, i);
            double rho = 0.9 - 0.1 * i / (ITERATIONS - 1.0);
            ms.add(new IterationMetrics(i, 0.25 + 0.001 * Math.sin(i), Double.NaN, g, g, false, rho, rho * 1.1, false));
        }
        return data(
                "Vanishing run",
                config("none"),
                ms,
                Double.NaN,
                0.25,
                flow(0.6),
                circle(0.9),
                circle(0.8),
                Outcome.FINISHED,
                List.of());
    }

    /**
     * Report data as a run would give it: the summary from {@link RunSummary#of} with the verdict of
     * the recorded flow (no network to measure Jacobian products on).
     */
    static ReportData data(
            String title,
            Map<String, String> config,
            List<IterationMetrics> ms,
            double clip,
            double baseline,
            List<GradientFlowSnapshot> flow,
            Spectrum start,
            Spectrum end,
            Outcome outcome,
            List<Evaluation> evals) {
        long reached = ms.isEmpty() ? 0 : ms.get(ms.size() - 1).iteration() + 1;
        GradientFlowVerdict v = RunSummary.recordedVerdict(
                flow, end == null ? Double.NaN : end.spectralRadius(), Double.NaN, start != null);
        RunSummary sum =
                RunSummary.of(ms, evals, reached, ITERATIONS, baseline, 1.5, null, outcome, "", v, new double[0][], 0);
        return new ReportData(title, config, ms, clip, flow, start, end, sum, evals, start != null);
    }

    static Map<String, String> config(String clip) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("task", "adding problem");
        c.put("sequence length T", Integer.toString(STEPS));
        c.put("hidden units", Integer.toString(HIDDEN));
        c.put("learning rate", "0.01");
        c.put("clip threshold", clip);
        c.put("note", "<b>escaped</b> & \"quoted\"");
        return c;
    }

    /** Snapshots every {@link #SNAPSHOT_EVERY} iterations; norm(k) = factor^(T-1-k), slowly drifting over training. */
    static List<GradientFlowSnapshot> flow(double factor) {
        List<GradientFlowSnapshot> f = new ArrayList<>();
        for (int it = 0; it < ITERATIONS; it += SNAPSHOT_EVERY) {
            double[] n = new double[STEPS];
            double fac = factor * (1 + 0.002 * it * Math.signum(factor - 1));
            for (int k = 0; k < STEPS; k++) {
                n[k] = Math.pow(fac, STEPS - 1 - k);
            }
            f.add(new GradientFlowSnapshot(it, n));
        }
        return f;
    }

    /** {@link #HIDDEN} eigenvalues in conjugate pairs with moduli spread up to {@code radius}. */
    static Spectrum circle(double radius) {
        double[] re = new double[HIDDEN];
        double[] im = new double[HIDDEN];
        for (int i = 0; i < HIDDEN / 2; i++) {
            double r = radius * (0.4 + 0.6 * (i + 1) / (HIDDEN / 2.0));
            double a = Math.PI * (i + 0.5) / (HIDDEN / 2.0);
            re[2 * i] = r * Math.cos(a);
            im[2 * i] = r * Math.sin(a);
            re[2 * i + 1] = r * Math.cos(a);
            im[2 * i + 1] = -r * Math.sin(a);
        }
        return new Spectrum(re, im);
    }

    /** Jacobian norms for {@code sequences} sequences decaying by about {@code factor} per step back. */
    static double[][] jacobians(int sequences, double factor) {
        double[][] j = new double[sequences][STEPS];
        for (int s = 0; s < sequences; s++) {
            double f = factor * (1 + 0.02 * s);
            for (int k = 0; k < STEPS; k++) {
                j[s][k] = Math.pow(f, STEPS - 1 - k);
            }
        }
        return j;
    }
}
