package org.bptt.study;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.bptt.api.internal.io.AtomicFile;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.report.Charts;
import org.bptt.report.Page;
import org.bptt.training.IterationMetrics;
import org.bptt.training.config.Json;
import org.bptt.training.config.RunConfig;
import org.bptt.training.run.Evaluation;
import org.bptt.training.run.History;
import org.bptt.training.run.TrainingRun;

/**
 * One page comparing runs: their settings side by side (the rows where they differ marked and
 * listed first), their final figures, and their curves overlaid — training loss, held-out loss,
 * gradient norm and spectral radius of W.
 */
public final class ComparePage {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 400;

    private ComparePage() {}

    /** A run folder as the page reads it. */
    public record Run(String name, Path folder, RunConfig config, History history) {
        public static Run read(Path folder, String name) {
            Path cfg = folder.resolve(TrainingRun.CONFIG);
            if (!Files.exists(cfg)) {
                throw new ConfigurationException(folder + ": not a run folder (it has no " + TrainingRun.CONFIG + ")");
            }
            return new Run(
                    name,
                    folder,
                    Json.read(cfg),
                    History.read(folder.resolve(TrainingRun.DIAGNOSTICS), Long.MAX_VALUE));
        }
    }

    /**
     * The runs named: a sweep folder stands for its runs (those that exist), a run folder for itself.
     * Names are the folders' names, made unique.
     */
    public static List<Run> runs(List<Path> paths) {
        List<Run> runs = new ArrayList<>();
        for (Path p : paths) {
            if (!Files.isDirectory(p)) {
                throw new ConfigurationException(p + ": no such run or sweep folder");
            }
            if (Files.exists(p.resolve(SweepPlan.FILE))) {
                SweepPlan plan = SweepPlan.read(p);
                for (PlanEntry e : plan.entries()) {
                    Path f = SweepPlan.runFolder(p, e);
                    if (Files.exists(f.resolve(TrainingRun.CONFIG))) {
                        runs.add(Run.read(f, e.id()));
                    }
                }
            } else {
                runs.add(
                        Run.read(p, p.toAbsolutePath().normalize().getFileName().toString()));
            }
        }
        if (runs.isEmpty()) {
            throw new ConfigurationException("no run to compare: the sweep folders given hold no run yet");
        }
        Map<String, Integer> seen = new LinkedHashMap<>();
        List<Run> unique = new ArrayList<>();
        for (Run r : runs) {
            int n = seen.merge(r.name(), 1, Integer::sum);
            unique.add(n == 1 ? r : new Run(r.name() + " (" + n + ")", r.folder(), r.config(), r.history()));
        }
        return unique;
    }

    /** A configuration as flat settings: {@code optimizer: adam}, {@code optimizer.lr: 0.01}, {@code hidden: 64}. */
    static Map<String, String> settings(RunConfig c) {
        Map<String, String> m = new LinkedHashMap<>();
        JsonNode tree = Json.MAPPER.valueToTree(c);
        tree.properties().forEach(f -> {
            JsonNode v = f.getValue();
            if (v.isObject() && v.has("name")) {
                m.put(f.getKey(), v.get("name").asText());
                v.path("options")
                        .properties()
                        .forEach(o -> m.put(
                                f.getKey() + "." + o.getKey(), o.getValue().asText()));
            } else {
                m.put(f.getKey(), v.isNull() ? "(the task's)" : v.asText());
            }
        });
        return m;
    }

    public static void write(Path file, List<Run> runs) throws IOException {
        AtomicFile.writeString(
                file, html(runs, file.toAbsolutePath().normalize().getParent()));
    }

    /**
     * A link from a page in {@code pageFolder} to {@code target}, relative (so that it works when
     * the folders are moved together) and percent-encoded (run ids hold '=' and may hold spaces).
     */
    static String relativeHref(Path pageFolder, Path target) {
        return href(pageFolder
                .toAbsolutePath()
                .normalize()
                .relativize(target.toAbsolutePath().normalize()));
    }

