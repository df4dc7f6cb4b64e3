package org.bptt.testkit;

import java.util.Map;
import org.bptt.api.cell.CellFactory;
import org.bptt.testkit.internal.CellSuite;
import org.bptt.testkit.internal.OptionCorners;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract every cell plugin must meet, as JUnit 5 tests: extend this class in your test
 * sources, return your factory, and each check below runs as a test of its own.
 *
 * <pre>{@code
 * final class TestGruContract extends CellContract {
 *     @Override protected CellFactory factory() { return new GruCellFactory(); }
 *     // optional: options and sizes
 *     @Override protected Map<String, String> options() { return Map.of("reset-after", "true"); }
 *     @Override protected ContractSettings settings() { return ContractSettings.defaults().withSizes(3, 5); }
 * }
 * }</pre>
 *
 * <p>The numbers are checked against the kit's own readout o = V h + c and loss ½‖o − y‖² in
 * double and against finite differences of your cell's forward pass; the trainer is used in
 * one check only ({@code trains-in-the-platform}). What each test checks:
 * <ul>
 *   <li>{@code options-are-declared-and-checked}: the factory's name and options are well formed,
 *       each declared default is the one really used, unknown or malformed options and
 *       {@link ContractSettings#badOptions()} are refused with a {@code ConfigurationException};</li>
 *   <li>{@code declares-parameters-and-state}: unique names other than V and c, fan-in and fan-out
 *       of at least 1, a state at least H wide, the same declaration every time;</li>
 *   <li>{@code gradients-match-finite-differences}: full BPTT through the kit's readout and loss —
 *       every parameter's gradient and every state gradient, including the entering state's —
 *       within relative L2 error 1e-3 of fourth-order central differences (coordinates within
 *       reach of a ReLU-like kink are detected from the forward pass and skipped);</li>
 *   <li>{@code every-parameter-is-used}: every parameter element changes the loss;</li>
 *   <li>{@code adds-gradients-and-writes-only-its-slots}: backward adds to the gradients it finds,
 *       leaves the readout's gradients, the parameters, x and the states alone, and each call
 *       writes only the slots its window owns;</li>
 *   <li>{@code truncated-windows-match-finite-differences}: TBPTT(2, 5) called exactly as a
 *       training run calls it (forward up to a window's end, then its backward, whose window
 *       reaches back over earlier forward calls), parameters fixed: each window's gradients equal
 *       the derivative of that window's losses with the state entering the window held constant;</li>
 *   <li>{@code split-forward-gives-same-bits}: forward(0, T), forward in three calls, and one step
 *       at a time give the same bits, and so do backward passes after them;</li>
 *   <li>{@code thread-counts-give-same-bits}: a batch of 27 gives the same bits on 1, 2 and 3
 *       threads ({@code Backends.select("auto", n)}), six runs each;</li>
 *   <li>{@code sequences-are-independent}: a sequence's states and state gradients do not depend
 *       on the other sequences of its batch;</li>
 *   <li>{@code sees-parameter-updates}: a runner reads the parameters at every call;</li>
 *   <li>{@code deterministic}: two instances, and one runner twice, give the same bits;</li>
 *   <li>{@code instances-share-no-state}: two runners with different data, bound one after the other,
 *       give the bits each gives alone with their calls alternating, and on two threads at once
 *       (a static scratch array or a static reference to a weight fails here);</li>
 *   <li>{@code finite-for-moderate-inputs}: finite states and gradients over 40 steps of inputs in
 *       [-3, 3], including all-zero inputs from a zero state with zero biases;</li>
 *   <li>{@code no-allocation-per-step}: a steady-state iteration allocates nothing on the caller or
 *       the kernel workers (see {@link ContractSettings#allocationBudget()});</li>
 *   <li>{@code refuses-bad-sizes}: binding to {@link ContractSettings#unsupportedSizes()}, to
 *       parameters of other shapes, or without a parameter fails with a clear exception;</li>
 *   <li>{@code trains-in-the-platform}: in the platform's {@code BpttTrainer} the cell gives the
 *       kit's gradients and loss, and a gradient step lowers the loss.</li>
 *   <li>{@code holds-at-option-corners}: the checks above but the options and allocation checks, again
 *       with each declared option at each end of its declared range, each choice and each boolean
 *       value, one option at a time.</li>
 * </ul>
 * To leave a check out, override its method with {@code @Disabled("why")} and {@code @Test}.
 */
public abstract class CellContract {

    /** The factory under test, as ServiceLoader would make it. */
    protected abstract CellFactory factory();

    /** The options to create the cell with; none by default. */
    protected Map<String, String> options() {
        return Map.of();
    }

    /** Sizes, unsupported sizes, bad options, allocation budget. */
    protected ContractSettings settings() {
        return ContractSettings.defaults();
    }

    private void verify(String check) {
        Verdicts.require(Contracts.check(factory(), options(), settings(), check));
    }

    @Test
    @DisplayName(CellSuite.OPTIONS)
    public void optionsAreDeclaredAndChecked() {
        verify(CellSuite.OPTIONS);
    }

    @Test
    @DisplayName(CellSuite.DECLARATION)
    public void declaresParametersAndState() {
        verify(CellSuite.DECLARATION);
    }

    @Test
    @DisplayName(CellSuite.GRADIENTS)
    public void gradientsMatchFiniteDifferences() {
        verify(CellSuite.GRADIENTS);
    }

    @Test
    @DisplayName(CellSuite.EVERY_PARAMETER)
    public void everyParameterIsUsed() {
        verify(CellSuite.EVERY_PARAMETER);
    }

    @Test
    @DisplayName(CellSuite.BUFFERS)
    public void addsGradientsAndWritesOnlyItsSlots() {
        verify(CellSuite.BUFFERS);
    }

    @Test
    @DisplayName(CellSuite.TRUNCATED)
    public void truncatedWindowsMatchFiniteDifferences() {
        verify(CellSuite.TRUNCATED);
    }

    @Test
    @DisplayName(CellSuite.SPLIT_FORWARD)
    public void splitForwardGivesSameBits() {
        verify(CellSuite.SPLIT_FORWARD);
    }

    @Test
    @DisplayName(CellSuite.THREADS)
    public void threadCountsGiveSameBits() {
        verify(CellSuite.THREADS);
    }

    @Test
    @DisplayName(CellSuite.SEQUENCES)
    public void sequencesAreIndependent() {
        verify(CellSuite.SEQUENCES);
    }

    @Test
    @DisplayName(CellSuite.PARAMETER_UPDATES)
    public void seesParameterUpdates() {
        verify(CellSuite.PARAMETER_UPDATES);
    }

    @Test
    @DisplayName(CellSuite.DETERMINISM)
    public void deterministic() {
        verify(CellSuite.DETERMINISM);
    }

    @Test
    @DisplayName(CellSuite.INSTANCES)
    public void instancesShareNoState() {
        verify(CellSuite.INSTANCES);
    }

    @Test
    @DisplayName(CellSuite.FINITE)
    public void finiteForModerateInputs() {
        verify(CellSuite.FINITE);
    }

    @Test
    @DisplayName(CellSuite.ALLOCATION)
    public void noAllocationPerStep() {
        verify(CellSuite.ALLOCATION);
    }

    @Test
    @DisplayName(CellSuite.BAD_SIZES)
    public void refusesBadSizes() {
        verify(CellSuite.BAD_SIZES);
    }

    @Test
    @DisplayName(CellSuite.PLATFORM)
    public void trainsInThePlatform() {
        verify(CellSuite.PLATFORM);
    }

    @Test
    @DisplayName(OptionCorners.NAME)
    public void holdsAtOptionCorners() {
        verify(OptionCorners.NAME);
    }
}
