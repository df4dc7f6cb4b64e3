package org.bptt.training.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.bptt.training.IterationMetrics;
import org.bptt.training.run.RunSummary.Learning;
import org.junit.jupiter.api.Test;

/** The one rule for "learned" says what it measured against: the long-lag input where a task has one, else the baseline. */
final class TestLearningWords {

    @Test
    void theRuleAndItsWordsForATaskWithALongLagInput() {
        double baseline = 1.0 / 12, memoryless = 1.0 / 24; // the adding problem
        assertEquals(Learning.LEARNED, RunSummary.learning(0.49 * memoryless, baseline, memoryless));
        assertEquals(Learning.PARTLY, RunSummary.learning(0.51 * memoryless, baseline, memoryless));
        assertEquals(Learning.NOT_YET, RunSummary.learning(0.91 * baseline, baseline, memoryless));
        assertTrue(Learning.longLag(baseline, memoryless));
        assertEquals(
                "learned: under half the loss of a model that ignores the long-lag input",
                Learning.LEARNED.words(true));
    }

    @Test
    void aTaskWithoutOneIsMeasuredAgainstItsBaselineAndSaysSo() {
        double baseline = 4.2; // a text: its memoryless loss is its baseline
        for (double memoryless : new double[] {baseline, Double.NaN}) {
            assertFalse(Learning.longLag(baseline, memoryless));
            assertEquals(Learning.LEARNED, RunSummary.learning(0.49 * baseline, baseline, memoryless));
            assertEquals(Learning.PARTLY, RunSummary.learning(0.51 * baseline, baseline, memoryless));
        }
        assertEquals("learned: under half the loss of the baseline", Learning.LEARNED.words(false));
        assertEquals(
                "partly learned: below the baseline, not under half the loss of the baseline",
                Learning.PARTLY.words(false));
        assertEquals(Learning.NOT_YET.words(true), Learning.NOT_YET.words(false));
    }

    @Test
    void aSummarySaysWhatItMeasuredAgainst() {
        List<IterationMetrics> metrics = List.of(IterationMetrics.of(0, 3.0, 1), IterationMetrics.of(1, 2.0, 1));
        // A text (no memoryless loss apart from its baseline) and the adding problem, both partly learned.
        String text = summary(metrics, 3.0, Double.NaN).text();
        assertTrue(
                text.contains(
                        "baseline 3.000: partly learned: below the baseline, not under half the loss of the baseline"),
                text);
        assertFalse(text.contains("long-lag"), text);
        assertEquals("the baseline", summary(metrics, 3.0, Double.NaN).learnedAgainst());
        String adding = summary(metrics, 3.0, 1.5).text();
        assertTrue(adding.contains("not under half the loss of a model that ignores the long-lag input"), adding);
        assertEquals(
                "a model that ignores the long-lag input",
                summary(metrics, 3.0, 1.5).learnedAgainst());
    }

    private static RunSummary summary(List<IterationMetrics> metrics, double baseline, double memoryless) {
        return RunSummary.of(
                metrics, List.of(), 2, 2, baseline, 1.0, null, null, "", null, new double[0][], 0, memoryless);
    }
}
