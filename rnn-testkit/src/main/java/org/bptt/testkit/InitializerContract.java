package org.bptt.testkit;

import java.util.Map;
import org.bptt.api.init.InitializerFactory;
import org.bptt.testkit.internal.InitializerSuite;
import org.bptt.testkit.internal.OptionCorners;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract every initializer plugin must meet, as JUnit 5 tests.
 *
 * <pre>{@code
 * final class TestScaledOrthogonalContract extends InitializerContract {
 *     @Override protected InitializerFactory factory() { return new ScaledOrthogonalFactory(); }
 * }
 * }</pre>
 *
 * The initializer fills, in declaration order from one generator as the platform does, the
 * parameters of a GRU-like model (stacked gate blocks), a vanilla one and the readout, a 1×1
 * recurrent matrix among them. What each test checks:
 * <ul>
 *   <li>{@code options-are-declared-and-checked}: as for every plugin (see {@link CellContract});</li>
 *   <li>{@code fills-every-element}: targets filled with NaN beforehand hold finite values
 *       everywhere afterwards, the same as targets filled with something else;</li>
 *   <li>{@code deterministic-from-the-seed}: the same seed gives the same bits from another
 *       instance and from the same instance again;</li>
 *   <li>{@code weights-finite-and-not-zero}: no weight matrix is all zeros.</li>
 *   <li>{@code holds-at-option-corners}: the checks above but the options and allocation checks, again
 *       with each declared option at each end of its declared range, each choice and each boolean
 *       value, one option at a time.</li>
 * </ul>
 */
public abstract class InitializerContract {

    protected abstract InitializerFactory factory();

    protected Map<String, String> options() {
        return Map.of();
    }

    protected ContractSettings settings() {
        return ContractSettings.defaults();
    }

    private void verify(String check) {
        Verdicts.require(Contracts.check(factory(), options(), settings(), check));
    }

    @Test
    @DisplayName(InitializerSuite.OPTIONS)
    public void optionsAreDeclaredAndChecked() {
        verify(InitializerSuite.OPTIONS);
    }

    @Test
    @DisplayName(InitializerSuite.FILLS)
    public void fillsEveryElement() {
        verify(InitializerSuite.FILLS);
    }

    @Test
    @DisplayName(InitializerSuite.DETERMINISM)
    public void deterministicFromTheSeed() {
        verify(InitializerSuite.DETERMINISM);
    }

    @Test
    @DisplayName(InitializerSuite.WEIGHTS)
    public void weightsFiniteAndNotZero() {
        verify(InitializerSuite.WEIGHTS);
    }

    @Test
    @DisplayName(OptionCorners.NAME)
    public void holdsAtOptionCorners() {
        verify(OptionCorners.NAME);
    }
}
