package org.bptt.study.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bptt.study.Quantity;
import org.bptt.study.SeedBand;
import org.bptt.study.Stats;
import org.bptt.study.StudyCharts;
import org.bptt.study.SummaryRow;
import org.bptt.study.SweepPlan;
import org.bptt.training.config.RunConfig;
import org.bptt.training.eval.EvaluationSettings;
import org.bptt.training.wiring.PluginChoice;
import org.jfree.chart.JFreeChart;

/**
 * Pascanu, Mikolov &amp; Bengio 2013: clipping the norm of the gradient lets SGD solve the temporal
 * order problem more often than plain SGD, whose exploding gradients throw it off.
 */
public class PascanuExperiment extends SweepExperiment {

    @Override
    public String name() {
        return "pascanu";
    }

    @Override
    public String claim() {
        return "Exploding gradients derail plain SGD on long-term problems; rescaling the gradient when its norm exceeds a "
                + "threshold prevents it, so clipped SGD solves the temporal order problem in more runs (Pascanu, Mikolov & "
                + "Bengio 2013, experiments on the pathological problems; their code counts a run as solved when none of "
                + "10,000 fresh test sequences is misclassified).";
    }

    List<Integer> lengths(Scale s) {
        return s == Scale.PAPER ? List.of(50, 100, 150, 200) : List.of(50);
    }
    /** 20 seeds per arm at the default scale: with fewer, even 4 of 6 against 0 of 6 is only p = 0.03. */
    List<Long> seeds(Scale s) {
        return java.util.stream.LongStream.rangeClosed(1, s == Scale.PAPER ? 8 : 20)
                .boxed()
                .toList();
    }

    long iterations(Scale s) {
        return s == Scale.PAPER ? 5_000_000 : 8000;
    }

    @Override
    public String setup(Scale s) {
        if (s == Scale.PAPER) {
            return "The sizes of the paper's code (pascanur/trainingRNNs): 50 tanh units, W Gaussian scaled to spectral radius "
                    + "0.95 (their 'smart tanh', dense here), batches of 20, SGD with learning rate 0.01, clipping at norm 1 "
                    + "against none, T = 50, 100, 150 and 200, up to 5·10^6 updates, 8 seeds; solved when all of 10,000 "
                    + "held-out sequences are right. Weeks on two cores.";
        }
        return "Reduced budget: temporal order at T = 50, 32 tanh units, W Gaussian scaled to spectral radius 0.95 (the "
                + "paper's 'smart tanh' radius), batches of 20, SGD with learning rate 0.03 (three times the paper's: a step at "
                + "which plain SGD is not hopeless, so that clipping is tested, not the step size; at 0.1 clipping acted on "
                + "28-50% of updates), clipping the gradient to norm 1 against no clipping, 8000 updates, seeds 1 to 20 per "
                + "arm (892 s measured on two cores of a host loaded by other jobs). "
                + "Solved: every one of 1000 held-out sequences classified right (the paper's rule on a tenth of its test set). "
                + "Tested by a one-sided Fisher exact test on the solved counts.";
    }

    @Override
    SweepPlan plan(Scale s) {
        boolean paper = s == Scale.PAPER;
        List<Map<String, String>> combos = new ArrayList<>();
        for (int t : lengths(s)) {
            for (String policy : List.of("none", "clip-norm")) {
                Map<String, String> m = new LinkedHashMap<>();
                m.put("steps", Integer.toString(t));
                m.put("policy", policy);
                combos.add(m);
            }
        }
        EvaluationSettings ev = EvaluationSettings.defaults()
                .withSequences(paper ? 10_000 : 1000)
                .withEvery(paper ? 50_000 : 2500);
        return SweepPlan.of(
                "experiment pascanu (" + s.id() + " scale): clipping against none on temporal order",
                List.of("steps", "policy"),
                ev,
                combos,
                seeds(s),
                (values, seed) -> {
                    PluginChoice policy = values.get("policy").equals("none")
                            ? PluginChoice.of("none")
                            : PluginChoice.of("clip-norm").with("threshold", "1");
                    return RunConfig.defaults().toBuilder()
                            .task(PluginChoice.of("temporal-order").with("steps", values.get("steps")))
                            .cell(PluginChoice.of("vanilla").with("activation", "tanh"))
                            .hidden(paper ? 50 : 32)
                            .batch(20)
                            .initializer(PluginChoice.of("spectral").with("radius", "0.95"))
                            .optimizer(PluginChoice.of("sgd").with("lr", paper ? "0.01" : "0.03"))
                            .policy(policy)
                            .iterations(iterations(s))
                            .seed(seed)
                            .diagnosticsEvery(paper ? 5000 : 100)
                            .checkpointEvery(paper ? 50_000 : 2500)
                            .build();
                });
    }

