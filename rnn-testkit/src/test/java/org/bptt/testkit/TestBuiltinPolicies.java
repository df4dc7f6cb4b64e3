package org.bptt.testkit;

import java.util.Map;
import org.bptt.api.gradient.GradientPolicyFactory;
import org.junit.jupiter.api.Nested;

/** The built-in gradient policies against the gradient-policy contract. */
final class TestBuiltinPolicies {

    abstract class Builtin extends GradientPolicyContract {
        abstract String name();

        @Override
        protected GradientPolicyFactory factory() {
            return Builtins.load(GradientPolicyFactory.class, name());
        }
    }

    @Nested
    final class None extends Builtin {
        @Override
        String name() {
            return "none";
        }
    }

    @Nested
    final class ClipNorm extends Builtin {
        @Override
        String name() {
            return "clip-norm";
        }

        @Override
        protected ContractSettings settings() {
            return ContractSettings.defaults().withBadOptions(Map.of("threshold", "0"), Map.of("threshold", "-1"));
        }
    }

    @Nested
    final class ClipNormLowThreshold extends Builtin {
        @Override
        String name() {
            return "clip-norm";
        }

        @Override
        protected Map<String, String> options() {
            return Map.of("threshold", "0.05");
        }
    }

    @Nested
    final class ClipValue extends Builtin {
        @Override
        String name() {
            return "clip-value";
        }

        @Override
        protected ContractSettings settings() {
            return ContractSettings.defaults().withBadOptions(Map.of("value", "0"));
        }
    }
}