    /** A relative path as a link's href: '/' between its names, each percent-encoded where a URI needs it. */
    static String href(Path rel) {
        List<String> parts = new ArrayList<>();
        rel.forEach(p -> parts.add(p.toString()));
        try {
            return new java.net.URI(null, null, String.join("/", parts), null).getRawPath();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("no link to " + rel, e);
        }
    }

    /** The run's name, linked to its report when it has one. */
    private static String reportLink(Path pageFolder, Run r) {
        Path report = r.folder().resolve(TrainingRun.REPORT);
        return Files.exists(report) ? Page.link(relativeHref(pageFolder, report), r.name()) : r.name();
    }

    /**
     * The runs' labels without their seed: the settings in which they differ, seed aside, and
     * without a plugin's option that follows from the plugin ({@code policy.threshold} set for
     * clip-norm and absent for none says nothing the policy does not).
     */
    private static List<String> arms(List<Map<String, String>> settings, List<String> differ) {
        List<String> keys = differ.stream()
                .filter(k -> !k.equals("seed") && !followsFromPlugin(k, settings, differ))
                .toList();
        return settings.stream()
                .map(s -> keys.isEmpty()
                        ? "all runs"
                        : String.join(
                                ", ",
                                keys.stream()
                                        .map(k -> k + "=" + s.getOrDefault(k, ""))
                                        .toList()))
                .toList();
    }

    /** Whether {@code key} is an option of a plugin setting that differs, constant among the runs sharing that plugin. */
    private static boolean followsFromPlugin(String key, List<Map<String, String>> settings, List<String> differ) {
        int dot = key.lastIndexOf('.');
        if (dot < 0 || !differ.contains(key.substring(0, dot))) {
            return false;
        }
        String plugin = key.substring(0, dot);
        Map<String, String> valueByPlugin = new HashMap<>();
        for (Map<String, String> s : settings) {
            String v = s.getOrDefault(key, "");
            String before = valueByPlugin.putIfAbsent(s.getOrDefault(plugin, ""), v);
            if (before != null && !before.equals(v)) {
                return false;
            }
        }
        return true;
    }

