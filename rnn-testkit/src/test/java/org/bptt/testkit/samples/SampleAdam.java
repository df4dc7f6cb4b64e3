package org.bptt.testkit.samples;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.bptt.api.kernel.Kernels;
import org.bptt.api.optim.Optimizer;
import org.bptt.api.optim.OptimizerFactory;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.plugin.PluginParameter;
import org.bptt.api.plugin.StateSink;
import org.bptt.api.plugin.StateSource;
import org.bptt.api.tensor.ParameterSet;
import org.bptt.api.tensor.Tensor;

/**
 * Adam with bias correction that matches gradients to parameters by name and refuses any
 * that do not fit what it was bound to. Correct with {@link Flaw#NONE}.
 */
public final class SampleAdam implements Optimizer {

    /** One deliberate mistake. */
    public enum Flaw {
        NONE,
        /** Halves the gradients after reading them. */
        MODIFIES_GRADIENTS,
        /** θ += instead of θ −=. */
        ASCENDS,
        /** An unseeded random wobble on the learning rate. */
        UNSEEDED_JITTER,
        /** Scales the step by a trust ratio from float sums per thread's share of the gradient. */
        SPLIT_SUM,
        /** A new array per tensor per step. */
        ALLOCATES,
        /** loadState forgets the step count, so the bias correction restarts. */
        LOSES_STATE,
        /** Takes gradients by position, whatever their shape. */
        NO_SHAPE_CHECK,
        /** Counts steps for the bias correction in a static field, which bind resets. */
        STATIC_STEP_COUNT
    }

    /** STATIC_STEP_COUNT's shared step count: the mistake itself. */
    private static long sharedSteps;

    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final Flaw flaw;
    private final double rate;
    private final List<String> names = new ArrayList<>();
    private final List<int[]> shapes = new ArrayList<>();
    private final List<float[]> m = new ArrayList<>();
    private final List<float[]> v = new ArrayList<>();
    private Kernels kernels;
    private long steps;
    private boolean bound;
    private final float[] partialSums = new float[16];

    @SuppressWarnings("unused")
    private float[] escaped;

    SampleAdam(double lr, double beta1, double beta2, double eps, Flaw flaw) {
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.flaw = flaw;
        this.rate = flaw == Flaw.UNSEEDED_JITTER ? lr * (1 + 1e-6 * new Random().nextGaussian()) : lr;
    }

    @Override
    public void bind(ParameterSet params, Kernels kernels) {
        this.kernels = kernels;
        names.clear();
        shapes.clear();
        m.clear();
        v.clear();
        for (Tensor t : params) {
            names.add(t.name());
            shapes.add(new int[] {t.rows(), t.cols()});
            m.add(new float[t.size()]);
            v.add(new float[t.size()]);
        }
        steps = 0;
        sharedSteps = flaw == Flaw.STATIC_STEP_COUNT ? 0 : sharedSteps;
        bound = true;
    }

    private void requireFits(String what, ParameterSet set) {
        if (set.count() != names.size()) {
            throw new IllegalArgumentException(
                    "sample-adam: " + what + " has " + set.count() + " tensors, bound to " + names.size());
        }
        for (int i = 0; i < names.size(); i++) {
            Tensor t = set.get(names.get(i));
            int[] s = shapes.get(i);
            if (t.rows() != s[0] || t.cols() != s[1]) {
                throw new IllegalArgumentException("sample-adam: " + what + " " + t.name() + " is " + t.rows() + "x"
                        + t.cols() + ", bound to " + s[0] + "x" + s[1]);
            }
        }
    }

