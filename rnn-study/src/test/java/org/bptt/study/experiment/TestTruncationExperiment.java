package org.bptt.study.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.bptt.study.SummaryRow;
import org.bptt.study.SweepPlan;
import org.junit.jupiter.api.Test;

/** The truncation experiment's plan as its setup says, and its verdict both ways from the rows' own "learned". */
final class TestTruncationExperiment {

    private static List<SummaryRow> rows(SweepPlan plan, java.util.function.Predicate<String> learnedAtK2) {
        return plan.entries().stream()
                .map(e -> {
                    boolean learned = learnedAtK2.test(e.values().get("k2"));
                    return new SummaryRow(
                            e.index(),
                            e.id(),
                            e.values(),
                            e.seed(),
                            SummaryRow.FINISHED,
                            e.config().iterations(),
                            0.01,
                            Map.of("loss", learned ? 0.001 : 0.04),
                            1,
                            "",
                            List.of(),
                            List.of(),
                            0,
                            learned ? "learned" : "not learned",
                            1.0);
                })
                .toList();
    }

    @Test
    void planSweepsK2AcrossTheAddingProblemsLag() {
        TruncationExperiment x = new TruncationExperiment();
        SweepPlan plan = x.plan(Scale.DEFAULT);
        assertEquals(18, plan.entries().size(), "three values of k2, six seeds each");
        assertEquals(
                List.of("5", "10", "30"),
                plan.entries().stream()
                        .map(e -> e.values().get("k2"))
                        .distinct()
                        .toList());
        var c = plan.entries().get(0).config();
        assertEquals("tbptt", c.truncation().name());
        assertEquals(Map.of("k1", "5", "k2", "5"), c.truncation().options());
        assertEquals("adding", c.task().name());
        assertEquals("30", c.task().options().get("steps"));
        // T = 30: the first marked value lies 15 to 29 steps back; k2 = 5 and 10 fall short of all of it.
        assertTrue(x.setup(Scale.DEFAULT).contains("lies 15 to 29 steps before"), x.setup(Scale.DEFAULT));
    }

    @Test
    void verdictFollowsTheLearnedCounts() {
        TruncationExperiment x = new TruncationExperiment();
        SweepPlan plan = x.plan(Scale.DEFAULT);
        ExperimentResult good = x.judge(Scale.DEFAULT, plan, rows(plan, k2 -> k2.equals("30")));
        assertEquals(ExperimentResult.Finding.REPRODUCED, good.finding(), good.verdict());
        // 6 of 6 against 0 of 6: p = 1 / C(12, 6) = 1/924.
        assertEquals(1.0 / 924, (Double) good.rows().get(0).get("fisher_p"), 1e-12);
        assertTrue(good.verdict().contains("k2 = 5: held-out loss 0.04000, 0 of 6 seeds learned"), good.verdict());
        ExperimentResult none = x.judge(Scale.DEFAULT, plan, rows(plan, k2 -> false));
        assertEquals(ExperimentResult.Finding.INCONCLUSIVE, none.finding(), none.verdict());
        ExperimentResult upside = x.judge(Scale.DEFAULT, plan, rows(plan, k2 -> k2.equals("5")));
        assertEquals(ExperimentResult.Finding.CONTRADICTED, upside.finding(), upside.verdict());
    }
}
