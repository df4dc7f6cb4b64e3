package org.bptt.testkit.samples;

import java.util.List;
import java.util.Random;
import java.util.Set;
import org.bptt.api.gradient.GradientPolicy;
import org.bptt.api.gradient.GradientPolicyFactory;
import org.bptt.api.gradient.PolicyReport;
import org.bptt.api.kernel.Kernels;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.plugin.PluginParameter;
import org.bptt.api.plugin.StateSink;
import org.bptt.api.plugin.StateSource;
import org.bptt.api.tensor.ParameterSet;
import org.bptt.api.tensor.Tensor;

/**
 * A stateful policy: clips by global norm at {@code factor} times a running average of past
 * (clipped) norms, which starts at {@code initial}. Correct with {@link Flaw#NONE}.
 */
public final class AdaptiveClip implements GradientPolicy {

    /** One deliberate mistake. */
    public enum Flaw {
        NONE,
        /** Shrinks the parameters a little on every update. */
        DECAYS_PARAMETERS,
        /** Reports the norm before as the norm after, even when it clipped. */
        MISREPORTS_NORM_AFTER,
        /** Leaves non-finite components out of the norm. */
        HIDES_NAN,
        /** An unseeded random wobble on the threshold. */
        UNSEEDED_JITTER,
        /** Sums squares in float per thread's share of the elements. */
        SPLIT_SUM,
        /** A new array per update. */
        ALLOCATES,
        /** loadState forgets the running average. */
        LOSES_STATE,
        /** Accepts gradients of any shape. */
        NO_SHAPE_CHECK,
        /** Keeps the running average in a static field, which each new instance resets. */
        STATIC_AVERAGE
    }

    /** STATIC_AVERAGE's shared running average: the mistake itself. */
    private static double sharedAverage;

    private final double factor;
    private final double initial;
    private final Flaw flaw;
    private final double jitter;
    private double average;
    private long updates;

    @SuppressWarnings("unused")
    private double[] escaped;

    private final float[] partialSums = new float[16];

    AdaptiveClip(double factor, double initial, Flaw flaw) {
        this.factor = factor;
        this.initial = initial;
        this.flaw = flaw;
        this.average = initial;
        sharedAverage = flaw == Flaw.STATIC_AVERAGE ? initial : sharedAverage;
        this.jitter = flaw == Flaw.UNSEEDED_JITTER ? 1e-3 * new Random().nextGaussian() : 0;
    }

    @Override
    public void apply(ParameterSet params, ParameterSet grads, Kernels kernels, PolicyReport report) {
        if (flaw != Flaw.NO_SHAPE_CHECK) {
            if (grads.count() != params.count()) {
                throw new IllegalArgumentException(
                        "adaptive-clip: " + grads.count() + " gradients for " + params.count() + " parameters");
            }
            for (int i = 0; i < params.count(); i++) {
                params.get(i).requireSameShape(grads.get(params.get(i).name()));
            }
        }
        double n = norm(grads, kernels);
        double threshold = factor * (flaw == Flaw.STATIC_AVERAGE ? sharedAverage : average) + jitter;
        if (n >= threshold && n > 0) {
            double scale = threshold / n;
            for (int i = 0; i < grads.count(); i++) {
                Tensor g = grads.get(i);
                kernels.scale(g.size(), (float) scale, g.data(), 0);
            }
            report.set(n, flaw == Flaw.MISREPORTS_NORM_AFTER ? n : threshold, scale, true, grads.totalSize());
        } else {
            report.set(n, n, 1.0, false, 0);
        }
        if (Double.isFinite(n)) {
            average = 0.9 * average + 0.1 * Math.min(n, threshold);
            if (flaw == Flaw.STATIC_AVERAGE) {
                sharedAverage = 0.9 * sharedAverage + 0.1 * Math.min(n, threshold);
            }
            updates++;
        }
        if (flaw == Flaw.DECAYS_PARAMETERS) {
            for (int i = 0; i < params.count(); i++) {
                kernels.scale(params.get(i).size(), 0.999f, params.get(i).data(), 0);
            }
        }
        if (flaw == Flaw.ALLOCATES) {
            escaped = new double[] {n};
        }
    }

    private double norm(ParameterSet grads, Kernels kernels) {
        double s = 0;
        for (int i = 0; i < grads.count(); i++) {
            Tensor g = grads.get(i);
            if (flaw == Flaw.HIDES_NAN) {
                for (float v : g.data()) {
                    s += Float.isFinite(v) ? (double) v * v : 0;
                }
            } else if (flaw == Flaw.SPLIT_SUM) {
                int parts = kernels.threads();
                float[] d = g.data();
                kernels.parallelFor(parts, p -> {
                    float acc = 0;
                    for (int k = p * d.length / parts; k < (p + 1) * d.length / parts; k++) {
                        acc += d[k] * d[k];
                    }
                    partialSums[p] = acc;
                });
                for (int p = 0; p < parts; p++) {
                    s += partialSums[p];
                }
            } else {
                s += kernels.sumOfSquares(g.size(), g.data(), 0);
            }
        }
        return Math.sqrt(s);
    }

    @Override
    public void saveState(StateSink sink) {
        sink.putLong("updates", updates);
        sink.putLong("average", Double.doubleToRawLongBits(average));
    }

    @Override
    public void loadState(StateSource source) {
        updates = source.getLong("updates");
        if (flaw != Flaw.LOSES_STATE) {
            average = Double.longBitsToDouble(source.getLong("average"));
        }
    }

    @Override
    public String describe() {
        return "adaptive-clip(factor=" + factor + ", initial=" + initial + ")";
    }

    /** {@code adaptive-clip}: options factor, initial, flaw. */
    public static class Factory implements GradientPolicyFactory {
        @Override
        public String name() {
            return "adaptive-clip";
        }

        @Override
        public String description() {
            return "clip by global norm at factor times a running average of norms";
        }

        @Override
        public List<PluginParameter> parameters() {
            return List.of(
                    new PluginParameter("factor", "2.0", "threshold over the running average, > 0"),
                    new PluginParameter("initial", "1.0", "the running average's start, > 0"),
                    new PluginParameter("flaw", "none", "a deliberate mistake, for the kit's own tests"));
        }

        @Override
        public GradientPolicy create(PluginOptions o) {
            o.requireOnly(Set.of("factor", "initial", "flaw"));
            return new AdaptiveClip(
                    o.positive("factor", 2.0),
                    o.positive("initial", 1.0),
                    Flaws.parse(Flaw.class, "adaptive-clip", o.string("flaw", "none")));
        }
    }
}
