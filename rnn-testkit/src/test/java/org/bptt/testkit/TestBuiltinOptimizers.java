package org.bptt.testkit;

import java.util.Map;

import org.bptt.api.optim.OptimizerFactory;
import org.bptt.testkit.internal.OptimizerSuite;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The built-in optimizers against the optimizer contract. */
final class TestBuiltinOptimizers {

    /**
     * Known bug: ElementwiseOptimizer.step takes gradients by position and never compares their
     * names or shapes with the parameters it was bound to.
     */
    static final String BY_POSITION = "gradients listed in another order than the parameters made it throw"
            + " java.lang.ArrayIndexOutOfBoundsException";

    abstract class Builtin extends OptimizerContract {
        abstract String name();

        @Override
        protected OptimizerFactory factory() { return Builtins.load(OptimizerFactory.class, name()); }

        @Override
        @Test
        @DisplayName(OptimizerSuite.MISMATCHED + " (known failure)")
        public void refusesMismatchedShapes() {
            Builtins.knownFailure(factory(), options(), settings(), OptimizerSuite.MISMATCHED, BY_POSITION);
        }
    }

    @Nested
    final class Sgd extends Builtin {
        @Override String name() { return "sgd"; }

        @Override
        protected ContractSettings settings() {
            return ContractSettings.defaults().withBadOptions(Map.of("lr", "0"), Map.of("momentum", "1"));
        }
    }

    @Nested
    final class SgdWithMomentum extends Builtin {
        @Override String name() { return "sgd"; }

        @Override
        protected Map<String, String> options() { return Map.of("lr", "0.05", "momentum", "0.9"); }

        @Override
        protected ContractSettings settings() {
            return ContractSettings.defaults().withBadOptions(Map.of("momentum", "-0.5"));
        }
    }

    @Nested
    final class Adam extends Builtin {
        @Override String name() { return "adam"; }

        @Override
        protected ContractSettings settings() {
            return ContractSettings.defaults().withBadOptions(Map.of("lr", "-1"), Map.of("beta1", "1"), Map.of("eps", "0"));
        }
    }

    @Nested
    final class RmsProp extends Builtin {
        @Override String name() { return "rmsprop"; }

        @Override
        protected ContractSettings settings() {
            return ContractSettings.defaults().withBadOptions(Map.of("alpha", "1"));
        }
    }

    @Nested
    final class Adagrad extends Builtin {
        @Override String name() { return "adagrad"; }

        @Override
        protected ContractSettings settings() {
            return ContractSettings.defaults().withBadOptions(Map.of("eps", "-1"));
        }
    }
}
