package org.bptt.testkit;

import java.util.Map;

import org.bptt.api.gradient.GradientPolicyFactory;
import org.bptt.testkit.internal.PolicySuite;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The built-in gradient policies against the gradient-policy contract. */
final class TestBuiltinPolicies {

    /** Known bug: Policies.None, ClipNorm and ClipValue never compare the gradients with the parameters. */
    static final String UNCHECKED = "accepted gradients whose W is 5x6 for a 5x5 parameter";

    abstract class Builtin extends GradientPolicyContract {
        abstract String name();

        @Override
        protected GradientPolicyFactory factory() { return Builtins.load(GradientPolicyFactory.class, name()); }

        @Override
        @Test
        @DisplayName(PolicySuite.MISMATCHED + " (known failure)")
        public void refusesMismatchedGradients() {
            Builtins.knownFailure(factory(), options(), settings(), PolicySuite.MISMATCHED, UNCHECKED);
        }
    }

    @Nested
    final class None extends Builtin {
        @Override String name() { return "none"; }
    }

    @Nested
    final class ClipNorm extends Builtin {
        @Override String name() { return "clip-norm"; }

        @Override
        protected ContractSettings settings() {
            return ContractSettings.defaults().withBadOptions(Map.of("threshold", "0"), Map.of("threshold", "-1"));
        }
    }

    @Nested
    final class ClipNormLowThreshold extends Builtin {
        @Override String name() { return "clip-norm"; }

        @Override
        protected Map<String, String> options() { return Map.of("threshold", "0.05"); }
    }

    @Nested
    final class ClipValue extends Builtin {
        @Override String name() { return "clip-value"; }

        @Override
        protected ContractSettings settings() {
            return ContractSettings.defaults().withBadOptions(Map.of("value", "0"));
        }
    }
}
