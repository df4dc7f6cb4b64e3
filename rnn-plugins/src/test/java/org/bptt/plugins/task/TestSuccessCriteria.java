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
    void addingAndMultiplicationKeepHochreiterAndSchmidhubersScale() {
        // Their adding target 0.5 + (X1 + X2)/4 spans [0, 1]; the sum here spans [0, 2]: 0.04 there is 0.08 here.
        // Their product, like this one, lies in [0, 1]: 0.04 stays.
        double[] tolerance = {0.08, 0.04};
        String[] names = {"adding", "multiplication"};
        for (int i = 0; i < 2; i++) {
            SuccessCriterion c = TaskTesting.task(names[i]).successCriterion();
            assertEquals(tolerance[i], c.tolerance(), names[i]);
            assertEquals(1.0, c.requiredFraction(), names[i]);
            assertTrue(c.source().startsWith("Hochreiter & Schmidhuber 1997, section 5."), c.source());
        }
        assertEquals(
                "a sequence is correct when |output - target| < 0.08 at every loss step; a run succeeds when every "
                        + "held-out sequence is correct (Hochreiter & Schmidhuber 1997, section 5.4: absolute error below 0.04 on "
                        + "targets in [0, 1], 0.08 on this task's [0, 2]; every sequence, as Pascanu et al. 2013 count a run solved)",
                TaskTesting.task("adding").successCriterion().describe());
    }

    @Test
    void theMemorylessLossIsThatOfAPredictorBlindToTheFirstMarkedValue() {
        // Monte Carlo of the blind predictors (u2 + 1/2 for the sum, u2/2 for the product), in ½·squared error.
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        double sum = 0;
        double product = 0;
        int n = 2_000_000;
        for (int i = 0; i < n; i++) {
            double u1 = r.nextDouble();
            double u2 = r.nextDouble();
            sum += 0.5 * Math.pow(u1 + u2 - (u2 + 0.5), 2) / n;
            product += 0.5 * Math.pow(u1 * u2 - u2 / 2, 2) / n;
        }
        assertEquals(sum, TaskTesting.task("adding").memorylessLoss(), 2e-4);
        assertEquals(product, TaskTesting.task("multiplication").memorylessLoss(), 1e-4);
        assertEquals(
                TaskTesting.task("temporal-order").baselineLoss(),
                TaskTesting.task("temporal-order").memorylessLoss());
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
        SuccessCriterion c =
                TaskTesting.task("temporal-order").successCriterion().requiring(0.5, "reduced budget");
        assertEquals(
                "a sequence is correct when the arg-max output is the target at every loss step; a run succeeds when "
                        + "at least 50% of held-out sequences are correct (reduced budget)",
                c.describe());
    }

    @Test
    void nonsenseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SuccessCriterion.argMax(0, "x"));
        assertThrows(IllegalArgumentException.class, () -> SuccessCriterion.argMax(1.5, "x"));
        assertThrows(IllegalArgumentException.class, () -> SuccessCriterion.absoluteError(-1, 1, "x"));
    }
}