    /** The page for runs, its links relative to {@code pageFolder}, where the page is written. */
    public static String html(List<Run> runs, Path pageFolder) {
        StringBuilder b = new StringBuilder(1 << 16);
        Page.head(b, "Comparison of " + runs.size() + " run" + (runs.size() == 1 ? "" : "s"), Page.Width.WIDE);
        List<Map<String, String>> settings =
                runs.stream().map(r -> settings(r.config())).toList();
        List<String> keys = new ArrayList<>(new LinkedHashSet<>(
                settings.stream().flatMap(m -> m.keySet().stream()).toList()));
        List<String> differ = keys.stream()
                .filter(k -> settings.stream()
                                .map(m -> m.getOrDefault(k, ""))
                                .distinct()
                                .count()
                        > 1)
                .toList();
        Page.paragraph(
                b,
                "verdict",
                differ.isEmpty()
                        ? "The runs share every setting."
                        : "They differ in " + String.join(", ", differ) + " (marked, first).");
        // Runs that differ only by seed share a column (their seeds listed in it): 18 runs of 6 settings, 6 columns.
        List<String> arms = arms(settings, differ);
        Map<String, List<Integer>> columns = new LinkedHashMap<>();
        for (int i = 0; i < runs.size(); i++) {
            columns.computeIfAbsent(
                            arms.size() > new LinkedHashSet<>(arms).size()
                                    ? arms.get(i)
                                    : runs.get(i).name(),
                            x -> new ArrayList<>())
                    .add(i);
        }
        b.append("<h2>Settings</h2>\n<div class=\"scroll\"><table>\n<thead><tr><th>setting</th>");
        columns.forEach((name, is) -> b.append("<th>")
                .append(Page.esc(is.size() == 1 ? name : name + " (" + is.size() + " runs)"))
                .append("</th>"));
        b.append("</tr></thead>\n<tbody>\n");
        List<String> ordered = new ArrayList<>(differ);
        keys.stream().filter(k -> !differ.contains(k)).forEach(ordered::add);
        for (String k : ordered) {
            b.append(differ.contains(k) ? "<tr class=\"differs\">" : "<tr>")
                    .append("<th>")
                    .append(Page.esc(k))
                    .append("</th>");
            columns.values()
                    .forEach(is -> b.append("<td>")
                            .append(Page.esc(String.join(
                                    ", ",
                                    new LinkedHashSet<>(is.stream()
                                            .map(i -> settings.get(i).getOrDefault(k, ""))
                                            .toList()))))
                            .append("</td>"));
            b.append("</tr>\n");
        }
        b.append("</tbody>\n</table></div>\n");

        b.append("<h2>Final figures</h2>\n");
        java.util.Set<String> metrics = new LinkedHashSet<>();
        runs.forEach(r -> {
            Evaluation e = r.history().lastEvaluation();
            if (e != null) {
                metrics.addAll(e.metrics().keySet());
            }
        });
        List<String> header = new ArrayList<>(List.of("run", "iterations", "training loss (last 10%)"));
        List<String> ms = new ArrayList<>(metrics);
        ms.forEach(m -> header.add("held-out " + m.replace('_', ' ')));
        List<List<String>> rows = new ArrayList<>();
        for (Run r : runs) {
            List<IterationMetrics> m = r.history().metrics();
            List<String> row = new ArrayList<>(List.of(
                    reportLink(pageFolder, r),
                    Long.toString(m.isEmpty() ? 0 : m.get(m.size() - 1).iteration() + 1),
                    Html.num(tailMean(m))));
            Evaluation e = r.history().lastEvaluation();
            ms.forEach(x -> row.add(e == null ? "" : Html.num(e.get(x))));
            rows.add(row);
        }
        Page.table(b, header, rows);
        bySetting(b, runs, arms(settings, differ), ms);

        twoArms(b, runs, settings, differ);

        boolean repeated = arms.stream().distinct().count() < arms.size();
        List<Integer> order =
                java.util.stream.IntStream.range(0, runs.size()).boxed().toList();
        java.util.function.Function<Integer, String> label =
                i -> repeated ? arms.get(i) : runs.get(i).name();
        String over = repeated ? ", mean over seeds" : "";
        String band = repeated
                ? " The line is the mean over the runs that differ only by seed, the band runs from the lowest to "
                        + "the highest of them."
                : "";
        Map<String, List<SeedBand.Point>> loss = SeedBand.byLabel(
                order, label, i -> SummaryRow.curve(runs.get(i).history().metrics()));
        Map<String, List<SeedBand.Point>> held = SeedBand.byLabel(
                order.stream()
                        .filter(i -> runs.get(i).history().evaluations().size() > 1)
                        .toList(),
                label,
                i -> runs.get(i).history().evaluations().stream()
                        .map(e -> new double[] {e.iteration(), e.get("loss")})
                        .toList());
        Map<String, List<SeedBand.Point>> norm = SeedBand.byLabel(
                order, label, i -> averaged(runs.get(i).history().metrics(), IterationMetrics::gradNormBefore));
        Map<String, List<SeedBand.Point>> radius = SeedBand.byLabel(
                order,
                label,
                i -> runs.get(i).history().metrics().stream()
                        .filter(x -> Double.isFinite(x.spectralRadius()))
                        .map(x -> new double[] {x.iteration(), x.spectralRadius()})
                        .toList());
        Page.figure(
                b,
                Charts.toSvg(StudyCharts.bands("training loss" + over, "iteration", "loss", loss), WIDTH, HEIGHT),
                "Training loss, averaged over stretches of iterations." + band);
        if (!held.isEmpty()) {
            Page.figure(
                    b,
                    Charts.toSvg(
                            StudyCharts.bands("held-out loss" + over, "iteration", "held-out loss", held),
                            WIDTH,
                            HEIGHT),
                    "Loss on held-out sequences at each evaluation." + band);
        }
        Page.figure(
                b,
                Charts.toSvg(
                        StudyCharts.bands(
                                "gradient norm before the policy" + over, "iteration", "global gradient norm", norm),
                        WIDTH,
                        HEIGHT),
                "Global gradient norm before clipping, averaged over stretches of iterations." + band);
        if (!radius.isEmpty()) {
            Page.figure(
                    b,
                    Charts.toSvg(
                            StudyCharts.bands("spectral radius of W" + over, "iteration", "ρ(W)", radius),
                            WIDTH,
                            HEIGHT),
                    "Spectral radius of the recurrent matrix where it was measured; above 1 products of Jacobians can explode, "
                            + "below 1 they vanish." + band);
        }
        b.append("<h2>Reports</h2>\n<ul>\n");
        runs.forEach(r -> b.append("<li>")
                .append(
                        Files.exists(r.folder().resolve(TrainingRun.REPORT))
                                ? reportLink(pageFolder, r)
                                : Page.esc(r.name()) + " (no report yet)")
                .append("</li>\n"));
        b.append("</ul>\n");
        Page.tail(b);
        return b.toString();
    }

