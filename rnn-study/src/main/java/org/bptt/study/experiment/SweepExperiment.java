package org.bptt.study.experiment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bptt.study.LocalSweep;
import org.bptt.study.PlanEntry;
import org.bptt.study.Stats;
import org.bptt.study.SummaryRow;
import org.bptt.study.SweepListener;
import org.bptt.study.SweepPlan;
import org.bptt.study.SweepSummary;
import org.bptt.training.plugin.Plugins;

/** An experiment that trains: a sweep plan run into the experiment's folder (resumable), then judged from its rows. */
abstract class SweepExperiment implements Experiment {

    /** The runs at this scale. */
    abstract SweepPlan plan(Scale scale);

    /** The verdict from the rows of every run that ended (failed ones included, as failures). */
    abstract ExperimentResult judge(Scale scale, SweepPlan plan, List<SummaryRow> rows);

    @Override
    public ExperimentResult run(Scale scale, Path folder, Plugins plugins, int parallel, SweepListener listener)
            throws IOException {
        long t0 = System.nanoTime();
        SweepPlan plan = plan(scale);
        LocalSweep.Outcome o = LocalSweep.run(plan, folder, plugins, 1, 1, parallel, listener);
        if (!o.stopped().isEmpty()) {
            return null;
        }
        List<PlanEntry> missing = new ArrayList<>();
        List<SummaryRow> rows = new ArrayList<>(SweepSummary.collect(plan, folder, missing));
        rows.addAll(o.rows().stream()
                .filter(r -> r.status().equals(SummaryRow.FAILED))
                .toList());
        return judge(scale, plan, rows).withSeconds((System.nanoTime() - t0) / 1e9);
    }

    /** The rows whose values include all of {@code match}. */
    static List<SummaryRow> where(List<SummaryRow> rows, Map<String, String> match) {
        return rows.stream()
                .filter(r -> match.entrySet().stream()
                        .allMatch(e -> e.getValue().equals(r.values().get(e.getKey()))))
                .toList();
    }

    static Stats stats(List<SummaryRow> rows, String metric) {
        return Stats.of(rows.stream()
                .filter(r -> !r.status().equals(SummaryRow.FAILED))
                .mapToDouble(r -> r.metric(metric))
                .toArray());
    }

    static long count(List<SummaryRow> rows, java.util.function.Predicate<SummaryRow> p) {
        return rows.stream().filter(p).count();
    }

    /**
     * One-sided Fisher exact test: the chance that {@code a} or more of the {@code a + c} successes
     * fall in the first group of {@code n1} when the groups do not differ.
     */
    static double fisherOneSided(int a, int n1, int c, int n2) {
        return org.bptt.study.TwoArmTest.fisherAtLeast(a, n1, c, n2);
    }

    static String p(double p) {
        return ExperimentResult.pValue(p);
    }
}
