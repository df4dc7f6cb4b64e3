package org.example.failing;

import org.bptt.api.gradient.GradientPolicy;
import org.bptt.api.gradient.GradientPolicyFactory;
import org.bptt.api.gradient.PolicyReport;
import org.bptt.api.kernel.Kernels;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.tensor.ParameterSet;

/** A policy with a bug: it fails on its third update. */
public final class FailingFactory implements GradientPolicyFactory {
    @Override public String name() { return "failing"; }
    @Override public String description() { return "fails on its third update"; }
    @Override public GradientPolicy create(PluginOptions o) {
        return new GradientPolicy() {
            private int calls;

            @Override
            public void apply(ParameterSet params, ParameterSet grads, Kernels k, PolicyReport report) {
                if (++calls == 3) {
                    throw new IllegalStateException("the failing policy's deliberate bug");
                }
                report.set(0, 0, 1, false, 0);
            }

            @Override public String describe() { return "failing"; }
        };
    }
}
