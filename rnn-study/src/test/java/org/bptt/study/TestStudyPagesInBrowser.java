package org.bptt.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bptt.report.Charts;
import org.bptt.study.experiment.ExperimentResult;
import org.bptt.study.experiment.Scale;
import org.bptt.study.experiment.SmallTruncation;
import org.bptt.training.run.TrainingRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep summary, the compare page and an experiment page, each made from real small runs, in
 * headless Chromium: every chart has a title, one x and one y axis label and a legend, never two
 * kinds of quantity on one axis; every whisker, read back off the drawn y axis, stays within its
 * quantity's range; every link leads to a file that exists, after the sweep folder is moved. The
 * checks prove themselves on pages built wrong. Screenshots: {@code target/screenshots/study-*.png}.
 */
final class TestStudyPagesInBrowser {
    @TempDir
    Path tmp;

    /** Checks what every study chart must show, and returns the charts. */
    private static List<Browser.Drawn> assertReadable(String page, List<Browser.Drawn> charts, int expected) {
        assertEquals(
                expected,
                charts.size(),
                page + ": charts " + charts.stream().map(Browser.Drawn::title).toList());
        for (Browser.Drawn c : charts) {
            assertFalse(c.title().isBlank(), page + ": a chart without a title");
            assertEquals(2, c.axes().size(), page + ": " + c.title() + " has axis labels " + c.axes());
            assertFalse(c.legend().isEmpty(), page + ": " + c.title() + " has no legend");
            assertEquals(
                    List.of(),
                    Browser.mixedKinds(c),
                    page + ": " + c.title() + " puts two kinds on one axis " + c.axes() + ", legend " + c.legend());
            Quantity q = c.axes().stream()
                    .map(Quantity::of)
                    .filter(x -> x != Quantity.ANY)
                    .findFirst()
                    .orElse(Quantity.ANY);
            assertEquals(
                    List.of(),
                    Browser.whiskersOutOfRange(c, q),
                    page + ": " + c.title() + " draws whiskers beyond " + q);
        }
        return charts;
    }

    /** Every relative link of the shown page leads to an existing file; returns how many there are. */
    private static int assertLinksResolve(Browser b, Path page, String suffix) {
        int n = 0;
        for (String href : b.links()) {
            assertFalse(href.startsWith("file:") || href.startsWith("/"), page + ": an absolute link " + href);
            Path target = Browser.target(page, href);
            assertNotNull(target, href);
            assertTrue(
                    Files.isRegularFile(target), page + ": " + href + " leads to " + target + ", which does not exist");
            n += href.endsWith(suffix) ? 1 : 0;
        }
        return n;
    }

