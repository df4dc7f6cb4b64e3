package org.bptt.study;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.bptt.api.internal.io.AtomicFile;
import org.bptt.report.Charts;
import org.bptt.report.Page;

/**
 * The summary of a sweep, from its plan and its rows alone: {@code summary.csv} (one row per run:
 * the varied values, the seed, how it ended, the held-out metrics, success, wall time) and
 * {@code summary.html} (each metric against each varied value, mean ± sd over seeds cut to the
 * metric's range, success rates, each combination's training curve averaged over seeds with the
 * seeds' band, and every run linked to its report by a relative link).
 */
public final class SweepSummary {
    public static final String CSV = "summary.csv";
    public static final String HTML = "summary.html";
    private static final int WIDTH = 900;
    private static final int HEIGHT = 380;

    private SweepSummary() {}

    /**
     * The rows of a sweep folder's finished runs, in plan order; entries without a result are
     * added to {@code missing}.
     */
    public static List<SummaryRow> collect(SweepPlan plan, Path folder, List<PlanEntry> missing) {
        List<SummaryRow> rows = new ArrayList<>();
        for (PlanEntry e : plan.entries()) {
            Path run = SweepPlan.runFolder(folder, e);
            if (Files.exists(run.resolve(SummaryRow.FILE))) {
                rows.add(SummaryRow.read(run));
            } else {
                missing.add(e);
            }
        }
        return rows;
    }

    /**
     * Gathers the results in a sweep folder (after its shards ran, say) and writes the summary of
     * those there are; returns the entries that have none yet.
     */
    public static List<PlanEntry> collectAndWrite(Path folder) throws IOException {
        SweepPlan plan = SweepPlan.read(folder);
        List<PlanEntry> missing = new ArrayList<>();
        List<SummaryRow> rows = collect(plan, folder, missing);
        write(folder, plan, rows);
        return missing;
    }

    /** Writes summary.csv and summary.html into the sweep folder, atomically. */
    public static void write(Path folder, SweepPlan plan, List<SummaryRow> rows) throws IOException {
        String csv = csv(plan, rows);
        String html = html(plan, rows);
        AtomicFile.writeString(folder.resolve(CSV), csv);
        AtomicFile.writeString(folder.resolve(HTML), html);
    }

    /** Held-out metric names over all rows, in first-seen order. */
    static List<String> metrics(List<SummaryRow> rows) {
        Set<String> names = new LinkedHashSet<>();
        rows.forEach(r -> names.addAll(r.heldOut().keySet()));
        return List.copyOf(names);
    }

    /** One line per run, in plan order; numbers in Java's shortest exact form, blank when not measured. */
    public static String csv(SweepPlan plan, List<SummaryRow> rows) {
        List<String> metrics = metrics(rows);
        List<String> header = new ArrayList<>(List.of("index", "id"));
        header.addAll(plan.varied());
        header.addAll(List.of("seed", "status", "iterations", "train_loss", "clip_rate", "max_grad_norm"));
        metrics.forEach(m -> header.add("heldout_" + m));
        header.addAll(List.of("seconds", "message"));
        StringBuilder b = new StringBuilder();
        b.append(String.join(",", header.stream().map(SweepSummary::field).toList()))
                .append('\n');
        for (SummaryRow r : sorted(rows)) {
            List<String> cells = new ArrayList<>(List.of(Integer.toString(r.index()), r.id()));
            plan.varied().forEach(v -> cells.add(r.values().getOrDefault(v, "")));
            cells.addAll(List.of(
                    Long.toString(r.seed()),
                    r.status(),
                    Long.toString(r.iterations()),
                    number(r.trainLoss()),
                    number(r.clipRate()),
                    number(r.maxGradNorm())));
            metrics.forEach(m -> cells.add(number(r.metric(m))));
            cells.add(number(r.seconds()));
            cells.add(r.message());
            b.append(String.join(",", cells.stream().map(SweepSummary::field).toList()))
                    .append('\n');
        }
        return b.toString();
    }

    private static List<SummaryRow> sorted(List<SummaryRow> rows) {
        return rows.stream()
                .sorted(java.util.Comparator.comparingInt(SummaryRow::index))
                .toList();
    }

