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
import org.bptt.api.optim.OptimizerFactory;
import org.bptt.testkit.internal.CellSuite;
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
        protected OptimizerFactory factory() { return new SampleAdam.Factory(); }
    }

    /** What an author writes for a cell whose gate derivative is wrong. */
    @EngineFixture
    static final class WrongDerivativeContract extends CellContract {
        @Override
        protected CellFactory factory() { return new GatedCellFactory(); }

        @Override
        protected Map<String, String> options() { return Map.of("flaw", "wrong-gate-derivative"); }
    }

    @Test
    void aCorrectPluginPassesEveryTestOfItsBase() {
        Events tests = EngineTestKit.engine("junit-jupiter").configurationParameter(EngineFixture.PARAMETER, "on")
                .selectors(selectClass(CorrectAdamContract.class)).execute()
                .testEvents();
        // one test per check of the family: the base leaves none out
        int checks = Contracts.checkNames(new SampleAdam.Factory()).size();
        tests.assertStatistics(s -> s.started(checks).succeeded(checks).failed(0).aborted(0));
    }

    @Test
    void aBrokenPluginFailsTheTestOfItsFlawAndOnlyThat() {
        Events tests = EngineTestKit.engine("junit-jupiter").configurationParameter(EngineFixture.PARAMETER, "on")
                .selectors(selectMethod(WrongDerivativeContract.class, "gradientsMatchFiniteDifferences"),
                        selectMethod(WrongDerivativeContract.class, "splitForwardGivesSameBits"),
                        selectMethod(WrongDerivativeContract.class, "deterministic"))
                .execute().testEvents();
        tests.assertStatistics(s -> s.started(3).succeeded(2).failed(1));
        tests.assertThatEvents().haveExactly(1, event(displayName(CellSuite.GRADIENTS),
                finishedWithFailure(message(m -> m.startsWith(CellSuite.GRADIENTS + ": full BPTT, gradient of")))));
        tests.assertThatEvents().haveExactly(1, event(displayName(CellSuite.SPLIT_FORWARD), finishedSuccessfully()));
    }
}