    @Override
    public void step(ParameterSet params, ParameterSet grads) {
        if (!bound) {
            throw new IllegalStateException("sample-adam: step before bind");
        }
        if (flaw != Flaw.NO_SHAPE_CHECK) {
            requireFits("params", params);
            requireFits("grads", grads);
        }
        steps++;
        long t = flaw == Flaw.STATIC_STEP_COUNT ? ++sharedSteps : steps;
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        for (int i = 0; i < names.size(); i++) {
            float[] p = flaw == Flaw.NO_SHAPE_CHECK
                    ? params.get(i).data()
                    : params.get(names.get(i)).data();
            float[] g = flaw == Flaw.NO_SHAPE_CHECK
                    ? grads.get(i).data()
                    : grads.get(names.get(i)).data();
            float[] mi = m.get(i);
            float[] vi = v.get(i);
            double trust = flaw == Flaw.SPLIT_SUM ? 1 / (1 + 1e-3 * splitNorm(g)) : 1;
            for (int k = 0; k < p.length; k++) {
                float gk = g[k];
                mi[k] = b1 * mi[k] + (1 - b1) * gk;
                vi[k] = b2 * vi[k] + (1 - b2) * gk * gk;
                float step = (float) (rate * trust * (mi[k] / c1) / (Math.sqrt(vi[k] / c2) + eps));
                p[k] = flaw == Flaw.ASCENDS ? p[k] + step : p[k] - step;
                if (flaw == Flaw.MODIFIES_GRADIENTS) {
                    g[k] = 0.5f * gk;
                }
            }
            if (flaw == Flaw.ALLOCATES) {
                escaped = new float[4];
            }
        }
    }

    private double splitNorm(float[] g) {
        int parts = kernels.threads();
        kernels.parallelFor(parts, part -> {
            float acc = 0;
            for (int k = part * g.length / parts; k < (part + 1) * g.length / parts; k++) {
                acc += g[k] * g[k];
            }
            partialSums[part] = acc;
        });
        float s = 0;
        for (int part = 0; part < parts; part++) {
            s += partialSums[part];
        }
        return Math.sqrt(s);
    }

    @Override
    public double learningRate() {
        return lr;
    }

    @Override
    public void saveState(StateSink sink) {
        sink.putLong("steps", steps);
        for (int i = 0; i < names.size(); i++) {
            sink.putFloats(names.get(i) + ".m", m.get(i));
            sink.putFloats(names.get(i) + ".v", v.get(i));
        }
    }

    @Override
    public void loadState(StateSource source) {
        if (flaw != Flaw.LOSES_STATE) {
            steps = source.getLong("steps");
        }
        for (int i = 0; i < names.size(); i++) {
            source.getFloats(names.get(i) + ".m", m.get(i));
            source.getFloats(names.get(i) + ".v", v.get(i));
        }
    }

    @Override
    public String describe() {
        return "sample-adam(lr=" + lr + ", beta1=" + beta1 + ", beta2=" + beta2 + ", eps=" + eps + ")";
    }

    /** {@code sample-adam}: options lr, beta1, beta2, eps, flaw. */
    public static class Factory implements OptimizerFactory {
        @Override
        public String name() {
            return "sample-adam";
        }

        @Override
        public String description() {
            return "Adam with bias correction, gradients matched by name";
        }

        @Override
        public List<PluginParameter> parameters() {
            return List.of(
                    new PluginParameter("lr", "0.001", "learning rate, > 0"),
                    new PluginParameter("beta1", "0.9", "first-moment decay in [0, 1)"),
                    new PluginParameter("beta2", "0.999", "second-moment decay in [0, 1)"),
                    new PluginParameter("eps", "1e-8", "added to sqrt(v-hat), > 0"),
                    new PluginParameter("flaw", "none", "a deliberate mistake, for the kit's own tests"));
        }

        @Override
        public Optimizer create(PluginOptions o) {
            o.requireOnly(Set.of("lr", "beta1", "beta2", "eps", "flaw"));
            return new SampleAdam(
                    o.positive("lr", 0.001),
                    o.inRange("beta1", 0.9, 0, 1),
                    o.inRange("beta2", 0.999, 0, 1),
                    o.positive("eps", 1e-8),
                    Flaws.parse(Flaw.class, "sample-adam", o.string("flaw", "none")));
        }
    }
}
