package org.bptt.testkit.samples;

import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import org.bptt.api.init.Initializer;
import org.bptt.api.init.InitializerFactory;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.plugin.PluginParameter;
import org.bptt.api.tensor.ParameterSpec;
import org.bptt.api.tensor.ParameterSpec.Role;
import org.bptt.api.tensor.Tensor;

/** Weights uniform in ±scale/√fanIn, biases zero. Correct with {@link Flaw#NONE}. */
public final class SampleUniform implements Initializer {

    /** One deliberate mistake. */
    public enum Flaw {
        NONE,
        /** Never writes the last row. */
        SKIPS_LAST_ROW,
        /** Draws from ThreadLocalRandom instead of the generator it is given. */
        UNSEEDED,
        /** Draws from a generator of its own, seeded once. */
        OWN_GENERATOR,
        /** Input weights all zero. */
        ZERO_INPUT_WEIGHTS
    }

    private final double scale;
    private final Flaw flaw;
    private final Random own = new Random(42);

    SampleUniform(double scale, Flaw flaw) {
        this.scale = scale;
        this.flaw = flaw;
    }

    @Override
    public void initialize(ParameterSpec spec, Tensor target, RandomGenerator random) {
        RandomGenerator r = switch (flaw) {
            case UNSEEDED -> ThreadLocalRandom.current();
            case OWN_GENERATOR -> own;
            default -> random;
        };
        boolean bias = spec.role() == Role.BIAS || spec.role() == Role.OUTPUT_BIAS;
        double a = scale / Math.sqrt(spec.fanIn());
        int n = flaw == Flaw.SKIPS_LAST_ROW ? (target.rows() - 1) * target.cols() : target.size();
        for (int i = 0; i < n; i++) {
            boolean zero = bias || (flaw == Flaw.ZERO_INPUT_WEIGHTS && spec.role() == Role.INPUT_WEIGHTS);
            target.data()[i] = zero ? 0f : (float) r.nextDouble(-a, a);
        }
    }

    @Override
    public String describe() {
        return "sample-uniform(scale=" + scale + ")";
    }

    /** {@code sample-uniform}: options scale, flaw. */
    public static class Factory implements InitializerFactory {
        @Override
        public String name() {
            return "sample-uniform";
        }

        @Override
        public String description() {
            return "weights uniform in +-scale/sqrt(fanIn), zero biases";
        }

        @Override
        public List<PluginParameter> parameters() {
            return List.of(
                    new PluginParameter("scale", "1.0", "> 0"),
                    new PluginParameter("flaw", "none", "a deliberate mistake, for the kit's own tests"));
        }

        @Override
        public Initializer create(PluginOptions o) {
            o.requireOnly(Set.of("scale", "flaw"));
            return new SampleUniform(
                    o.positive("scale", 1.0), Flaws.parse(Flaw.class, "sample-uniform", o.string("flaw", "none")));
        }
    }
}
