package org.bptt.testkit;

import java.util.Map;
import org.bptt.api.optim.OptimizerFactory;
import org.junit.jupiter.api.Nested;

/** The built-in optimizers against the optimizer contract. */
final class TestBuiltinOptimizers {

    abstract class Builtin extends OptimizerContract {
        abstract String name();

        @Override
        protected OptimizerFactory factory() {
            return Builtins.load(OptimizerFactory.class, name());
        }
    }

    @Nested
    final class Sgd extends Builtin {
        @Override
        String name() {
            return "sgd";
        }

        @Override
        protected ContractSettings settings() {
            return ContractSettings.defaults().withBadOptions(Map.of("lr", "0"), Map.of("momentum", "1"));
        }
    }

    @Nested
    final class SgdWithMomentum extends Builtin {
        @Override
        String name() {
            return "sgd";
        }

        @Override
        protected Map<String, String> options() {
            return Map.of("lr", "0.05", "momentum", "0.9");
        }

        @Override
        protected ContractSettings settings() {
            return ContractSettings.defaults().withBadOptions(Map.of("momentum", "-0.5"));
        }
    }

    @Nested
    final class Adam extends Builtin {
        @Override
        String name() {
            return "adam";
        }

        @Override
        protected ContractSettings settings() {
            return ContractSettings.defaults()
                    .withBadOptions(Map.of("lr", "-1"), Map.of("beta1", "1"), Map.of("eps", "0"));
        }
    }

    @Nested
    final class RmsProp extends Builtin {
        @Override
        String name() {
            return "rmsprop";
        }

        @Override
        protected ContractSettings settings() {
            return ContractSettings.defaults().withBadOptions(Map.of("alpha", "1"));
        }
    }

    @Nested
    final class Adagrad extends Builtin {
        @Override
        String name() {
            return "adagrad";
        }

        @Override
        protected ContractSettings settings() {
            return ContractSettings.defaults().withBadOptions(Map.of("eps", "-1"));
        }
    }
}
