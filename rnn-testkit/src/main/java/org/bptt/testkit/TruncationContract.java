package org.bptt.testkit;

import java.util.Map;
import org.bptt.api.truncation.TruncationFactory;
import org.bptt.testkit.internal.OptionCorners;
import org.bptt.testkit.internal.TruncationSuite;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract every truncation plugin must meet, as JUnit 5 tests.
 *
 * <pre>{@code
 * final class TestRandomTbpttContract extends TruncationContract {
 *     @Override protected TruncationFactory factory() { return new RandomTbpttFactory(); }
 *     @Override protected Map<String, String> options() { return Map.of("mean", "8"); }
 * }
 * }</pre>
 *
 * What each test checks:
 * <ul>
 *   <li>{@code options-are-declared-and-checked}: as for every plugin (see {@link CellContract});</li>
 *   <li>{@code windows-partition-the-sequence}: for every T in 1…64, 101 and 1000 the windows'
 *       loss ranges partition [0, T) in order (each window's own shape is checked by
 *       {@code Truncation.Window});</li>
 *   <li>{@code same-windows-every-call}: windows depend on T alone — the same from one instance in
 *       any call order, after a caller cleared a list it was given, and from another instance.</li>
 *   <li>{@code holds-at-option-corners}: the checks above but the options and allocation checks, again
 *       with each declared option at each end of its declared range, each choice and each boolean
 *       value, one option at a time.</li>
 * </ul>
 * The gradients a window stands for are the cell's business: {@link CellContract} checks them.
 */
public abstract class TruncationContract {

    protected abstract TruncationFactory factory();

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
    @DisplayName(TruncationSuite.OPTIONS)
    public void optionsAreDeclaredAndChecked() {
        verify(TruncationSuite.OPTIONS);
    }

    @Test
    @DisplayName(TruncationSuite.PARTITION)
    public void windowsPartitionTheSequence() {
        verify(TruncationSuite.PARTITION);
    }

    @Test
    @DisplayName(TruncationSuite.STABLE)
    public void sameWindowsEveryCall() {
        verify(TruncationSuite.STABLE);
    }

    @Test
    @DisplayName(OptionCorners.NAME)
    public void holdsAtOptionCorners() {
        verify(OptionCorners.NAME);
    }
}
