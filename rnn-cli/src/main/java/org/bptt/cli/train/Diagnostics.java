package org.bptt.cli.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.bptt.api.plugin.ConfigurationException;
import org.bptt.cli.report.GradientFlowSnapshot;
import org.bptt.cli.report.IterationMetrics;
import org.bptt.cli.report.Spectrum;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The run's history (per-iteration metrics, gradient-flow snapshots, the initial spectrum),
 * saved beside each checkpoint so that a resumed run's report covers the whole run.
 * Non-finite numbers are stored as null.
 */
final class Diagnostics {
    private Diagnostics() {}

    static void write(Path file, List<IterationMetrics> metrics, List<GradientFlowSnapshot> flow, Spectrum start)
            throws IOException {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode m = root.putArray("metrics");
        for (IterationMetrics x : metrics) {
            ArrayNode row = m.addArray();
            row.add(x.iteration());
            num(row, x.loss());
            num(row, x.accuracy());
            num(row, x.gradNormBefore());
            num(row, x.gradNormAfter());
            row.add(x.clipped());
            num(row, x.spectralRadius());
            num(row, x.spectralNorm());
            row.add(x.skipped());
        }
        ArrayNode f = root.putArray("flow");
        for (GradientFlowSnapshot s : flow) {
            ObjectNode o = f.addObject();
            o.put("iteration", s.iteration());
            ArrayNode n = o.putArray("norms");
            for (double d : s.hiddenGradNorms()) {
                num(n, d);
            }
        }
        if (start != null) {
            ObjectNode s = root.putObject("spectrum_start");
            ArrayNode re = s.putArray("real");
            ArrayNode im = s.putArray("imag");
            for (int i = 0; i < start.size(); i++) {
                re.add(start.re(i));
                im.add(start.im(i));
            }
        }
        AtomicFiles.writeString(file, Json.MAPPER.writeValueAsString(root));
    }

    private static void num(ArrayNode a, double d) {
        if (Double.isFinite(d)) {
            a.add(d);
        } else {
            a.addNull();
        }
    }

    private static double num(JsonNode n) {
        return n == null || n.isNull() ? Double.NaN : n.asDouble();
    }

    /** Loads the history up to {@code upTo} (exclusive); returns the initial spectrum if saved. */
    static Optional<Spectrum> read(Path file, long upTo, List<IterationMetrics> metrics, List<GradientFlowSnapshot> flow) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            JsonNode root = Json.MAPPER.readTree(Files.readString(file));
            for (JsonNode r : root.path("metrics")) {
                long it = r.get(0).asLong();
                if (it < upTo) {
                    metrics.add(new IterationMetrics(it, num(r.get(1)), num(r.get(2)), num(r.get(3)), num(r.get(4)),
                            r.get(5).asBoolean(), num(r.get(6)), num(r.get(7)), r.get(8).asBoolean()));
                }
            }
            for (JsonNode s : root.path("flow")) {
                long it = s.get("iteration").asLong();
                if (it < upTo) {
                    JsonNode n = s.get("norms");
                    double[] d = new double[n.size()];
                    for (int i = 0; i < d.length; i++) {
                        d[i] = num(n.get(i));
                    }
                    flow.add(new GradientFlowSnapshot(it, d));
                }
            }
            JsonNode sp = root.get("spectrum_start");
            if (sp == null) {
                return Optional.empty();
            }
            double[] re = new double[sp.get("real").size()];
            double[] im = new double[re.length];
            for (int i = 0; i < re.length; i++) {
                re[i] = sp.get("real").get(i).asDouble();
                im[i] = sp.get("imag").get(i).asDouble();
            }
            return Optional.of(new Spectrum(re, im));
        } catch (IOException | RuntimeException e) {
            throw new ConfigurationException(file + ": the run's saved history cannot be read (" + e.getMessage() + ")");
        }
    }
}
