package org.bptt.testkit;

import java.util.Map;
import org.bptt.api.init.InitializerFactory;
import org.junit.jupiter.api.Nested;

/** Every built-in initializer against the initializer contract. */
final class TestBuiltinInitializers {

    abstract static class Builtin extends InitializerContract {
        abstract String name();

        @Override
        protected InitializerFactory factory() {
            return Builtins.load(InitializerFactory.class, name());
        }
    }

    @Nested
    final class Xavier extends Builtin {
        @Override
        String name() {
            return "xavier";
        }

        @Override
        protected ContractSettings settings() {
            return ContractSettings.defaults().withBadOptions(Map.of("gain", "0"));
        }
    }

    @Nested
    final class Orthogonal extends Builtin {
        @Override
        String name() {
            return "orthogonal";
        }

        @Override
        protected ContractSettings settings() {
            return ContractSettings.defaults().withBadOptions(Map.of("gain", "-1"));
        }
    }

    @Nested
    final class Identity extends Builtin {
        @Override
        String name() {
            return "identity";
        }
    }

    @Nested
    final class Spectral extends Builtin {
        @Override
        String name() {
            return "spectral";
        }

        @Override
        protected Map<String, String> options() {
            return Map.of("radius", "1.5");
        }

        @Override
        protected ContractSettings settings() {
            return ContractSettings.defaults().withBadOptions(Map.of("radius", "0"));
        }
    }

    @Nested
    final class Uniform extends Builtin {
        @Override
        String name() {
            return "uniform";
        }

        @Override
        protected ContractSettings settings() {
            return ContractSettings.defaults().withBadOptions(Map.of("scale", "0"));
        }
    }
}
