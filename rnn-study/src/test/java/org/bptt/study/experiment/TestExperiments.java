package org.bptt.study.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bptt.study.PlanEntry;
import org.bptt.study.SummaryRow;
import org.bptt.study.SweepListener;
import org.bptt.study.SweepPlan;
import org.bptt.training.config.Json;
import org.bptt.training.plugin.Plugins;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The experiments' measurements against exact cases, their plans as documented, and their verdicts both ways. */
final class TestExperiments {
    private static final Plugins PLUGINS = Plugins.discover();

    @TempDir
    Path dir;

    @Test
    void theSlopeOfAnExactPowerIsItsLog() {
        double[] norms = new double[40];
        for (int k = 0; k < norms.length; k++) {
            int back = norms.length - 1 - k;
            // The near half is ignored, however wrong; so are zeros and non-finite values in the far half.
            norms[k] = back < 20 ? 1e9 * k : 3 * Math.pow(0.8, back);
        }
        norms[3] = 0;
        norms[5] = Double.NaN;
        assertEquals(Math.log(0.8), SpectrumExperiment.slope(norms), 1e-12);
    }

    @Test
    void aLinearRecurrenceWithWEqualToGTimesIdentityHasSlopeLnG() {
        SpectrumExperiment e = new SpectrumExperiment();
        // W = 1.1·I in float: each step back multiplies the gradient by 1.1f exactly, up to rounding.
        assertEquals(Math.log(1.1f), e.measure(PLUGINS, Scale.DEFAULT, "linear", "identity", 1.1, 1), 1e-5);
        assertEquals(Math.log(0.7f), e.measure(PLUGINS, Scale.DEFAULT, "linear", "identity", 0.7, 2), 1e-5);
        // A Gaussian W scaled to ρ: its largest eigenvalues dominate the far half of the sequence.
        assertEquals(
                Math.log(1.5),
                e.measure(PLUGINS, Scale.DEFAULT, "linear", "spectral", 1.5, 1),
                SpectrumExperiment.TOLERANCE);
    }