    private static String number(double d) {
        return Double.isNaN(d) ? "" : Double.toString(d);
    }

    /** A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180). */
    static String field(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }

    /** The runs of one combination of varied values, over seeds. */
    record Group(Map<String, String> values, List<PlanEntry> entries, List<SummaryRow> rows) {
        String label() {
            if (values.isEmpty()) {
                return "all runs";
            }
            List<String> parts = new ArrayList<>();
            values.forEach((k, v) -> parts.add(k + "=" + v));
            return String.join(", ", parts);
        }

        Stats stats(String metric) {
            return Stats.of(rows.stream()
                    .filter(r -> !r.status().equals(SummaryRow.FAILED))
                    .mapToDouble(r -> metric.equals("train_loss") ? r.trainLoss() : r.metric(metric))
                    .toArray());
        }

        /** "k/n" runs that learned by the one rule (RunSummary's), of those planned. */
        String learned() {
            return rows.stream().filter(SummaryRow::learned).count() + "/" + entries.size();
        }

        /** "k/n" runs that succeeded, of those planned. */
        String successes() {
            long k = rows.stream().filter(r -> r.success() == 1).count();
            return k + "/" + entries.size();
        }
    }

    static List<Group> groups(SweepPlan plan, List<SummaryRow> rows) {
        Map<Map<String, String>, Group> g = new LinkedHashMap<>();
        Map<Integer, SummaryRow> byIndex = new LinkedHashMap<>();
        rows.forEach(r -> byIndex.put(r.index(), r));
        for (PlanEntry e : plan.entries()) {
            Group group = g.computeIfAbsent(e.values(), v -> new Group(v, new ArrayList<>(), new ArrayList<>()));
            group.entries().add(e);
            SummaryRow r = byIndex.get(e.index());
            if (r != null) {
                group.rows().add(r);
            }
        }
        return List.copyOf(g.values());
    }

    /** The metrics worth a chart: the held-out loss and the task's main measure. */
    static List<String> charted(List<String> metrics) {
        List<String> l = new ArrayList<>();
        if (metrics.contains("loss")) {
            l.add("loss");
        }
        for (String m : List.of("correct", "accuracy", "bits_per_char", "mse")) {
            if (metrics.contains(m)) {
                l.add(m);
                break;
            }
        }
        return l;
    }

    /** The by-setting table as plain text, for a terminal: mean ± sd over seeds of the charted metrics. */
    public static String text(SweepPlan plan, List<SummaryRow> rows) {
        List<String> metrics = metrics(rows);
        List<String> header = new ArrayList<>(plan.varied());
        header.add("runs");
        if (metrics.contains("success")) {
            header.add("success");
        }
        boolean judged = judged(rows);
        if (judged) {
            header.add("learned");
        }
        List<String> charted = charted(metrics);
        charted.forEach(m -> header.add("held-out " + m.replace('_', ' ')));
        List<List<String>> cells = new ArrayList<>();
        for (Group g : groups(plan, rows)) {
            List<String> row = new ArrayList<>();
            plan.varied().forEach(v -> row.add(g.values().getOrDefault(v, "")));
            row.add(g.rows().size() + "/" + g.entries().size());
            if (metrics.contains("success")) {
                row.add(g.successes());
            }
            if (judged) {
                row.add(g.learned());
            }
            charted.forEach(m -> row.add(g.stats(m).text()));
            cells.add(row);
        }
        return TextTable.render(header, cells);
    }

    /** Whether any row carries the one rule's judgement against a baseline (results written before it do not). */
    static boolean judged(List<SummaryRow> rows) {
        return rows.stream()
                .anyMatch(r -> !r.learning().isEmpty() && !r.learning().equals("no_baseline"));
    }

