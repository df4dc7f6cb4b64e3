package org.bptt.training.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bptt.api.internal.io.AtomicFile;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.IterationMetrics;
import org.bptt.training.config.Json;
import org.bptt.training.diag.GradientFlowSnapshot;
import org.bptt.training.diag.Spectrum;

/**
 * A run's history: per-iteration metrics, gradient-flow snapshots and the initial spectrum of
 * W, kept in memory and saved as {@code diagnostics.json} beside each checkpoint so that a
 * resumed run's report covers the whole run. Metrics rows have the fields and order of
 * {@code metrics.csv}; held-out evaluations are records of an iteration and named metrics;
 * non-finite numbers are stored as null. Not thread-safe.
 */
public final class History {
    private final List<IterationMetrics> metrics = new ArrayList<>();
    private final List<GradientFlowSnapshot> flow = new ArrayList<>();
    private final List<GradientFlowSnapshot> trainedFlow = new ArrayList<>();
    private final List<Evaluation> evaluations = new ArrayList<>();
    private final List<LayerSnapshot> layers = new ArrayList<>();
    private Spectrum spectrumStart;

    public List<IterationMetrics> metrics() {
        return Collections.unmodifiableList(metrics);
    }
    /** The gradient flow measured by one full-BPTT pass at each diagnostic iteration. */
    public List<GradientFlowSnapshot> flow() {
        return Collections.unmodifiableList(flow);
    }
    /**
     * The gradient flow training back-propagated at the same iterations, window by window (0 where no
     * window reaches); empty for a history saved before it was recorded.
     */
    public List<GradientFlowSnapshot> trainedFlow() {
        return Collections.unmodifiableList(trainedFlow);
    }
    /** Held-out evaluations in training order. */
    public List<Evaluation> evaluations() {
        return Collections.unmodifiableList(evaluations);
    }
    /** The latest held-out evaluation, or null when there is none. */
    /** Per-layer diagnostics of a stacked or bidirectional network, in training order; empty for one layer. */
    public List<LayerSnapshot> layers() {
        return Collections.unmodifiableList(layers);
    }

    public Evaluation lastEvaluation() {
        return evaluations.isEmpty() ? null : evaluations.get(evaluations.size() - 1);
    }
    /** The eigenvalues of W before the first update, or null when the cell has no single W. */
    public Spectrum spectrumStart() {
        return spectrumStart;
    }

    public void add(IterationMetrics m) {
        metrics.add(m);
    }

    public void add(GradientFlowSnapshot s) {
        flow.add(s);
    }

    public void addTrained(GradientFlowSnapshot s) {
        trainedFlow.add(s);
    }

    public void add(Evaluation e) {
        evaluations.add(e);
    }

    public void add(LayerSnapshot s) {
        layers.add(s);
    }

    public void spectrumStart(Spectrum s) {
        spectrumStart = s;
    }

    /** Forgets everything from iteration {@code from} on (a resumed run continues from there). */
    public void truncate(long from) {
        metrics.removeIf(m -> m.iteration() >= from);
        flow.removeIf(s -> s.iteration() >= from);
        trainedFlow.removeIf(s -> s.iteration() >= from);
        layers.removeIf(s -> s.iteration() >= from);
        // An evaluation at iteration k measured the state a checkpoint at k holds: it stays.
        evaluations.removeIf(e -> e.iteration() > from);
    }

    public void write(Path file) throws IOException {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("format", 2);
        ArrayNode m = root.putArray("metrics");
        for (IterationMetrics x : metrics) {
            ObjectNode row = m.addObject();
            row.put("iteration", x.iteration());
            num(row, "loss", x.loss());
            num(row, "accuracy", x.accuracy());
            num(row, "grad_norm_before", x.gradNormBefore());
            num(row, "grad_norm_after", x.gradNormAfter());
            row.put("clipped", x.clipped());
            row.put("skipped", x.skipped());
            num(row, "spectral_radius", x.spectralRadius());
            num(row, "spectral_norm", x.spectralNorm());
        }
        writeFlow(root.putArray("gradient_flow"), flow);
        writeFlow(root.putArray("trained_flow"), trainedFlow);
        ArrayNode ev = root.putArray("evaluations");
        for (Evaluation e : evaluations) {
            ObjectNode o = ev.addObject();
            o.put("iteration", e.iteration());
            ObjectNode values = o.putObject("metrics");
            e.metrics().forEach((k, v) -> num(values, k, v));
        }
        if (!layers.isEmpty()) {
            ArrayNode l = root.putArray("layers");
            for (LayerSnapshot s : layers) {
                ObjectNode o = l.addObject();
                o.put("iteration", s.iteration());
                ArrayNode fl = o.putArray("gradient_flow");
                for (double[] norms : s.flow()) {
                    nums(fl.addArray(), norms);
                }
                nums(o.putArray("spectral_radius"), s.radius());
            }
        }
        if (spectrumStart != null) {
            ObjectNode s = root.putObject("spectrum_start");
            ArrayNode re = s.putArray("real");
            ArrayNode im = s.putArray("imag");
            for (int i = 0; i < spectrumStart.size(); i++) {
                re.add(spectrumStart.re(i));
                im.add(spectrumStart.im(i));
            }
        }
        AtomicFile.writeString(file, Json.MAPPER.writeValueAsString(root));
    }