    @Test
    void sweepSummaryShowsSeedBandsClippedWhiskersLegendsAndLinksThatSurviveAMove() throws Exception {
        SweepPlan plan = Sweeps.small(60, 1, 2);
        Path made = tmp.resolve("made");
        assertTrue(LocalSweep.run(plan, made, Sweeps.PLUGINS, 1, 1, 2, SweepListener.NONE)
                .summarized());
        Path moved = Files.move(made, tmp.resolve("moved elsewhere"));
        Path summary = moved.resolve(SweepSummary.HTML);

        // Rows whose spread reaches past the ends of a rate: correct 0, 0, 0.45 (mean 0.15, sd 0.26) and 0.9, 1, 1
        // (mean 0.967, sd 0.058); losses 0.01, 0.05, 0.09 and 0.02 (three seeds of two settings).
        SweepPlan three = Sweeps.small(60, 1, 2, 3);
        SweepPlan two = new SweepPlan(
                "rows at the ends of their range",
                three.varied(),
                three.evaluation(),
                three.entries().subList(0, 6));
        List<SummaryRow> edgy = new ArrayList<>();
        double[] correct = {0, 0, 0.45, 0.9, 1, 1};
        for (int i = 0; i < 6; i++) {
            PlanEntry e = two.entries().get(i);
            edgy.add(new SummaryRow(
                    e.index(),
                    e.id(),
                    e.values(),
                    e.seed(),
                    SummaryRow.FINISHED,
                    60,
                    0.05,
                    Map.of("loss", i < 3 ? 0.01 + 0.04 * i : 0.02, "correct", correct[i]),
                    1,
                    "",
                    List.of(new double[] {0, 0.1}, new double[] {59, 0.05}),
                    List.of()));
        }
        Path edges = tmp.resolve("edges.html");
        Files.writeString(edges, SweepSummary.html(two, edgy));
        // The same spread drawn without its range: a whisker below 0 and one above 1, which the check must catch.
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put("all", new double[][] {{0.15, 0.26}, {0.97, 0.05}});
        Path wrong = tmp.resolve("wrong.html");
        Files.writeString(
                wrong,
                "<!DOCTYPE html><html><body><figure>"
                        + Charts.toSvg(
                                StudyCharts.byValue(
                                        "correct, unclipped",
                                        "policy",
                                        "held-out correct",
                                        List.of("none", "clip-norm"),
                                        series,
                                        Quantity.ANY),
                                900,
                                380)
                        + "</figure></body></html>");

        try (Browser b = Browser.open(Files.createDirectory(tmp.resolve("profile")))) {
            b.show(summary, "study-summary");
            // Per varied key (radius, policy): held-out loss, correct and success rate; then the two seed-averaged
            // curves.
            List<Browser.Drawn> charts = assertReadable("the summary", b.charts(), 2 * 3 + 2);
            Browser.Drawn curves = charts.get(6);
            assertTrue(curves.title().contains("mean over seeds"), curves.title());
            assertEquals(
                    List.of(
                            "radius=0.5, policy=none (2 seeds)",
                            "radius=0.5, policy=clip-norm (2 seeds)",
                            "radius=1.2, policy=none (2 seeds)",
                            "radius=1.2, policy=clip-norm (2 seeds)"),
                    curves.legend(),
                    "one curve per setting, its seeds averaged");
            assertTrue(charts.get(0).whiskers().size() >= 2, "whiskers drawn: " + charts.get(0));
            assertEquals(
                    plan.entries().size(),
                    assertLinksResolve(b, summary, TrainingRun.REPORT),
                    "a link to each run's report");

            b.show(edges, "study-summary-edges");
            List<Browser.Drawn> atEdges = assertReadable("the summary of rows at the edges", b.charts(), 2 + 1);
            Browser.Drawn rate = atEdges.get(1);
            assertEquals("held-out correct", rate.axes().get(1));
            double lowest =
                    rate.whiskers().stream().mapToDouble(w -> w[0]).min().orElseThrow();
            double highest =
                    rate.whiskers().stream().mapToDouble(w -> w[1]).max().orElseThrow();
            assertEquals(0, lowest, 2 * rate.pixel(), "the whisker of 0.15 ± 0.26 stops at 0");
            assertEquals(1, highest, 2 * rate.pixel(), "the whisker of 0.97 ± 0.05 stops at 1");

            b.show(wrong, "study-wrong-whiskers");
            Browser.Drawn bad = b.charts().get(0);
            assertFalse(
                    Browser.whiskersOutOfRange(bad, Quantity.RATE).isEmpty(),
                    "the check catches whiskers beyond [0, 1]");
            // Read back off the drawn axis: 0.15 − 0.26 and 0.97 + 0.05, to within two pixels.
            assertEquals(
                    0.15 - 0.26,
                    bad.whiskers().stream().mapToDouble(w -> w[0]).min().orElseThrow(),
                    2 * bad.pixel());
            assertEquals(
                    0.97 + 0.05,
                    bad.whiskers().stream().mapToDouble(w -> w[1]).max().orElseThrow(),
                    2 * bad.pixel());
        }
    }

