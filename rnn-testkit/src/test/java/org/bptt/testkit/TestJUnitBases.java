package org.bptt.testkit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.testkit.engine.EventConditions.displayName;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import java.util.Map;
import org.bptt.api.cell.CellFactory;
import org.bptt.api.gradient.GradientPolicyFactory;
import org.bptt.api.optim.OptimizerFactory;
import org.bptt.testkit.internal.CellSuite;
import org.bptt.testkit.samples.AdaptiveClip;
import org.bptt.testkit.samples.GatedCellFactory;
import org.bptt.testkit.samples.SampleAdam;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The JUnit bases as an author uses them, run through JUnit's own engine: a correct plugin's
 * subclass passes every test, a broken one fails the test named after the check for its flaw
 * and passes the others.
 */
final class TestJUnitBases {

    /** What an author writes for a correct optimizer. */
    @EngineFixture
    static final class CorrectAdamContract extends OptimizerContract {
        @Override
        protected OptimizerFactory factory() {
            return new SampleAdam.Factory();
        }
    }

    /** What an author writes for a cell whose gate derivative is wrong. */
    @EngineFixture
    static final class WrongDerivativeContract extends CellContract {
        @Override
        protected CellFactory factory() {
            return new GatedCellFactory();
        }

        @Override
        protected Map<String, String> options() {
            return Map.of("flaw", "wrong-gate-derivative");
        }
    }

    /** What an author writes for a cell with a static scratch array. */
    @EngineFixture
    static final class StaticScratchContract extends CellContract {
        @Override
        protected CellFactory factory() {
            return new GatedCellFactory();
        }

        @Override
        protected Map<String, String> options() {
            return Map.of("flaw", "static-scratch");
        }
    }

    /** What an author writes for a cell that keeps a static reference to a weight. */
    @EngineFixture
    static final class StaticWeightContract extends CellContract {
        @Override
        protected CellFactory factory() {
            return new GatedCellFactory();
        }

        @Override
        protected Map<String, String> options() {
            return Map.of("flaw", "static-weight");
        }
    }

    /** What an author writes for a policy whose moving average is a static field. */
    @EngineFixture
    static final class StaticAverageContract extends GradientPolicyContract {
        @Override
        protected GradientPolicyFactory factory() {
            return new AdaptiveClip.Factory();
        }

        @Override
        protected Map<String, String> options() {
            return Map.of("flaw", "static-average");
        }
    }

    /** What an author writes for a cell that allocates an array per step in its forward pass. */
    @EngineFixture
    static final class AllocatingContract extends CellContract {
        @Override
        protected CellFactory factory() {
            return new GatedCellFactory();
        }

        @Override
        protected Map<String, String> options() {
            return Map.of("flaw", "allocates");
        }
    }

    @Test
    void stateInAStaticFieldFailsTheInstancesTestAndAnAllocationTheAllocationTest() {
        Events tests = EngineTestKit.engine("junit-jupiter")
                .configurationParameter(EngineFixture.PARAMETER, "on")
                .selectors(
                        selectMethod(StaticScratchContract.class, "instancesShareNoState"),
                        selectMethod(StaticScratchContract.class, "deterministic"),
                        selectMethod(StaticWeightContract.class, "instancesShareNoState"),
                        selectMethod(StaticWeightContract.class, "deterministic"),
                        selectMethod(StaticAverageContract.class, "instancesShareNoState"),
                        selectMethod(StaticAverageContract.class, "deterministic"),
                        selectMethod(AllocatingContract.class, "noAllocationPerStep"))
                .execute()
                .testEvents();
        // the single-instance test passes each static-state mutant: only running two instances shows it
        tests.assertStatistics(s -> s.started(7).succeeded(3).failed(4));
        tests.assertThatEvents()
                .haveExactly(
                        3,
                        event(
                                displayName(CellSuite.INSTANCES),
                                finishedWithFailure(message(m -> m.startsWith(CellSuite.INSTANCES + ": instance ")
                                        && m.contains("a static field?")))));
        tests.assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                displayName(CellSuite.ALLOCATION),
                                finishedWithFailure(message(m -> m.contains("bytes per step here and")))));
    }

    @Test
    void aCorrectPluginPassesEveryTestOfItsBase() {
        Events tests = EngineTestKit.engine("junit-jupiter")
                .configurationParameter(EngineFixture.PARAMETER, "on")
                .selectors(selectClass(CorrectAdamContract.class))
                .execute()
                .testEvents();
        // one test per check of the family: the base leaves none out
        int checks = Contracts.checkNames(new SampleAdam.Factory()).size();
        tests.assertStatistics(
                s -> s.started(checks).succeeded(checks).failed(0).aborted(0));
    }

    @Test
    void aBrokenPluginFailsTheTestOfItsFlawAndOnlyThat() {
        Events tests = EngineTestKit.engine("junit-jupiter")
                .configurationParameter(EngineFixture.PARAMETER, "on")
                .selectors(
                        selectMethod(WrongDerivativeContract.class, "gradientsMatchFiniteDifferences"),
                        selectMethod(WrongDerivativeContract.class, "splitForwardGivesSameBits"),
                        selectMethod(WrongDerivativeContract.class, "deterministic"))
                .execute()
                .testEvents();
        tests.assertStatistics(s -> s.started(3).succeeded(2).failed(1));
        tests.assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                displayName(CellSuite.GRADIENTS),
                                finishedWithFailure(
                                        message(m -> m.startsWith(CellSuite.GRADIENTS + ": full BPTT, gradient of")))));
        tests.assertThatEvents().haveExactly(1, event(displayName(CellSuite.SPLIT_FORWARD), finishedSuccessfully()));
    }
}
