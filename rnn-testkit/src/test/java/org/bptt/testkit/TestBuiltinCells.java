package org.bptt.testkit;

import java.util.Map;

import org.bptt.api.cell.CellFactory;
import org.bptt.testkit.internal.CellSuite;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The built-in vanilla cell, tanh and ReLU, against the cell contract. */
final class TestBuiltinCells {

    /** Known bug: VanillaCell.bind reads U, W and b by name without checking their shapes against (I, H). */
    static final String UNCHECKED_SHAPES = "to parameters shaped for I=3, H=5 and ran a forward and backward pass";

    @Nested
    final class VanillaTanh extends CellContract {
        @Override
        protected CellFactory factory() { return Builtins.load(CellFactory.class, "vanilla"); }

        @Override
        protected ContractSettings settings() {
            return ContractSettings.defaults().withBadOptions(Map.of("activation", "sigmoid"));
        }

        @Override
        @Test
        @DisplayName(CellSuite.BAD_SIZES + " (known failure)")
        public void refusesBadSizes() {
            Builtins.knownFailure(factory(), options(), settings(), CellSuite.BAD_SIZES, UNCHECKED_SHAPES);
        }
    }

    @Nested
    final class VanillaRelu extends CellContract {
        @Override
        protected CellFactory factory() { return Builtins.load(CellFactory.class, "vanilla"); }

        @Override
        protected Map<String, String> options() { return Map.of("activation", "relu"); }

        @Override
        protected ContractSettings settings() {
            return ContractSettings.defaults().withBadOptions(Map.of("activation", "identity"));
        }

        @Override
        @Test
        @DisplayName(CellSuite.BAD_SIZES + " (known failure)")
        public void refusesBadSizes() {
            Builtins.knownFailure(factory(), options(), settings(), CellSuite.BAD_SIZES, UNCHECKED_SHAPES);
        }
    }
}