    @Test
    void comparePageAveragesSeedsTestsTheArmsAndLinksEachReport() throws Exception {
        SweepPlan plan = Sweeps.small(60, 1, 2, 3);
        Path work = Files.createDirectory(tmp.resolve("work"));
        Path sweep = work.resolve("sweep");
        LocalSweep.run(plan, sweep, Sweeps.PLUGINS, 1, 1, 2, SweepListener.NONE);
        Path page = sweep.resolve("compare.html");
        ComparePage.write(page, ComparePage.runs(List.of(sweep)));
        // Two arms: radius 0.5 without and with clipping, three seeds each.
        List<Path> arms = new ArrayList<>();
        for (PlanEntry e : plan.entries()) {
            if (e.values().get("radius").equals("0.5")) {
                arms.add(SweepPlan.runFolder(sweep, e));
            }
        }
        Path armsPage = Files.createDirectories(work.resolve("pages")).resolve("arms.html");
        ComparePage.write(armsPage, ComparePage.runs(arms));
        // The sweep and the pages moved together: the links, relative, still lead to the reports.
        Path moved = Files.move(work, tmp.resolve("work moved"));
        Path all = moved.resolve("sweep").resolve("compare.html");
        Path two = moved.resolve("pages").resolve("arms.html");

        try (Browser b = Browser.open(Files.createDirectory(tmp.resolve("profile")))) {
            b.show(all, "study-compare");
            // Training loss, held-out loss, gradient norm, ρ(W): 12 runs as 4 seed-averaged curves each.
            List<Browser.Drawn> charts = assertReadable("the compare page", b.charts(), 4);
            for (Browser.Drawn c : charts) {
                assertEquals(4, c.legend().size(), c.title() + ": " + c.legend());
                assertTrue(
                        c.legend().stream().allMatch(l -> l.endsWith("(3 seeds)")),
                        c.legend().toString());
            }
            // Settings: one column per setting, its three seeds in it.
            List<List<String>> table = b.table("Settings");
            assertEquals(
                    List.of(
                            "setting",
                            "policy=none, initializer.radius=0.5 (3 runs)",
                            "policy=clip-norm, initializer.radius=0.5 (3 runs)",
                            "policy=none, initializer.radius=1.2 (3 runs)",
                            "policy=clip-norm, initializer.radius=1.2 (3 runs)"),
                    table.get(0));
            assertTrue(table.contains(List.of("seed", "1, 2, 3", "1, 2, 3", "1, 2, 3", "1, 2, 3")), table.toString());
            // Each run's report, linked from the figures table and the reports list.
            assertEquals(2 * plan.entries().size(), assertLinksResolve(b, all, TrainingRun.REPORT));

            b.show(two, "study-compare-arms");
            assertReadable("the two-arm page", b.charts(), 4);
            assertEquals(
                    2 * arms.size(),
                    assertLinksResolve(b, two, TrainingRun.REPORT),
                    "links from a page one folder down");
            // The arms differ in the policy alone; their p-values against every split of the six runs into two arms of
            // three.
            List<ComparePage.Run> runs = ComparePage.runs(List.of(moved.resolve("sweep")));
            List<ComparePage.Run> none = runs.stream()
                    .filter(r -> r.config().policy().name().equals("none")
                            && r.name().contains("radius=0.5"))
                    .toList();
            List<ComparePage.Run> clip = runs.stream()
                    .filter(r -> r.config().policy().name().equals("clip-norm")
                            && r.name().contains("radius=0.5"))
                    .toList();
            double[] values = java.util.stream.Stream.concat(none.stream(), clip.stream())
                    .mapToDouble(r -> r.history().lastEvaluation().get("loss"))
                    .toArray();
            double[] success = java.util.stream.Stream.concat(none.stream(), clip.stream())
                    .mapToDouble(r -> r.history().lastEvaluation().get("success"))
                    .toArray();
            List<List<String>> t = b.table("Two arms");
            assertEquals(3, t.size(), "a header, success and loss: " + t);
            assertTrue(t.get(1).get(0).startsWith("success rate (Fisher"), t.toString());
            assertEquals(
                    Html.num(splits(success, Statistic.SUCCESSES)), t.get(1).get(3), "Fisher's two-sided p");
            assertTrue(t.get(2).get(0).startsWith("held-out loss (Mann–Whitney U, exact"), t.toString());
            assertEquals(Html.num(splits(values, Statistic.U)), t.get(2).get(3), "the U test's two-sided p");
            List<List<String>> bySetting = b.table("By setting (mean ± sd over seeds)");
            assertEquals(
                    List.of("policy=none", "3", "policy=clip-norm", "3"),
                    List.of(
                            bySetting.get(1).get(0),
                            bySetting.get(1).get(1),
                            bySetting.get(2).get(0),
                            bySetting.get(2).get(1)),
                    bySetting.toString());
            int heldOutLoss = bySetting.get(0).indexOf("held-out loss");
            assertEquals(
                    Stats.of(java.util.Arrays.copyOfRange(values, 0, 3)).text(),
                    bySetting.get(1).get(heldOutLoss));
            assertEquals(
                    Stats.of(java.util.Arrays.copyOfRange(values, 3, 6)).text(),
                    bySetting.get(2).get(heldOutLoss));
        }
    }