    private static Map<String, Object> row(String a, String init, double scale, double slope) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("activation", a);
        r.put("init", init);
        r.put("scale", scale);
        r.put("ln_scale", Math.log(scale));
        r.put("slope", slope);
        r.put("difference", slope - Math.log(scale));
        return r;
    }

    @Test
    void everyRadiusAndSeedDrawsItsOwnW() {
        java.util.Set<Long> seeds = new java.util.HashSet<>();
        for (int c = 0; c < SpectrumExperiment.RADII.length * 3 + SpectrumExperiment.GAINS.length; c++) {
            for (int s = 0; s < new SpectrumExperiment().seeds(Scale.DEFAULT); s++) {
                assertTrue(seeds.add(SpectrumExperiment.seed(c, s)), "seed of case " + c + ", draw " + s + " repeats");
            }
        }
    }

    @Test
    void theSpectrumVerdictTurnsOnTheLinearCases() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (double r : SpectrumExperiment.RADII) {
            rows.add(row("linear", "spectral", r, Math.log(r) - 0.002));
            rows.add(row("tanh", "spectral", r, Math.log(Math.min(r, 1.05)) - 0.03));
            rows.add(row("relu", "spectral", r, Math.log(r / Math.sqrt(2))));
        }
        for (double g : SpectrumExperiment.GAINS) {
            rows.add(row("relu", "identity", g, Math.log(g)));
        }
        String ok = SpectrumExperiment.verdict(rows);
        assertTrue(ok.startsWith("The slope equals ln ρ with linear units (largest difference 0.0020"), ok);
        assertTrue(
                ok.contains(
                        "ReLU units with a Gaussian W are nearer ln(ρ/√2) than ln ρ (largest difference of a row's mean 0.000)"),
                ok);
        rows.set(0, row("linear", "spectral", 0.5, Math.log(0.5) - 0.2));
        assertTrue(
                SpectrumExperiment.verdict(rows).startsWith("The slope does not equal ln ρ"),
                SpectrumExperiment.verdict(rows));
    }

    /** Rows as if every run of the plan ended with these held-out figures, by its values. */
    private static List<SummaryRow> rows(
            SweepPlan plan, java.util.function.Function<PlanEntry, Map<String, Double>> heldOut) {
        return plan.entries().stream()
                .map(e -> new SummaryRow(
                        e.index(),
                        e.id(),
                        e.values(),
                        e.seed(),
                        SummaryRow.FINISHED,
                        e.config().iterations(),
                        0.1,
                        heldOut.apply(e),
                        1,
                        "",
                        List.of(),
                        List.of()))
                .toList();
    }

    @Test
    void theIrnnPlanAndVerdict() {
        IrnnExperiment x = new IrnnExperiment();
        SweepPlan plan = x.plan(Scale.DEFAULT);
        assertEquals(40, plan.entries().size(), "20 seeds per arm");
        PlanEntry irnn = plan.entries().stream()
                .filter(e -> e.values().equals(Map.of("steps", "100", "model", "irnn")))
                .findFirst()
                .orElseThrow();
        assertEquals("relu", irnn.config().cell().options().get("activation"));
        assertEquals("identity", irnn.config().initializer().name());
        assertEquals("100", irnn.config().task().options().get("steps"));
        assertEquals(4000, irnn.config().iterations());
        assertEquals(
                8000,
                plan.entries().stream()
                        .filter(e -> e.values().get("model").equals("tanh"))
                        .findFirst()
                        .orElseThrow()
                        .config()
                        .iterations(),
                "tanh gets the longer budget");
        assertEquals(16, x.plan(Scale.PAPER).entries().get(0).config().batch());
        ExperimentResult good = x.judge(
                Scale.DEFAULT,
                plan,
                rows(
                        plan,
                        e -> Map.of(
                                "mse",
                                e.values().get("model").equals("irnn") ? 0.002 : 0.165,
                                "correct",
                                0.5,
                                "success",
                                0.0)));
        assertTrue(good.reproduced(), good.verdict());
        // 20 of 20 against 0 of 20: p = 1/C(40, 20) = 7.3e-12.
        assertTrue(
                good.verdict()
                        .contains(
                                "At T = 100 the IRNN reached a held-out MSE of 0.002000 (20 of 20 seeds learned: below "
                                        + "0.0417, half the memoryless 1/12), the tanh RNN 0.1650 (0 of 20); one-sided Fisher exact p = 7.3e-12 (for the opposite p = 1.000)"),
                good.verdict());
        assertEquals(ExperimentResult.Finding.REPRODUCED, good.finding());
        ExperimentResult bad =
                x.judge(Scale.DEFAULT, plan, rows(plan, e -> Map.of("mse", 0.1, "correct", 0.0, "success", 0.0)));
        assertEquals(ExperimentResult.Finding.INCONCLUSIVE, bad.finding(), bad.verdict());
        // MSE 0.05 is under 0.9 of the baseline but above half the memoryless loss: partly, not learned.
        ExperimentResult partly = x.judge(
                Scale.DEFAULT,
                plan,
                rows(
                        plan,
                        e -> Map.of(
                                "mse",
                                e.values().get("model").equals("irnn") ? 0.05 : 0.002,
                                "correct",
                                0.0,
                                "success",
                                0.0)));
        assertEquals(ExperimentResult.Finding.CONTRADICTED, partly.finding(), partly.verdict());
    }

    @Test
    void thePascanuPlanAndVerdict() {
        PascanuExperiment x = new PascanuExperiment();
        SweepPlan plan = x.plan(Scale.DEFAULT);
        assertEquals(40, plan.entries().size(), "20 seeds per arm");
        assertEquals(
                List.of("none", "clip-norm"),
                plan.entries().stream()
                        .map(e -> e.config().policy().name())
                        .distinct()
                        .toList());
        assertEquals(
                "0.03", plan.entries().get(0).config().optimizer().options().get("lr"));
        ExperimentResult good = x.judge(
                Scale.DEFAULT,
                plan,
                rows(
                        plan,
                        e -> Map.of(
                                "accuracy",
                                e.values().get("policy").equals("none") ? 0.25 : 1.0,
                                "correct",
                                1.0,
                                "success",
                                e.values().get("policy").equals("none") ? 0.0 : 1.0)));
        assertTrue(good.reproduced(), good.verdict());
        assertTrue(
                good.verdict()
                        .contains(
                                "clipped SGD solved 20 of 20 runs, plain SGD 0 of 20 (one-sided Fisher exact p = 7.3e-12"),
                good.verdict());
        // The same test in the JSON rows, on both arms of the length: 1 / C(40, 20); the opposite is 1.
        for (Map<String, Object> row : good.rows()) {
            assertEquals(1 / 137846528820.0, (Double) row.get("fisher_p"), 1e-22);
            assertEquals(1.0, (Double) row.get("fisher_p_opposite"), 1e-12);
        }
        ExperimentResult bad = x.judge(Scale.DEFAULT, plan, rows(plan, e -> Map.of("accuracy", 0.25, "success", 0.0)));
        assertEquals(ExperimentResult.Finding.INCONCLUSIVE, bad.finding());
        // The case: 2 of 6 against 0 of 6 is p = 0.227, no reproduction; Fisher by hand: C(6,2)/C(12,2) =
        // 15/66.
        assertEquals(15.0 / 66.0, SweepExperiment.fisherOneSided(2, 6, 0, 6), 1e-12);
        assertEquals(ExperimentResult.Finding.INCONCLUSIVE, ExperimentResult.Finding.of(0.227, 1));
        assertEquals(ExperimentResult.Finding.CONTRADICTED, ExperimentResult.Finding.of(0.9, 0.01));
    }

    @Test
    void fisherExactAgainstHandCounts() {
        assertEquals(1.0 / 924, SweepExperiment.fisherOneSided(6, 6, 0, 6), 1e-12);
        assertEquals(20.0 / 220, SweepExperiment.fisherOneSided(3, 6, 0, 6), 1e-12);
        assertEquals(110.0 / 220, SweepExperiment.fisherOneSided(2, 6, 1, 6), 1e-12);
        assertEquals(1.0, SweepExperiment.fisherOneSided(0, 6, 0, 6), 1e-12);
    }

    /** The IRNN experiment cut to two short runs: run, judged, written, and resumed from its folder. */
    @Test
    void aTrainingExperimentRunsEndToEndAndResumes() throws IOException {
        IrnnExperiment tiny = new IrnnExperiment() {
            @Override
            List<Integer> lengths(Scale s) {
                return List.of(8);
            }

            @Override
            List<Long> seeds(Scale s) {
                return List.of(1L);
            }

            @Override
            long iterations(Scale s) {
                return 30;
            }
        };
        assertNull(
                tiny.run(Scale.DEFAULT, dir, PLUGINS, 2, new SweepListener() {
                    @Override
                    public boolean stopRequested() {
                        return true;
                    }
                }),
                "stopped");
        ExperimentResult r = tiny.run(Scale.DEFAULT, dir, PLUGINS, 2, SweepListener.NONE);
        assertEquals(2, r.rows().size());
        assertEquals(
                List.of(
                        "steps",
                        "model",
                        "learned",
                        "heldout_mse",
                        "heldout_mse_sd",
                        "correct_fraction",
                        "solved",
                        "failed",
                        "seconds_per_run",
                        "fisher_p",
                        "fisher_p_opposite"),
                r.columns());
        // One seed per arm: p = 1 when the IRNN did not learn, ½ when it learned and tanh did not, 1 when both did.
        double expected = r.rows().get(0).get("learned").equals("0/1")
                        || r.rows().get(1).get("learned").equals("1/1")
                ? 1
                : 0.5;
        assertEquals(expected, (Double) r.rows().get(0).get("fisher_p"), 1e-12);
        assertEquals(
                r.rows().get(0).get("fisher_p"),
                r.rows().get(1).get("fisher_p"),
                "one test per length, on both its rows");
        r.write(dir);
        JsonNode j = Json.MAPPER.readTree(Files.readString(dir.resolve(ExperimentResult.JSON)));
        assertEquals("irnn", j.get("experiment").asText());
        assertEquals(8, j.get("rows").get(0).get("steps").asInt());
        assertTrue(j.get("rows").get(0).get("heldout_mse").isNumber());
        assertTrue(
                List.of("reproduced", "inconclusive", "contradicted")
                        .contains(j.get("finding").asText()),
                j.toString());
        String html = Files.readString(dir.resolve(ExperimentResult.HTML));
        assertTrue(html.contains("<svg") && html.contains(r.claim().substring(0, 40)), "page with chart and claim");
        assertTrue(r.table().startsWith("steps  model"), r.table());
    }
}