    private static void writeFlow(ArrayNode f, List<GradientFlowSnapshot> flow) {
        for (GradientFlowSnapshot s : flow) {
            ObjectNode o = f.addObject();
            o.put("iteration", s.iteration());
            ArrayNode n = o.putArray("norms");
            for (int k = 0; k < s.steps(); k++) {
                double d = s.norm(k);
                if (Double.isFinite(d)) {
                    n.add(d);
                } else {
                    n.addNull();
                }
            }
        }
    }

    private static void readFlow(JsonNode f, long upTo, List<GradientFlowSnapshot> into) {
        for (JsonNode s : f) {
            long it = s.get("iteration").asLong();
            if (it < upTo) {
                JsonNode n = s.get("norms");
                double[] d = new double[n.size()];
                for (int i = 0; i < d.length; i++) {
                    d[i] = num(n.get(i));
                }
                into.add(new GradientFlowSnapshot(it, d));
            }
        }
    }

    private static void num(ObjectNode o, String field, double d) {
        if (Double.isFinite(d)) {
            o.put(field, d);
        } else {
            o.putNull(field);
        }
    }

    private static void nums(ArrayNode a, double[] values) {
        for (double d : values) {
            if (Double.isFinite(d)) {
                a.add(d);
            } else {
                a.addNull();
            }
        }
    }

    private static double[] nums(JsonNode a) {
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = num(a.get(i));
        }
        return d;
    }

    private static double num(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? Double.NaN : n.asDouble();
    }

    /**
     * Loads a saved history: metrics and gradient flow before iteration {@code upTo}, evaluations
     * up to and including it; an absent file gives an empty history.
     */
    public static History read(Path file, long upTo) {
        History h = new History();
        if (!Files.exists(file)) {
            return h;
        }
        try {
            JsonNode root = Json.MAPPER.readTree(Json.readText(file, "run history"));
            boolean named = root.path("format").asInt(1) >= 2;
            if (!root.isObject()
                    || !root.path("metrics").isArray()
                    || !root.path(named ? "gradient_flow" : "flow").isArray()
                            && !root.path(named ? "gradient_flow" : "flow").isMissingNode()) {
                throw new IllegalArgumentException("not a run history");
            }
            for (JsonNode r : root.path("metrics")) {
                IterationMetrics m = named
                        ? new IterationMetrics(
                                r.get("iteration").asLong(),
                                num(r.get("loss")),
                                num(r.get("accuracy")),
                                num(r.get("grad_norm_before")),
                                num(r.get("grad_norm_after")),
                                r.get("clipped").asBoolean(),
                                num(r.get("spectral_radius")),
                                num(r.get("spectral_norm")),
                                r.get("skipped").asBoolean())
                        // rnn 0.1 wrote unnamed rows in this order.
                        : new IterationMetrics(
                                r.get(0).asLong(),
                                num(r.get(1)),
                                num(r.get(2)),
                                num(r.get(3)),
                                num(r.get(4)),
                                r.get(5).asBoolean(),
                                num(r.get(6)),
                                num(r.get(7)),
                                r.get(8).asBoolean());
                if (m.iteration() < upTo) {
                    h.metrics.add(m);
                }
            }
            readFlow(root.path(named ? "gradient_flow" : "flow"), upTo, h.flow);
            readFlow(root.path("trained_flow"), upTo, h.trainedFlow);
            for (JsonNode e : root.path("evaluations")) {
                long it = e.get("iteration").asLong();
                if (it <= upTo) {
                    java.util.Map<String, Double> values = new java.util.LinkedHashMap<>();
                    e.get("metrics").properties().forEach(f -> values.put(f.getKey(), num(f.getValue())));
                    h.evaluations.add(new Evaluation(it, values));
                }
            }
            for (JsonNode s : root.path("layers")) {
                long it = s.get("iteration").asLong();
                if (it < upTo) {
                    List<double[]> fl = new ArrayList<>();
                    for (JsonNode n : s.get("gradient_flow")) {
                        fl.add(nums(n));
                    }
                    h.layers.add(new LayerSnapshot(it, fl, nums(s.get("spectral_radius"))));
                }
            }
            JsonNode sp = root.get("spectrum_start");
            if (sp != null && !sp.isNull()) {
                double[] re = new double[sp.get("real").size()];
                double[] im = new double[re.length];
                for (int i = 0; i < re.length; i++) {
                    re[i] = sp.get("real").get(i).asDouble();
                    im[i] = sp.get("imag").get(i).asDouble();
                }
                h.spectrumStart = new Spectrum(re, im);
            }
            return h;
        } catch (IOException | RuntimeException e) {
            if (e instanceof ConfigurationException c) {
                throw c;
            }
            throw new ConfigurationException(file + ": the run's saved history is damaged ("
                    + e.getClass().getSimpleName() + "); move it away to resume without the earlier history");
        }
    }
}
