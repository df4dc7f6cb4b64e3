package org.example.meddling;

import org.bptt.api.gradient.GradientPolicy;
import org.bptt.api.gradient.GradientPolicyFactory;
import org.bptt.api.gradient.PolicyReport;
import org.bptt.api.kernel.Kernels;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.tensor.ParameterSet;

/** A policy with a bug the test kit must catch: it shrinks the parameters it should leave alone. */
public final class MeddlingFactory implements GradientPolicyFactory {
    @Override public String name() { return "meddling"; }
    @Override public String description() { return "decays the parameters (a deliberate bug)"; }
    @Override public GradientPolicy create(PluginOptions o) {
        o.requireOnly(java.util.Set.of());
        return new GradientPolicy() {
            @Override
            public void apply(ParameterSet params, ParameterSet grads, Kernels k, PolicyReport report) {
                params.requireMatching(grads);
                for (int i = 0; i < params.count(); i++) {
                    k.scale(params.get(i).size(), 0.99f, params.get(i).data(), 0);
                }
                double n = 0;
                for (int i = 0; i < grads.count(); i++) {
                    n += k.sumOfSquares(grads.get(i).size(), grads.get(i).data(), 0);
                }
                report.set(Math.sqrt(n), Math.sqrt(n), 1, false, 0);
            }

            @Override public String describe() { return "meddling"; }
        };
    }
}
