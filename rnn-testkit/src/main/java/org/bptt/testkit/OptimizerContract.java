package org.bptt.testkit;

import java.util.Map;
import org.bptt.api.optim.OptimizerFactory;
import org.bptt.testkit.internal.OptimizerSuite;
import org.bptt.testkit.internal.OptionCorners;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract every optimizer plugin must meet, as JUnit 5 tests.
 *
 * <pre>{@code
 * final class TestLionContract extends OptimizerContract {
 *     @Override protected OptimizerFactory factory() { return new LionFactory(); }
 *     @Override protected Map<String, String> options() { return Map.of("lr", "1e-4"); }
 * }
 * }</pre>
 *
 * The optimizer is bound to parameters shaped like a small model's plus a 33×65 matrix and
 * stepped with gradients of varied scale. What each test checks:
 * <ul>
 *   <li>{@code options-are-declared-and-checked}: as for every plugin (see {@link CellContract});</li>
 *   <li>{@code leaves-gradients-alone}: step changes only the parameters;</li>
 *   <li>{@code descends}: the learning rate is positive; the first step from a fresh state moves
 *       every parameter with a gradient, and none uphill; 100 steps lower a convex quadratic;</li>
 *   <li>{@code deterministic}: two instances give the same trajectory bits;</li>
 *   <li>{@code instances-share-no-state}: two instances bound to different parameters give the bits
 *       each gives alone, with their steps alternating and on two threads at once;</li>
 *   <li>{@code thread-counts-give-same-bits}: bound to kernels of 1, 2 and 3 threads, the same bits;</li>
 *   <li>{@code no-allocation-per-step}: a steady-state step allocates nothing;</li>
 *   <li>{@code checkpoint-round-trip}: state saved after three steps and loaded into a fresh instance
 *       bound to the same parameters continues with the same bits, and is saved again identically;</li>
 *   <li>{@code refuses-mismatched-shapes}: a step before bind, gradients of another shape or missing
 *       a tensor, and parameters other than the bound ones are refused before anything changes;
 *       gradients listed in another order are matched by name or refused.</li>
 *   <li>{@code holds-at-option-corners}: the checks above but the options and allocation checks, again
 *       with each declared option at each end of its declared range, each choice and each boolean
 *       value, one option at a time.</li>
 * </ul>
 */
public abstract class OptimizerContract {

    protected abstract OptimizerFactory factory();

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
    @DisplayName(OptimizerSuite.OPTIONS)
    public void optionsAreDeclaredAndChecked() {
        verify(OptimizerSuite.OPTIONS);
    }

    @Test
    @DisplayName(OptimizerSuite.LEAVES_GRADIENTS)
    public void leavesGradientsAlone() {
        verify(OptimizerSuite.LEAVES_GRADIENTS);
    }

    @Test
    @DisplayName(OptimizerSuite.DESCENDS)
    public void descends() {
        verify(OptimizerSuite.DESCENDS);
    }

    @Test
    @DisplayName(OptimizerSuite.DETERMINISM)
    public void deterministic() {
        verify(OptimizerSuite.DETERMINISM);
    }

    @Test
    @DisplayName(OptimizerSuite.INSTANCES)
    public void instancesShareNoState() {
        verify(OptimizerSuite.INSTANCES);
    }

    @Test
    @DisplayName(OptimizerSuite.THREADS)
    public void threadCountsGiveSameBits() {
        verify(OptimizerSuite.THREADS);
    }

    @Test
    @DisplayName(OptimizerSuite.ALLOCATION)
    public void noAllocationPerStep() {
        verify(OptimizerSuite.ALLOCATION);
    }

    @Test
    @DisplayName(OptimizerSuite.CHECKPOINT)
    public void checkpointRoundTrip() {
        verify(OptimizerSuite.CHECKPOINT);
    }

    @Test
    @DisplayName(OptimizerSuite.MISMATCHED)
    public void refusesMismatchedShapes() {
        verify(OptimizerSuite.MISMATCHED);
    }

    @Test
    @DisplayName(OptionCorners.NAME)
    public void holdsAtOptionCorners() {
        verify(OptionCorners.NAME);
    }
}