    /**
     * When some runs differ only by seed, their final figures as mean ± sd per setting: what an
     * 18-run comparison comes down to.
     */
    private static void bySetting(StringBuilder b, List<Run> runs, List<String> arms, List<String> metrics) {
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < runs.size(); i++) {
            groups.computeIfAbsent(arms.get(i), x -> new ArrayList<>()).add(i);
        }
        if (groups.size() == runs.size()) {
            return;
        }
        b.append("<h2>By setting (mean ± sd over seeds)</h2>\n");
        List<String> header = new ArrayList<>(List.of("setting", "runs", "training loss (last 10%)"));
        metrics.forEach(m -> header.add("held-out " + m.replace('_', ' ')));
        List<List<String>> rows = new ArrayList<>();
        groups.forEach((label, is) -> {
            List<String> row = new ArrayList<>(List.of(
                    label,
                    Integer.toString(is.size()),
                    Stats.of(is.stream()
                                    .mapToDouble(
                                            i -> tailMean(runs.get(i).history().metrics()))
                                    .toArray())
                            .text()));
            for (String m : metrics) {
                row.add(Stats.of(is.stream()
                                .mapToDouble(i -> {
                                    Evaluation e = runs.get(i).history().lastEvaluation();
                                    return e == null ? Double.NaN : e.get(m);
                                })
                                .toArray())
                        .text());
            }
            rows.add(row);
        });
        Page.table(b, header, rows);
    }

    /**
     * When the runs fall in two arms (one setting, or several together, takes two values; seeds
     * repeat each), whether the arms differ: Fisher's exact test on the runs that met the task's
     * success rule, the Mann–Whitney U test on the final loss (held-out when every run has one).
     */
    static void twoArms(StringBuilder b, List<Run> runs, List<Map<String, String>> settings, List<String> differ) {
        List<String> labels = arms(settings, differ);
        Map<String, List<Integer>> arms = new LinkedHashMap<>();
        for (int i = 0; i < runs.size(); i++) {
            arms.computeIfAbsent(labels.get(i), x -> new ArrayList<>()).add(i);
        }
        if (arms.size() != 2) {
            return;
        }
        List<String> names = new ArrayList<>(arms.keySet());
        List<Integer> a = arms.get(names.get(0));
        List<Integer> c = arms.get(names.get(1));
        b.append("<h2>Two arms</h2>\n");
        List<List<String>> rows = new ArrayList<>();
        double[] sa = finalFigures(runs, a, "success");
        double[] sc = finalFigures(runs, c, "success");
        if (sa != null && sc != null) {
            int ka = (int) java.util.Arrays.stream(sa).filter(x -> x == 1).count();
            int kc = (int) java.util.Arrays.stream(sc).filter(x -> x == 1).count();
            TwoArmTest.P p = TwoArmTest.fisher(ka, sa.length, kc, sc.length);
            rows.add(List.of(
                    "success rate (Fisher's exact test)",
                    ka + "/" + sa.length,
                    kc + "/" + sc.length,
                    Html.num(p.twoSided()),
                    Html.num(p.oneSided())));
        }
        boolean heldOut = finalFigures(runs, a, "loss") != null && finalFigures(runs, c, "loss") != null;
        double[] la = heldOut
                ? finalFigures(runs, a, "loss")
                : a.stream()
                        .mapToDouble(i -> tailMean(runs.get(i).history().metrics()))
                        .toArray();
        double[] lc = heldOut
                ? finalFigures(runs, c, "loss")
                : c.stream()
                        .mapToDouble(i -> tailMean(runs.get(i).history().metrics()))
                        .toArray();
        if (java.util.Arrays.stream(la).allMatch(Double::isFinite)
                && java.util.Arrays.stream(lc).allMatch(Double::isFinite)) {
            TwoArmTest.P p = TwoArmTest.mannWhitney(la, lc);
            rows.add(List.of(
                    (heldOut ? "held-out loss" : "training loss (last 10%)") + " (Mann–Whitney U"
                            + (p.exact() ? ", exact" : ", normal approximation") + ")",
                    "median " + Html.num(median(la)),
                    "median " + Html.num(median(lc)),
                    Html.num(p.twoSided()),
                    Html.num(p.oneSided())));
        }
        Page.table(
                b,
                List.of(
                        "figure",
                        names.get(0) + " (" + a.size() + " runs)",
                        names.get(1) + " (" + c.size() + " runs)",
                        "p, two-sided",
                        "p, one-sided (toward the better arm)"),
                rows);
        Page.paragraph(
                b,
                "note",
                "A p-value is the chance of a difference at least this large if the two settings made no "
                        + "difference; with a few seeds per arm, only large differences can show.");
    }

    /** The last evaluation's metric of each run of an arm, or null when one of them lacks it. */
    private static double[] finalFigures(List<Run> runs, List<Integer> arm, String metric) {
        double[] v = new double[arm.size()];
        for (int i = 0; i < v.length; i++) {
            Evaluation e = runs.get(arm.get(i)).history().lastEvaluation();
            if (e == null || !e.metrics().containsKey(metric)) {
                return null;
            }
            v[i] = e.get(metric);
        }
        return v;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double tailMean(List<IterationMetrics> m) {
        int n = m.size();
        int w = Math.max(1, n / 10);
        double s = 0;
        int k = 0;
        for (int i = Math.max(0, n - w); i < n; i++) {
            if (Double.isFinite(m.get(i).loss())) {
                s += m.get(i).loss();
                k++;
            }
        }
        return k == 0 ? Double.NaN : s / k;
    }

    private static List<double[]> averaged(
            List<IterationMetrics> m, java.util.function.ToDoubleFunction<IterationMetrics> f) {
        List<double[]> points = new ArrayList<>();
        int n = m.size();
        int buckets = Math.min(SummaryRow.CURVE_POINTS, n);
        for (int k = 0; k < buckets; k++) {
            int from = (int) ((long) n * k / buckets);
            int to = (int) ((long) n * (k + 1) / buckets);
            double it = 0;
            double v = 0;
            int finite = 0;
            for (int i = from; i < to; i++) {
                it += m.get(i).iteration();
                double x = f.applyAsDouble(m.get(i));
                if (Double.isFinite(x)) {
                    v += x;
                    finite++;
                }
            }
            points.add(new double[] {it / (to - from), finite == 0 ? Double.NaN : v / finite});
        }
        return points;
    }
}