    private enum Statistic {
        U,
        SUCCESSES
    }

    /**
     * The two-sided p-value of the first three values against the last three, by going through
     * all 20 ways to split the six runs into arms of three, equally likely when the arms do not
     * differ: for U, twice the smaller tail (SciPy's exact test); for the first arm's successes,
     * the chance of every split no more probable than the one seen (R's fisher.test).
     */
    private static double splits(double[] v, Statistic s) {
        List<Double> stats = new ArrayList<>();
        double seen = Double.NaN;
        for (int m = 0; m < 64; m++) {
            if (Integer.bitCount(m) != 3) {
                continue;
            }
            double st = 0;
            for (int i = 0; i < 6; i++) {
                boolean inA = (m >> i & 1) == 1;
                if (s == Statistic.SUCCESSES && inA && v[i] == 1) {
                    st++;
                }
                for (int j = 0; j < 6 && s == Statistic.U; j++) {
                    if (inA && (m >> j & 1) == 0) {
                        st += v[i] > v[j] ? 1 : v[i] == v[j] ? 0.5 : 0;
                    }
                }
            }
            stats.add(st);
            if (m == 0b000111) {
                seen = st;
            }
        }
        double x = seen;
        if (s == Statistic.U) {
            return Math.min(
                    1,
                    2
                            * Math.min(
                                    stats.stream().filter(u -> u <= x).count(),
                                    stats.stream().filter(u -> u >= x).count())
                            / 20.0);
        }
        java.util.function.ToDoubleFunction<Double> chance =
                k -> stats.stream().filter(k::equals).count() / 20.0;
        double pSeen = chance.applyAsDouble(x);
        return Math.min(
                1,
                stats.stream()
                                .filter(k -> chance.applyAsDouble(k) <= pSeen * (1 + 1e-9))
                                .count()
                        / 20.0);
    }

    @Test
    void experimentPageShowsItsChartsAndLinksItsRuns() throws Exception {
        Path folder = tmp.resolve("truncation");
        ExperimentResult r = new SmallTruncation().run(Scale.DEFAULT, folder, Sweeps.PLUGINS, 2, SweepListener.NONE);
        r.write(folder);
        Path page = folder.resolve(ExperimentResult.HTML);
        try (Browser b = Browser.open(Files.createDirectory(tmp.resolve("profile")))) {
            b.show(page, "study-experiment-truncation");
            List<Browser.Drawn> charts = assertReadable("the truncation experiment", b.charts(), 2);
            assertEquals(
                    List.of("k2=2 (2 seeds)", "k2=4 (2 seeds)", "k2=12 (2 seeds)"),
                    charts.get(1).legend());
            assertEquals(1, assertLinksResolve(b, page, SweepSummary.HTML), "the summary of the runs");
            b.show(folder.resolve(SweepSummary.HTML), "study-experiment-summary");
            assertReadable("the experiment's summary", b.charts(), 3 + 2);
            assertEquals(6, assertLinksResolve(b, folder.resolve(SweepSummary.HTML), TrainingRun.REPORT));
        }
    }
}