    public static String html(SweepPlan plan, List<SummaryRow> rows) {
        List<String> metrics = metrics(rows);
        List<Group> groups = groups(plan, rows);
        StringBuilder b = new StringBuilder(1 << 16);
        Page.head(b, plan.title(), Page.Width.WIDE);
        long finished = rows.stream()
                .filter(r -> r.status().equals(SummaryRow.FINISHED))
                .count();
        long diverged = rows.stream()
                .filter(r -> r.status().equals(SummaryRow.DIVERGED))
                .count();
        long failed =
                rows.stream().filter(r -> r.status().equals(SummaryRow.FAILED)).count();
        int missing = plan.entries().size() - rows.size();
        Page.paragraph(
                b,
                "verdict",
                String.format(
                        Locale.ROOT,
                        "%d runs: %d finished, %d diverged, %d failed, %d not done. Varied: %s; seeds %s. Held-out evaluation on %d "
                                + "sequences never trained on, %s.",
                        plan.entries().size(),
                        finished,
                        diverged,
                        failed,
                        missing,
                        plan.varied().isEmpty() ? "nothing" : String.join(", ", plan.varied()),
                        plan.seeds(),
                        plan.evaluation().sequences(),
                        plan.evaluation().every() > 0
                                ? "every " + plan.evaluation().every() + " iterations and at the end"
                                : "at the end of each run"));

        b.append("<h2>By setting (mean ± sd over seeds)</h2>\n");
        List<String> header = new ArrayList<>(plan.varied());
        header.addAll(List.of("runs", "success", "learned", "train loss"));
        List<String> shown = metrics.stream()
                .filter(m -> !m.equals("success") && !m.equals("sequences"))
                .toList();
        shown.forEach(m -> header.add("held-out " + m.replace('_', ' ')));
        List<List<String>> table = new ArrayList<>();
        for (Group g : groups) {
            List<String> row = new ArrayList<>();
            plan.varied().forEach(v -> row.add(g.values().getOrDefault(v, "")));
            row.add(g.rows().size() + "/" + g.entries().size());
            row.add(metrics.contains("success") ? g.successes() : "");
            row.add(judged(rows) ? g.learned() : "");
            row.add(g.stats("train_loss").text());
            shown.forEach(m -> row.add(g.stats(m).text()));
            table.add(row);
        }
        Page.table(b, header, table);

        for (String key : plan.varied()) {
            List<String> values = new ArrayList<>(new LinkedHashSet<>(plan.entries().stream()
                    .map(e -> e.values().getOrDefault(key, ""))
                    .toList()));
            if (values.size() < 2) {
                continue;
            }
            for (String m : charted(metrics)) {
                Page.figure(
                        b,
                        Charts.toSvg(
                                StudyCharts.byValue(
                                        "held-out " + m.replace('_', ' ') + " against " + key,
                                        key,
                                        "held-out " + m.replace('_', ' '),
                                        values,
                                        series(groups, key, values, g -> g.stats(m)),
                                        Quantity.of(m)),
                                WIDTH,
                                HEIGHT),
                        "Held-out " + m.replace('_', ' ') + " for each value of " + key
                                + ": mean over seeds, whiskers ± one "
                                + "standard deviation cut at " + range(Quantity.of(m))
                                + "; one line per combination of the other "
                                + "settings.");
            }
            if (metrics.contains("success")) {
                Page.figure(
                        b,
                        Charts.toSvg(
                                StudyCharts.byValue(
                                        "success rate against " + key,
                                        key,
                                        "share of runs that succeeded",
                                        values,
                                        series(groups, key, values, g -> {
                                            Stats st = Stats.of(g.rows().stream()
                                                    .mapToDouble(r -> r.success() == 1 ? 1 : 0)
                                                    .toArray());
                                            return new Stats(st.n(), st.mean(), 0); // a rate, not a spread
                                        }),
                                        Quantity.RATE),
                                WIDTH,
                                HEIGHT),
                        "Fraction of seeds whose run met the task's success rule, for each value of " + key + ".");
            }
        }

        Map<String, List<SeedBand.Point>> curves = SeedBand.byLabel(rows, r -> label(plan, r), SummaryRow::curve);
        if (!curves.isEmpty()) {
            Page.figure(
                    b,
                    Charts.toSvg(
                            StudyCharts.bands(
                                    "training loss by setting, mean over seeds", "iteration", "training loss", curves),
                            WIDTH,
                            HEIGHT + 60),
                    "Training loss (averaged over stretches of iterations) "
                            + "for each combination of settings: the line is the mean over its seeds, the band runs from the lowest "
                            + "to the highest seed.");
        }
        Map<String, List<SeedBand.Point>> held = SeedBand.byLabel(
                rows.stream().filter(r -> r.evaluations().size() > 1).toList(),
                r -> label(plan, r),
                r -> r.evaluations().stream()
                        .map(e -> new double[] {e.iteration(), e.get("loss")})
                        .toList());
        if (!held.isEmpty()) {
            Page.figure(
                    b,
                    Charts.toSvg(
                            StudyCharts.bands(
                                    "held-out loss during training, mean over seeds",
                                    "iteration",
                                    "held-out loss",
                                    held),
                            WIDTH,
                            HEIGHT + 60),
                    "Loss on held-out sequences at each evaluation: the mean over "
                            + "each combination's seeds, the band from the lowest to the highest seed.");
        }

        b.append("<h2>Every run</h2>\n");
        List<String> h2 = new ArrayList<>(List.of("run"));
        h2.addAll(plan.varied());
        h2.addAll(List.of("seed", "status", "iterations", "train loss", "clipped", "largest |g|"));
        metrics.forEach(m -> h2.add("held-out " + m.replace('_', ' ')));
        h2.addAll(List.of("seconds", "message"));
        List<List<String>> all = new ArrayList<>();
        for (SummaryRow r : sorted(rows)) {
            List<String> row = new ArrayList<>();
            row.add(Page.link(
                    ComparePage.href(Path.of(SweepPlan.RUNS, r.id(), org.bptt.training.run.TrainingRun.REPORT)),
                    r.id()));
            plan.varied().forEach(v -> row.add(r.values().getOrDefault(v, "")));
            row.addAll(List.of(
                    Long.toString(r.seed()),
                    r.status(),
                    Long.toString(r.iterations()),
                    Html.num(r.trainLoss()),
                    Double.isNaN(r.clipRate()) ? "" : String.format(Locale.ROOT, "%.0f%%", 100 * r.clipRate()),
                    Html.num(r.maxGradNorm())));
            metrics.forEach(m -> row.add(Html.num(r.metric(m))));
            row.add(String.format(Locale.ROOT, "%.1f", r.seconds()));
            row.add(r.message());
            all.add(row);
        }
        Page.table(b, h2, all);
        Page.tail(b);
        return b.toString();
    }

