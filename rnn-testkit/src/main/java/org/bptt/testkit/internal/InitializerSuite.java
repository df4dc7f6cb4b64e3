package org.bptt.testkit.internal;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.bptt.api.init.Initializer;
import org.bptt.api.init.InitializerFactory;
import org.bptt.api.tensor.ParameterSpec;
import org.bptt.api.tensor.ParameterSpec.Role;
import org.bptt.api.tensor.Tensor;
import org.bptt.testkit.ContractSettings;

/**
 * The initializer contract: every element of every parameter is written, the values follow
 * from the seed alone (the platform calls the initializer once per parameter in declaration
 * order with one shared generator, so that a seed fixes a run), and weights are finite and
 * not all zero.
 */
public final class InitializerSuite {
    public static final String OPTIONS = OptionChecks.NAME;
    public static final String FILLS = "fills-every-element";
    public static final String DETERMINISM = "deterministic-from-the-seed";
    public static final String WEIGHTS = "weights-finite-and-not-zero";

    /** A GRU-like model's parameters (stacked gates) and a vanilla one's, with the readout: every role and shape kind. */
    static final List<ParameterSpec> SPECS = List.of(
            new ParameterSpec("weight_ih", 24, 3, Role.INPUT_WEIGHTS, 3, 8),
            new ParameterSpec("weight_hh", 24, 8, Role.RECURRENT_WEIGHTS, 8, 8),
            new ParameterSpec("bias_ih", 1, 24, Role.BIAS, 1, 8),
            new ParameterSpec("U", 7, 5, Role.INPUT_WEIGHTS, 5, 7),
            new ParameterSpec("W", 7, 7, Role.RECURRENT_WEIGHTS, 7, 7),
            new ParameterSpec("w1", 1, 1, Role.RECURRENT_WEIGHTS, 1, 1),
            new ParameterSpec("b", 1, 7, Role.BIAS, 1, 7),
            new ParameterSpec("V", 3, 7, Role.OUTPUT_WEIGHTS, 7, 3),
            new ParameterSpec("c", 1, 3, Role.OUTPUT_BIAS, 7, 3));

    private final InitializerFactory factory;
    private final Map<String, String> options;
    private final ContractSettings settings;

    public InitializerSuite(InitializerFactory factory, Map<String, String> options, ContractSettings settings) {
        this.factory = factory;
        this.options = Map.copyOf(options);
        this.settings = settings;
    }

    public List<Check> checks() {
        return List.of(
                new Check(OPTIONS, () -> OptionChecks.run(factory, options, settings, Initializer::describe)),
                new Check(FILLS, this::fills),
                new Check(DETERMINISM, this::deterministic),
                new Check(WEIGHTS, this::weights));
    }

    private Initializer newInitializer() {
        return OptionChecks.create(factory, options);
    }

    /** Every spec initialized in order from one generator of the given seed, targets prefilled with {@code prefill}. */
    private static Recording run(Initializer init, long seed, float prefill) {
        SplittableRandom random = new SplittableRandom(seed);
        Recording rec = new Recording();
        for (ParameterSpec s : SPECS) {
            Tensor t = s.newTensor();
            t.fill(prefill);
            init.initialize(s, t, random);
            rec.add(s.name() + " (" + s.role() + ", " + s.rows() + "x" + s.cols() + ")", t.data());
        }
        return rec;
    }

    private String fills() {
        Recording nan = run(newInitializer(), 1, Float.NaN);
        String unwritten = nan.firstNonFinite();
        if (unwritten != null) {
            throw Check.fail(
                    "targets filled with NaN before: " + unwritten + " afterwards (never written, or not finite)");
        }
        String diff = nan.firstDifference(run(newInitializer(), 1, 7f));
        if (diff != null) {
            throw Check.fail("the result depends on what the target held before: " + diff);
        }
        return "every element of " + SPECS.size() + " parameters (every role, stacked gates, 1x1) written";
    }

    private String deterministic() {
        Initializer init = newInitializer();
        Recording a = run(init, 42, 0f);
        String diff = a.firstDifference(run(newInitializer(), 42, 0f));
        if (diff != null) {
            throw Check.fail("two instances with the same seed give different values: " + diff
                    + "; draw only from the generator passed in");
        }
        diff = a.firstDifference(run(init, 42, 0f));
        if (diff != null) {
            throw Check.fail("the same instance run twice with the same seed gives different values: " + diff
                    + "; an initializer keeps no state between calls");
        }
        return "the same seed gives the same bits, from another instance and from the same instance again";
    }

    private String weights() {
        Initializer init = newInitializer();
        SplittableRandom random = new SplittableRandom(5);
        for (ParameterSpec s : SPECS) {
            Tensor t = s.newTensor();
            init.initialize(s, t, random);
            boolean weight = s.role() == Role.INPUT_WEIGHTS
                    || s.role() == Role.RECURRENT_WEIGHTS
                    || s.role() == Role.OUTPUT_WEIGHTS;
            boolean nonZero = false;
            for (float v : t.data()) {
                if (!Float.isFinite(v)) {
                    throw Check.fail(s.name() + " holds " + v);
                }
                nonZero |= v != 0;
            }
            if (weight && !nonZero) {
                throw Check.fail(s.name() + " (" + s.role() + ") is all zeros: every unit would compute the same thing"
                        + " and receive the same gradient");
            }
        }
        return "weights finite and not all zero for every role";
    }
}
