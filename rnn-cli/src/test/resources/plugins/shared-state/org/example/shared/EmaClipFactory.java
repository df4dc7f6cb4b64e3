package org.example.shared;

import java.util.List;
import java.util.Set;

import org.bptt.api.gradient.GradientPolicy;
import org.bptt.api.gradient.GradientPolicyFactory;
import org.bptt.api.gradient.PolicyReport;
import org.bptt.api.kernel.Kernels;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.plugin.PluginParameter;
import org.bptt.api.tensor.ParameterSet;
import org.bptt.api.tensor.Tensor;

/**
 * A policy written against rnn-api 0.1: clips the global norm at twice a moving average of past
 * norms. With flaw=static-average the average lives in a static field each new instance resets.
 */
public final class EmaClipFactory implements GradientPolicyFactory {
    static double sharedAverage;

    @Override public String name() { return "ema-clip"; }
    @Override public String description() { return "clip at twice a moving average of norms, with a deliberate flaw"; }
    @Override public List<PluginParameter> parameters() {
        return List.of(new PluginParameter("flaw", "none", "none or static-average"));
    }

    @Override
    public GradientPolicy create(PluginOptions o) {
        o.requireOnly(Set.of("flaw"));
        boolean shared = o.string("flaw", "none").equals("static-average");
        sharedAverage = 1;
        return new GradientPolicy() {
            private double average = 1;

            @Override
            public void apply(ParameterSet params, ParameterSet grads, Kernels k, PolicyReport report) {
                double s = 0;
                for (int i = 0; i < grads.count(); i++) {
                    Tensor g = grads.get(i);
                    s += k.sumOfSquares(g.size(), g.data(), 0);
                }
                double n = Math.sqrt(s);
                double threshold = 2 * (shared ? sharedAverage : average);
                if (n > threshold) {
                    for (int i = 0; i < grads.count(); i++) {
                        Tensor g = grads.get(i);
                        k.scale(g.size(), (float) (threshold / n), g.data(), 0);
                    }
                    report.set(n, threshold, threshold / n, true, grads.totalSize());
                } else {
                    report.set(n, n, 1, false, 0);
                }
                if (Double.isFinite(n)) {
                    double next = 0.9 * (shared ? sharedAverage : average) + 0.1 * Math.min(n, threshold);
                    if (shared) {
                        sharedAverage = next;
                    } else {
                        average = next;
                    }
                }
            }

            @Override public String describe() { return "ema-clip"; }
        };
    }
}
