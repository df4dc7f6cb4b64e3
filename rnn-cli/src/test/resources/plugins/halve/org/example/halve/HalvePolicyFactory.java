package org.example.halve;

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

/** A gradient policy written against rnn-api 0.1 (compiled against that jar): scales every gradient by a factor. */
public final class HalvePolicyFactory implements GradientPolicyFactory {
    @Override public String name() { return "halve"; }
    @Override public String description() { return "multiplies every gradient by factor"; }
    @Override public List<PluginParameter> parameters() {
        return List.of(new PluginParameter("factor", "0.5", "the multiplier"));
    }

    @Override
    public GradientPolicy create(PluginOptions o) {
        o.requireOnly(Set.of("factor"));
        double factor = o.positive("factor", 0.5);
        return new GradientPolicy() {
            @Override
            public void apply(ParameterSet params, ParameterSet grads, Kernels k, PolicyReport report) {
                double sum = 0;
                for (int i = 0; i < grads.count(); i++) {
                    Tensor g = grads.get(i);
                    sum += k.sumOfSquares(g.size(), g.data(), 0);
                }
                for (int i = 0; i < grads.count(); i++) {
                    Tensor g = grads.get(i);
                    k.scale(g.size(), (float) factor, g.data(), 0);
                }
                double after = 0;
                for (int i = 0; i < grads.count(); i++) {
                    Tensor g = grads.get(i);
                    after += k.sumOfSquares(g.size(), g.data(), 0);
                }
                report.set(Math.sqrt(sum), Math.sqrt(after), factor, true, grads.totalSize());
            }

            @Override public String describe() { return "halve(factor=" + factor + ")"; }
        };
    }
}
