package org.bptt.study.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * Williams &amp; Peng 1990's truncation, seen from the task's side: TBPTT(k1, k2) back-propagates
 * each loss at most k2 steps, so a dependency longer than k2 sends no gradient at all and cannot
 * be learned, however long training runs; once k2 covers the lag, the same network learns it.
 */
public class TruncationExperiment extends SweepExperiment {
    /** The adding problem's baseline (½·Var(u₁+u₂) = 1/12) and memoryless loss (½·Var(u₁) = 1/24), for the charts' scale. */
    static final double BASELINE = 1.0 / 12.0;

    static final double MEMORYLESS = 1.0 / 24.0;

    @Override
    public String name() {
        return "truncation";
    }

    @Override
    public String claim() {
        return "Truncated backpropagation through time, TBPTT(k1, k2), sends a loss's gradient back at most k2 steps "
                + "(Williams & Peng 1990), so it cannot learn a dependency longer than k2: on the adding problem, where the first "
                + "marked value lies more than T/2 steps before the target, TBPTT with k2 short of that lag stays at the loss "
                + "of a model that ignores the first value, and with k2 covering the lag it learns.";
    }

    int steps(Scale s) {
        return s == Scale.PAPER ? 100 : 30;
    }
    /** k2 below the shortest lag (T/2), then covering the longest (T: full BPTT's reach). */
    List<Integer> reaches(Scale s) {
        int t = steps(s);
        return List.of(t / 6, t / 3, t);
    }

    List<Long> seeds(Scale s) {
        return java.util.stream.LongStream.rangeClosed(1, s == Scale.PAPER ? 10 : 6)
                .boxed()
                .toList();
    }

    long iterations(Scale s) {
        return s == Scale.PAPER ? 50_000 : 3000;
    }

    @Override
    public String setup(Scale s) {
        int t = steps(s);
        return String.format(
                Locale.ROOT,
                "The adding problem at T = %d (the first marked value lies %d to %d steps before the "
                        + "target), a tanh RNN of 32 units (W orthogonal), batches of 16, Adam (learning rate 0.003) with the gradient "
                        + "clipped to norm 1, %d updates; TBPTT(k1 = k2, k2) for k2 = %s (k2 = T is full BPTT), seeds 1 to %d per k2. "
                        + "Held-out loss on 1000 sequences; learned by the platform's one rule (under half the loss of a model that "
                        + "ignores the first value, 1/48). Tested by a one-sided Fisher exact test: k2 = T against the shortest k2.",
                t,
                t - t / 2,
                t - 1,
                iterations(s),
                reaches(s),
                seeds(s).size());
    }

    @Override
    SweepPlan plan(Scale s) {
        List<Map<String, String>> combos = new ArrayList<>();
        for (int k2 : reaches(s)) {
            combos.add(new LinkedHashMap<>(Map.of("k2", Integer.toString(k2))));
        }
        EvaluationSettings ev =
                EvaluationSettings.defaults().withSequences(1000).withEvery(iterations(s) / 3);
        return SweepPlan.of(
                "experiment truncation (" + s.id() + " scale): TBPTT's k2 against the adding problem's lag",
                List.of("k2"),
                ev,
                combos,
                seeds(s),
                (values, seed) -> RunConfig.defaults().toBuilder()
                        .task(PluginChoice.of("adding").with("steps", Integer.toString(steps(s))))
                        .truncation(PluginChoice.of("tbptt")
                                .with("k1", values.get("k2"))
                                .with("k2", values.get("k2")))
                        .cell(PluginChoice.of("vanilla").with("activation", "tanh"))
                        .hidden(32)
                        .batch(16)
                        .optimizer(PluginChoice.of("adam").with("lr", "0.003"))
                        .policy(PluginChoice.of("clip-norm").with("threshold", "1"))
                        .iterations(iterations(s))
                        .seed(seed)
                        .diagnosticsEvery(iterations(s) / 10)
                        .checkpointEvery(iterations(s))
                        .build());
    }

    @Override
    ExperimentResult judge(Scale s, SweepPlan plan, List<SummaryRow> rows) {
        int t = steps(s);
        int n = seeds(s).size();
        List<Map<String, Object>> table = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        double[] losses = new double[reaches(s).size()];
        long[] learned = new long[losses.length];
        for (int i = 0; i < losses.length; i++) {
            int k2 = reaches(s).get(i);
            List<SummaryRow> rs = where(rows, Map.of("k2", Integer.toString(k2)));
            Stats loss = stats(rs, "loss");
            learned[i] = count(rs, SummaryRow::learned);
            losses[i] = loss.mean();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("k2", k2);
            row.put("reach", k2 >= t ? "full BPTT" : k2 < t - t / 2 ? "short of every first value" : "part of the way");
            row.put("learned", learned[i] + "/" + n);
            row.put("heldout_loss", loss.mean());
            row.put("heldout_loss_sd", loss.sd());
            row.put("failed", count(rs, r -> !r.status().equals(SummaryRow.FINISHED)));
            row.put(
                    "seconds_per_run",
                    Stats.of(rs.stream().mapToDouble(SummaryRow::seconds).toArray())
                            .mean());
            table.add(row);
            labels.add("k2=" + k2);
        }
        int last = losses.length - 1;
        double p = fisherOneSided((int) learned[last], n, (int) learned[0], n);
        double against = fisherOneSided((int) learned[0], n, (int) learned[last], n);
        for (Map<String, Object> row : table) {
            row.put("fisher_p", p);
            row.put("fisher_p_opposite", against);
        }
        ExperimentResult.Finding finding = ExperimentResult.Finding.of(p, against);
        StringBuilder verdict = new StringBuilder(
                switch (finding) {
                    case REPRODUCED -> "Only a reach that covers the lag learns (p < 0.05). ";
                    case CONTRADICTED -> "The short reach learned more often than full BPTT (p < 0.05). ";
                    case INCONCLUSIVE -> "No difference that chance could not explain (p ≥ 0.05 both ways). ";
                });
        for (int i = 0; i < losses.length; i++) {
            verdict.append(String.format(
                    Locale.ROOT,
                    "k2 = %d: held-out loss %s, %d of %d seeds learned. ",
                    reaches(s).get(i),
                    org.bptt.study.Html.num(losses[i]),
                    learned[i],
                    n));
        }
        verdict.append(String.format(
                Locale.ROOT, "One-sided Fisher exact p = %s (for the opposite p = %s).", p(p), p(against)));
        String text = TextChart.bars(labels, losses, BASELINE, 40, "")
                + String.format(
                        Locale.ROOT,
                        "held-out loss (½·squared error); a full bar is the baseline %.4f, the memoryless loss is %.4f%n",
                        BASELINE,
                        MEMORYLESS);
        Map<JFreeChart, String> charts = new LinkedHashMap<>();
        charts.put(
                StudyCharts.bars(
                        "held-out loss against k2 (adding, T = " + t + ")",
                        "k2",
                        "held-out loss (½·squared error)",
                        labels,
                        losses,
                        BASELINE),
                String.format(
                        Locale.ROOT,
                        "Mean held-out loss over seeds for each k2. Always "
                                + "predicting 1 scores %.4f (the top of the axis unless a bar passes it), a model that ignores the first value "
                                + "half of that.",
                        BASELINE));
        charts.put(
                StudyCharts.bands(
                        "training loss (½·squared error), mean over seeds",
                        "iteration",
                        "loss",
                        SeedBand.byLabel(rows, r -> "k2=" + r.values().get("k2"), SummaryRow::curve)),
                "Training loss per k2: the mean over seeds, the band from the lowest to the highest seed.");
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
