package org.bptt.testkit;

import java.util.Map;
import org.bptt.api.gradient.GradientPolicyFactory;
import org.bptt.testkit.internal.OptionCorners;
import org.bptt.testkit.internal.PolicySuite;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract every gradient-policy plugin must meet, as JUnit 5 tests.
 *
 * <pre>{@code
 * final class TestAdaptiveClipContract extends GradientPolicyContract {
 *     @Override protected GradientPolicyFactory factory() { return new AdaptiveClipFactory(); }
 *     @Override protected Map<String, String> options() { return Map.of("factor", "2"); }
 *     @Override protected ContractSettings settings() {
 *         return ContractSettings.defaults().withBadOptions(Map.of("factor", "-1"));
 *     }
 * }
 * }</pre>
 *
 * The policy is applied to gradients shaped like a small model's plus a 33×65 matrix, with
 * global norms from about 0.05 to 50 000 (one with a zero tensor, one with a single huge
 * component). What each test checks:
 * <ul>
 *   <li>{@code options-are-declared-and-checked}: as for every plugin (see {@link CellContract});</li>
 *   <li>{@code leaves-parameters-alone}: apply changes only the gradients;</li>
 *   <li>{@code reports-what-it-did}: the report's norm before and after match the gradients'
 *       global L2 norms (relative 1e-6 and 1e-5), {@code clipped} is true exactly when a component
 *       changed, the changed-component count is plausible, and a reported scale is the one applied;</li>
 *   <li>{@code reports-non-finite-gradients}: a NaN or infinite component gives a non-finite norm
 *       before (the trainer stops or skips on it);</li>
 *   <li>{@code deterministic}: two instances give the same bits;</li>
 *   <li>{@code instances-share-no-state}: two instances fed different gradients give the bits each
 *       gives alone, with their updates alternating and on two threads at once (a running average in
 *       a static field fails here);</li>
 *   <li>{@code thread-counts-give-same-bits}: the same bits with kernels of 1, 2 and 3 threads;</li>
 *   <li>{@code no-allocation-per-update}: a steady-state apply allocates nothing;</li>
 *   <li>{@code checkpoint-round-trip}: state saved after some updates and loaded into a fresh
 *       instance continues with the same bits as the uninterrupted instance, and is saved again
 *       identically; a key written twice fails;</li>
 *   <li>{@code refuses-mismatched-gradients}: gradients of another shape, or missing a parameter's
 *       tensor, are refused with an IllegalArgumentException before anything changes.</li>
 *   <li>{@code holds-at-option-corners}: the checks above but the options and allocation checks, again
 *       with each declared option at each end of its declared range, each choice and each boolean
 *       value, one option at a time.</li>
 * </ul>
 */
public abstract class GradientPolicyContract {

    protected abstract GradientPolicyFactory factory();

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
    @DisplayName(PolicySuite.OPTIONS)
    public void optionsAreDeclaredAndChecked() {
        verify(PolicySuite.OPTIONS);
    }

    @Test
    @DisplayName(PolicySuite.LEAVES_PARAMETERS)
    public void leavesParametersAlone() {
        verify(PolicySuite.LEAVES_PARAMETERS);
    }

    @Test
    @DisplayName(PolicySuite.REPORT)
    public void reportsWhatItDid() {
        verify(PolicySuite.REPORT);
    }

    @Test
    @DisplayName(PolicySuite.NON_FINITE)
    public void reportsNonFiniteGradients() {
        verify(PolicySuite.NON_FINITE);
    }

    @Test
    @DisplayName(PolicySuite.DETERMINISM)
    public void deterministic() {
        verify(PolicySuite.DETERMINISM);
    }

    @Test
    @DisplayName(PolicySuite.INSTANCES)
    public void instancesShareNoState() {
        verify(PolicySuite.INSTANCES);
    }

    @Test
    @DisplayName(PolicySuite.THREADS)
    public void threadCountsGiveSameBits() {
        verify(PolicySuite.THREADS);
    }

    @Test
    @DisplayName(PolicySuite.ALLOCATION)
    public void noAllocationPerUpdate() {
        verify(PolicySuite.ALLOCATION);
    }

    @Test
    @DisplayName(PolicySuite.CHECKPOINT)
    public void checkpointRoundTrip() {
        verify(PolicySuite.CHECKPOINT);
    }

    @Test
    @DisplayName(PolicySuite.MISMATCHED)
    public void refusesMismatchedGradients() {
        verify(PolicySuite.MISMATCHED);
    }

    @Test
    @DisplayName(OptionCorners.NAME)
    public void holdsAtOptionCorners() {
        verify(OptionCorners.NAME);
    }
}
