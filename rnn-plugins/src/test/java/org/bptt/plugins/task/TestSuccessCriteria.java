package org.bptt.plugins.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bptt.api.data.SuccessCriterion;
import org.junit.jupiter.api.Test;

/** Each task's success rule from the literature, and the rule type's own checks. */
final class TestSuccessCriteria {

    @Test
    void addingAndMultiplicationAllowAnAbsoluteErrorBelow004() {
        for (String name : new String[] {"adding", "multiplication"}) {
            SuccessCriterion c = TaskTesting.task(name).successCriterion();
            assertEquals(0.04, c.tolerance(), name);
            assertEquals(1.0, c.requiredFraction(), name);
            assertTrue(c.source().startsWith("Hochreiter & Schmidhuber 1997, section 5."), c.source());
        }
        assertEquals("a sequence is correct when |output - target| < 0.04 at every loss step; a run succeeds when every "
                + "held-out sequence is correct (Hochreiter & Schmidhuber 1997, section 5.4: absolute error below 0.04; "
                + "every sequence, as Pascanu et al. 2013)", TaskTesting.task("adding").successCriterion().describe());
    }

    @Test
    void temporalOrderAndCopyJudgeByArgMax() {
        SuccessCriterion order = TaskTesting.task("temporal-order").successCriterion();
        assertTrue(Double.isNaN(order.tolerance()));
        assertEquals(1.0, order.requiredFraction());
        assertTrue(order.source().startsWith("Pascanu, Mikolov & Bengio 2013"), order.source());
        assertTrue(TaskTesting.task("copy").successCriterion().defined());
    }

    @Test
    void sineAndTextHaveNoRule() {
        assertFalse(TaskTesting.task("sine").successCriterion().defined());
        assertFalse(TaskTesting.task("text").successCriterion().defined());
        assertEquals("no success criterion", SuccessCriterion.NONE.describe());
    }

    @Test
    void aStudyMayRequireAnotherFraction() {
        SuccessCriterion c = TaskTesting.task("temporal-order").successCriterion().requiring(0.5, "reduced budget");
        assertEquals("a sequence is correct when the arg-max output is the target at every loss step; a run succeeds when "
                + "at least 50% of held-out sequences are correct (reduced budget)", c.describe());
    }

    @Test
    void nonsenseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SuccessCriterion.argMax(0, "x"));
        assertThrows(IllegalArgumentException.class, () -> SuccessCriterion.argMax(1.5, "x"));
        assertThrows(IllegalArgumentException.class, () -> SuccessCriterion.absoluteError(-1, 1, "x"));
    }
}
