package org.bptt.testkit;

import java.util.Map;
import org.bptt.api.cell.CellFactory;
import org.junit.jupiter.api.Nested;

/** The built-in vanilla cell, tanh and ReLU, against the cell contract. */
final class TestBuiltinCells {

    @Nested
    final class VanillaTanh extends CellContract {
        @Override
        protected CellFactory factory() {
            return Builtins.load(CellFactory.class, "vanilla");
        }

        @Override
        protected ContractSettings settings() {
            return ContractSettings.defaults().withBadOptions(Map.of("activation", "sigmoid"));
        }
    }

    @Nested
    final class VanillaRelu extends CellContract {
        @Override
        protected CellFactory factory() {
            return Builtins.load(CellFactory.class, "vanilla");
        }

        @Override
        protected Map<String, String> options() {
            return Map.of("activation", "relu");
        }

        @Override
        protected ContractSettings settings() {
            return ContractSettings.defaults().withBadOptions(Map.of("activation", "identity"));
        }
    }
}
