package org.bptt.study.experiment;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bptt.api.internal.io.AtomicFile;
import org.bptt.report.Charts;
import org.bptt.report.Page;
import org.bptt.study.Html;
import org.bptt.study.TextTable;
import org.bptt.training.config.Json;
import org.jfree.chart.JFreeChart;

/**
 * What an experiment found: its table (rows of named cells, numbers kept as numbers), a verdict
 * on the claim, and charts for a terminal and a page.
 *
 * @param name       the experiment
 * @param claim      the claim tested, with its source
 * @param setup      what was run
 * @param scale      at which scale
 * @param rows       the table, one map per row (column → String or Number), columns in the first row's order
 * @param verdict    the judgement, in words
 * @param finding    reproduced (the claim's test passed at 0.05), inconclusive, or contradicted (the
 *                   opposite's test passed)
 * @param textChart  the chart drawn in characters
 * @param charts     the charts for the page, with their captions
 * @param seconds    wall time of the experiment
 * @param machine    what it ran on
 */
public record ExperimentResult(
        String name,
        String claim,
        String setup,
        Scale scale,
        List<Map<String, Object>> rows,
        String verdict,
        Finding finding,
        String textChart,
        Map<JFreeChart, String> charts,
        double seconds,
        String machine) {
    public static final String HTML = "experiment.html";
    public static final String JSON = "experiment.json";

    /** What the test of the claim says. */
    public enum Finding {
        REPRODUCED,
        INCONCLUSIVE,
        CONTRADICTED;

        /**
         * Reproduced when the claim's one-sided test passes at 0.05, contradicted when the opposite
         * one does, inconclusive otherwise.
         */
        public static Finding of(double pClaim, double pOpposite) {
            return pClaim < 0.05 ? REPRODUCED : pOpposite < 0.05 ? CONTRADICTED : INCONCLUSIVE;
        }

        /** "Reproduced", "Inconclusive", "Contradicted". */
        public String word() {
            return name().charAt(0) + name().substring(1).toLowerCase(java.util.Locale.ROOT);
        }
    }

    public ExperimentResult {
        requireNonNull(verdict, "verdict is null");
        requireNonNull(finding, "finding is null");
        rows = rows.stream()
                .map(r -> Collections.unmodifiableMap(new LinkedHashMap<>(r)))
                .toList();
        charts = Collections.unmodifiableMap(new LinkedHashMap<>(charts));
    }

    public ExperimentResult withSeconds(double s) {
        return new ExperimentResult(name, claim, setup, scale, rows, verdict, finding, textChart, charts, s, machine);
    }

    /** A p-value as printed: three decimals, or two significant digits below 0.001 (never "0.000"). */
    public static String pValue(double p) {
        return p < 0.001
                ? String.format(java.util.Locale.ROOT, "%.1e", p)
                : String.format(java.util.Locale.ROOT, "%.3f", p);
    }

    /** Whether the claim's test passed. */
    public boolean reproduced() {
        return finding == Finding.REPRODUCED;
    }

    public List<String> columns() {
        return rows.isEmpty() ? List.of() : List.copyOf(rows.get(0).keySet());
    }

    /** The table as text, numbers with four significant digits. */
    public String table() {
        List<List<String>> cells = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            cells.add(columns().stream().map(c -> cell(r.get(c))).toList());
        }
        return TextTable.render(columns(), cells);
    }

    static String cell(Object o) {
        if (o == null) {
            return "";
        }
        if (o instanceof Double d) {
            return Html.num(d);
        }
        return o.toString();
    }

    /** One JSON object: experiment, claim, setup, scale, verdict, reproduced, seconds, machine and the rows. */
    public String toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("experiment", name);
        o.put("claim", claim);
        o.put("setup", setup);
        o.put("scale", scale.id());
        o.put("verdict", verdict);
        o.put("finding", finding.name().toLowerCase(java.util.Locale.ROOT));
        o.put("reproduced", reproduced());
        o.put("seconds", seconds);
        o.put("machine", machine);
        ArrayNode a = o.putArray("rows");
        for (Map<String, Object> r : rows) {
            ObjectNode x = a.addObject();
            r.forEach((k, v) -> {
                if (v == null) {
                    x.putNull(k);
                } else if (v instanceof Double d) {
                    if (Double.isFinite(d)) {
                        x.put(k, d);
                    } else {
                        x.putNull(k);
                    }
                } else if (v instanceof Integer i) {
                    x.put(k, i);
                } else if (v instanceof Long l) {
                    x.put(k, l);
                } else if (v instanceof Boolean b) {
                    x.put(k, b);
                } else {
                    x.put(k, v.toString());
                }
            });
        }
        return Json.write(o);
    }

    public String html() {
        return html(null);
    }

    /** The page; with {@code summary} (a file name beside the page, or null) a link to the summary of the runs. */
    String html(String summary) {
        StringBuilder b = new StringBuilder(1 << 16);
        Page.head(b, "Experiment " + name + " (" + scale.id() + " scale)", Page.Width.WIDE);
        Page.paragraph(b, "verdict", finding.word() + ". " + verdict);
        b.append("<h2>Claim</h2>\n");
        Page.paragraph(b, "note", claim);
        b.append("<h2>Setup</h2>\n");
        Page.paragraph(
                b, "note", setup + String.format(java.util.Locale.ROOT, " Wall time %.0f s on %s.", seconds, machine));
        b.append("<h2>Results</h2>\n");
        Page.table(
                b,
                columns(),
                rows.stream()
                        .map(r -> columns().stream().map(c -> cell(r.get(c))).toList())
                        .toList());
        charts.forEach((chart, caption) -> Page.figure(b, Charts.toSvg(chart, 900, 520), caption));
        if (summary != null) {
            b.append("<p class=\"note\">Every run, with its settings, figures and a link to its report: ")
                    .append(Page.link(summary, "the sweep's summary"))
                    .append(".</p>\n");
        }
        Page.tail(b);
        return b.toString();
    }

    public void write(Path folder) throws IOException {
        java.nio.file.Files.createDirectories(folder);
        boolean runs = java.nio.file.Files.exists(folder.resolve(org.bptt.study.SweepSummary.HTML));
        AtomicFile.writeString(folder.resolve(HTML), html(runs ? org.bptt.study.SweepSummary.HTML : null));
        AtomicFile.writeString(folder.resolve(JSON), toJson());
    }
}