    @Override
    ExperimentResult judge(Scale s, SweepPlan plan, List<SummaryRow> rows) {
        List<Map<String, Object>> table = new ArrayList<>();
        List<String> lengths = lengths(s).stream().map(String::valueOf).toList();
        Map<String, double[][]> rates = new LinkedHashMap<>();
        List<String> labels = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        StringBuilder verdict = new StringBuilder();
        ExperimentResult.Finding finding = ExperimentResult.Finding.INCONCLUSIVE;
        int n = seeds(s).size();
        for (int ti = 0; ti < lengths.size(); ti++) {
            String t = lengths.get(ti);
            int[] solved = new int[2];
            int pi = 0;
            for (String policy : List.of("none", "clip-norm")) {
                List<SummaryRow> rs = where(rows, Map.of("steps", t, "policy", policy));
                Stats acc = stats(rs, "accuracy");
                solved[pi] = (int) count(rs, r -> r.success() == 1);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("steps", Integer.parseInt(t));
                row.put("policy", policy.equals("none") ? "none (plain SGD)" : "clip-norm 1");
                row.put("solved", solved[pi] + "/" + n);
                row.put("heldout_accuracy", acc.mean());
                row.put("heldout_accuracy_sd", acc.sd());
                // Chance is 1/4 (four classes): "above chance" is above 0.25 by more than the held-out noise.
                row.put("above_chance", count(rs, r -> r.metric("accuracy") > 0.3) + "/" + n);
                row.put("diverged", count(rs, r -> r.status().equals(SummaryRow.DIVERGED)));
                row.put(
                        "clip_rate",
                        Stats.of(rs.stream().mapToDouble(SummaryRow::clipRate).toArray())
                                .mean());
                row.put(
                        "seconds_per_run",
                        Stats.of(rs.stream().mapToDouble(SummaryRow::seconds).toArray())
                                .mean());
                table.add(row);
                rates.computeIfAbsent(policy, k -> new double[lengths.size()][])[ti] =
                        new double[] {(double) solved[pi] / n, 0};
                labels.add("T=" + t + " " + policy);
                values.add((double) solved[pi] / n);
                pi++;
            }
            double p = fisherOneSided(solved[1], n, solved[0], n);
            double against = fisherOneSided(solved[0], n, solved[1], n);
            for (Map<String, Object> row : table.subList(table.size() - 2, table.size())) {
                row.put("fisher_p", p);
                row.put("fisher_p_opposite", against);
            }
            verdict.append(String.format(
                    Locale.ROOT,
                    "At T = %s clipped SGD solved %d of %d runs, plain SGD %d of %d "
                            + "(one-sided Fisher exact p = %s; for the opposite p = %s). ",
                    t,
                    solved[1],
                    n,
                    solved[0],
                    n,
                    p(p),
                    p(against)));
            if (ti == 0) {
                finding = ExperimentResult.Finding.of(p, against);
            }
        }
        verdict.insert(
                0,
                switch (finding) {
                    case REPRODUCED -> "Clipping helps (p < 0.05): ";
                    case CONTRADICTED -> "Plain SGD did better than clipped SGD (p < 0.05): ";
                    case INCONCLUSIVE -> "No difference that chance could not explain (p ≥ 0.05 both ways): ";
                });
        String text = TextChart.bars(
                        labels, values.stream().mapToDouble(Double::doubleValue).toArray(), 1, 40, "")
                + "fraction of runs solved (all held-out sequences right)\n";
        Map<JFreeChart, String> charts = new LinkedHashMap<>();
        if (lengths.size() > 1) {
            charts.put(
                    StudyCharts.byValue(
                            "runs solved against sequence length",
                            "T",
                            "fraction solved",
                            lengths,
                            rates,
                            Quantity.RATE),
                    "Fraction of seeds whose run classified every held-out sequence right.");
        } else {
            charts.put(
                    StudyCharts.bars(
                            "runs solved: plain SGD against clipped SGD (T = " + lengths.get(0) + ")",
                            "gradient policy",
                            "fraction of runs solved",
                            List.of("none", "clip-norm 1"),
                            new double[] {rates.get("none")[0][0], rates.get("clip-norm")[0][0]},
                            1),
                    "Fraction of seeds whose run classified every held-out sequence right.");
        }
        charts.put(
                StudyCharts.bands(
                        "training loss (cross-entropy; chance is ln 4 = 1.386), mean over seeds",
                        "iteration",
                        "loss",
                        SeedBand.byLabel(
                                rows,
                                r -> "policy " + r.values().get("policy") + ", T="
                                        + r.values().get("steps"),
                                SummaryRow::curve)),
                "Training loss per policy and length: the mean over seeds, the band from the lowest to the highest seed.");
        return new ExperimentResult(
                name(),
                claim(),
                setup(s),
                s,
                table,
                verdict.toString().strip(),
                finding,
                text,
                charts,
                0,
                Machine.describe());
    }
}