    /** A combination's label: its varied values, without the seed ("all runs" when nothing is varied). */
    static String label(SweepPlan plan, SummaryRow r) {
        List<String> parts = new ArrayList<>();
        plan.varied().forEach(v -> parts.add(v + "=" + r.values().getOrDefault(v, "")));
        return parts.isEmpty() ? "all runs" : String.join(", ", parts);
    }

    /** Where a quantity's whiskers stop, in words. */
    private static String range(Quantity q) {
        return switch (q) {
            case LOSS -> "0 (a loss is never negative)";
            case RATE -> "0 and 1";
            case ANY -> "nothing";
        };
    }

    /** For a chart against {@code key}: series = combinations of the other settings, a {mean, sd} per value. */
    private static Map<String, double[][]> series(
            List<Group> groups, String key, List<String> values, java.util.function.Function<Group, Stats> stat) {
        Map<String, double[][]> s = new LinkedHashMap<>();
        for (Group g : groups) {
            Map<String, String> others = new LinkedHashMap<>(g.values());
            others.remove(key);
            String name = others.isEmpty()
                    ? "all runs"
                    : String.join(
                            ", ",
                            others.entrySet().stream()
                                    .map(e -> e.getKey() + "=" + e.getValue())
                                    .toList());
            double[][] points = s.computeIfAbsent(name, n -> {
                double[][] p = new double[values.size()][];
                for (int i = 0; i < p.length; i++) {
                    p[i] = new double[] {Double.NaN, Double.NaN};
                }
                return p;
            });
            int at = values.indexOf(g.values().getOrDefault(key, ""));
            Stats st = stat.apply(g);
            points[at] = new double[] {st.mean(), st.sd()};
        }
        return s;
    }
}
