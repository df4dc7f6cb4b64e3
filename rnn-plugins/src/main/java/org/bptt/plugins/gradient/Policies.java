package org.bptt.plugins.gradient;

import java.util.List;
import org.bptt.api.gradient.GradientPolicy;
import org.bptt.api.gradient.GradientPolicyFactory;
import org.bptt.api.gradient.PolicyReport;
import org.bptt.api.kernel.Kernels;
import org.bptt.api.plugin.PluginOption;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.plugin.PluginParameter;
import org.bptt.api.tensor.ParameterSet;
import org.bptt.api.tensor.Tensor;

/** The built-in gradient policies and their ServiceLoader entry points. */
public final class Policies {
    private Policies() {}

    /** Leaves gradients alone; reports their norm. */
    public static final class None implements GradientPolicy {
        @Override
        public void apply(ParameterSet params, ParameterSet grads, Kernels kernels, PolicyReport report) {
            params.requireMatching(grads);
            double n = GlobalNorm.of(grads, kernels);
            report.set(n, n, 1.0, false, 0);
        }

        @Override
        public String describe() {
            return "none";
        }
    }

    /** The seed's rule: if ‖g‖ ≥ threshold then g ← threshold/‖g‖ · g (no epsilon). */
    public static final class ClipNorm implements GradientPolicy {
        private final double threshold;

        public ClipNorm(double threshold) {
            this.threshold = threshold;
        }

        public double threshold() {
            return threshold;
        }

        @Override
        public java.util.OptionalDouble normThreshold() {
            return java.util.OptionalDouble.of(threshold);
        }

        @Override
        public void apply(ParameterSet params, ParameterSet grads, Kernels kernels, PolicyReport report) {
            params.requireMatching(grads);
            double n = GlobalNorm.of(grads, kernels);
            if (n >= threshold && n > 0) {
                double scale = threshold / n;
                for (int i = 0; i < grads.count(); i++) {
                    Tensor g = grads.get(i);
                    kernels.scale(g.size(), (float) scale, g.data(), 0);
                }
                report.set(n, threshold, scale, true, grads.totalSize());
            } else {
                report.set(n, n, 1.0, false, 0);
            }
        }

        @Override
        public String describe() {
            return "clip-norm(threshold=" + threshold + ")";
        }
    }

    /** Clamps every component to [−value, value]. */
    public static final class ClipValue implements GradientPolicy {
        private final float value;

        public ClipValue(double value) {
            this.value = (float) value;
        }

        @Override
        public void apply(ParameterSet params, ParameterSet grads, Kernels kernels, PolicyReport report) {
            params.requireMatching(grads);
            double before = GlobalNorm.of(grads, kernels);
            long changed = 0;
            for (int i = 0; i < grads.count(); i++) {
                Tensor g = grads.get(i);
                changed += kernels.clamp(g.size(), -value, value, g.data(), 0);
            }
            double after = changed == 0 ? before : GlobalNorm.of(grads, kernels);
            report.set(before, after, 1.0, changed > 0, changed);
        }

        @Override
        public String describe() {
            return "clip-value(value=" + value + ")";
        }
    }

    /** {@code none}. */
    public static final class NoneFactory implements GradientPolicyFactory {
        @Override
        public String name() {
            return "none";
        }

        @Override
        public String description() {
            return "leave gradients as they are";
        }

        @Override
        public GradientPolicy create(PluginOptions o) {
            PluginOption.requireOnly(o);
            return new None();
        }
    }

    /** {@code clip-norm}: option threshold. */
    public static final class ClipNormFactory implements GradientPolicyFactory {
        static final PluginOption<Double> THRESHOLD = PluginOption.number(
                        "threshold", 1.0, "largest global gradient norm let through")
                .positive();

        @Override
        public String name() {
            return "clip-norm";
        }

        @Override
        public String description() {
            return "if ||g|| >= threshold: g <- threshold/||g|| * g (global L2 norm over all parameters)";
        }

        @Override
        public List<PluginParameter> parameters() {
            return PluginOption.parameters(THRESHOLD);
        }

        @Override
        public GradientPolicy create(PluginOptions o) {
            PluginOption.requireOnly(o, THRESHOLD);
            return new ClipNorm(THRESHOLD.read(o));
        }
    }

    /** {@code clip-value}: option value. */
    public static final class ClipValueFactory implements GradientPolicyFactory {
        static final PluginOption<Double> VALUE =
                PluginOption.number("value", 1.0, "largest absolute component").positive();

        @Override
        public String name() {
            return "clip-value";
        }

        @Override
        public String description() {
            return "clamp every gradient component to [-value, value]";
        }

        @Override
        public List<PluginParameter> parameters() {
            return PluginOption.parameters(VALUE);
        }

        @Override
        public GradientPolicy create(PluginOptions o) {
            PluginOption.requireOnly(o, VALUE);
            return new ClipValue(VALUE.read(o));
        }
    }
}
