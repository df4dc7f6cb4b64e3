package org.bptt.study;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
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
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.IterationMetrics;
import org.bptt.training.config.Json;
import org.bptt.training.run.Evaluation;

/**
 * What one run of a sweep gives the summary: its entry's settings and seed, how it ended, the
 * held-out figures of its final state, its wall time, and a compact training curve, so that a
 * summary can be written from rows alone (a Spark driver has nothing else). Saved as
 * {@code result.json} in the run folder when the run is done. Every field but {@code seconds} is
 * a function of the plan entry: the same entry gives the same row on any machine.
 *
 * @param index       the entry's index in the plan
 * @param id          the entry's id (its run folder's name)
 * @param values      the varied settings' values
 * @param seed        the run's seed
 * @param status      {@code finished}, {@code diverged} (a NaN or infinite loss or gradient stopped it) or
 *                    {@code failed} (an error; such a row is never saved, so the run is tried again)
 * @param iterations  iterations trained
 * @param trainLoss   the mean training loss of the last iterations (the last 10%, at most 50)
 * @param heldOut     the held-out metrics of the final state (metric → value), empty when none
 * @param seconds     wall time of the training, summed over the sessions that made it
 * @param message     why it diverged or failed; otherwise empty
 * @param curve       the training loss over iterations, averaged into at most {@link #CURVE_POINTS}
 *                    points: pairs (mean iteration, mean loss)
 * @param evaluations every held-out evaluation of the run, in order
 * @param clipRate    the fraction of updates the gradient policy clipped; NaN when unknown (older results)
 * @param learning    the one "learned" rule's judgement of the run ({@code learned}, {@code partly},
 *                    {@code not_yet}, {@code no_baseline}); empty when unknown
 * @param maxGradNorm the largest finite gradient norm before clipping over all iterations; NaN when none was (or not kept)
 */
public record SummaryRow(
        int index,
        String id,
        Map<String, String> values,
        long seed,
        String status,
        long iterations,
        double trainLoss,
        Map<String, Double> heldOut,
        double seconds,
        String message,
        List<double[]> curve,
        List<Evaluation> evaluations,
        double clipRate,
        String learning,
        double maxGradNorm) {
    public static final String FILE = "result.json";
    public static final int CURVE_POINTS = 200;
    public static final String FINISHED = "finished";
    public static final String DIVERGED = "diverged";
    public static final String FAILED = "failed";

    public SummaryRow {
        requireNonNull(id, "id is null");
        requireNonNull(status, "status is null");
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        heldOut = Collections.unmodifiableMap(new LinkedHashMap<>(heldOut));
        message = message == null ? "" : message;
        curve = curve.stream().map(double[]::clone).toList();
        evaluations = List.copyOf(evaluations);
        learning = learning == null ? "" : learning;
    }

    /** A row without a clip rate or a judgement (as results written before them read). */
    public SummaryRow(
            int index,
            String id,
            Map<String, String> values,
            long seed,
            String status,
            long iterations,
            double trainLoss,
            Map<String, Double> heldOut,
            double seconds,
            String message,
            List<double[]> curve,
            List<Evaluation> evaluations) {
        this(
                index,
                id,
                values,
                seed,
                status,
                iterations,
                trainLoss,
                heldOut,
                seconds,
                message,
                curve,
                evaluations,
                Double.NaN,
                "",
                Double.NaN);
    }

    /** A row without the largest gradient norm (as results written before it read). */
    public SummaryRow(
            int index,
            String id,
            Map<String, String> values,
            long seed,
            String status,
            long iterations,
            double trainLoss,
            Map<String, Double> heldOut,
            double seconds,
            String message,
            List<double[]> curve,
            List<Evaluation> evaluations,
            double clipRate,
            String learning) {
        this(
                index,
                id,
                values,
                seed,
                status,
                iterations,
                trainLoss,
                heldOut,
                seconds,
                message,
                curve,
                evaluations,
                clipRate,
                learning,
                Double.NaN);
    }

    /** Whether the run learned by the one rule (RunSummary's). */
    public boolean learned() {
        return learning.equals("learned");
    }

    /** The largest finite gradient norm before clipping, NaN when none was finite. */
    static double largestGradNorm(List<IterationMetrics> metrics) {
        return metrics.stream()
                .mapToDouble(IterationMetrics::gradNormBefore)
                .filter(Double::isFinite)
                .max()
                .orElse(Double.NaN);
    }

    /** A held-out metric, NaN when not measured. */
    public double metric(String name) {
        Double v = heldOut.get(name);
        return v == null ? Double.NaN : v;
    }

    /** Whether the run met its task's success rule: 1, 0, or NaN when the task has none or the run failed. */
    public double success() {
        return metric("success");
    }

    /** A row for an entry whose run could not be made to work. */
    public static SummaryRow failed(PlanEntry e, String message) {
        return new SummaryRow(
                e.index(),
                e.id(),
                e.values(),
                e.seed(),
                FAILED,
                0,
                Double.NaN,
                Map.of(),
                Double.NaN,
                message,
                List.of(),
                List.of());
    }

    /** The training loss averaged into at most {@link #CURVE_POINTS} buckets of consecutive iterations. */
    static List<double[]> curve(List<IterationMetrics> metrics) {
        List<double[]> points = new ArrayList<>();
        int n = metrics.size();
        int buckets = Math.min(CURVE_POINTS, n);
        for (int k = 0; k < buckets; k++) {
            int from = (int) ((long) n * k / buckets);
            int to = (int) ((long) n * (k + 1) / buckets);
            double it = 0;
            double loss = 0;
            int finite = 0;
            for (int i = from; i < to; i++) {
                it += metrics.get(i).iteration();
                if (Double.isFinite(metrics.get(i).loss())) {
                    loss += metrics.get(i).loss();
                    finite++;
                }
            }
            points.add(new double[] {it / (to - from), finite == 0 ? Double.NaN : loss / finite});
        }
        return points;
    }

    ObjectNode toTree() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("index", index);
        o.put("id", id);
        ObjectNode v = o.putObject("values");
        values.forEach(v::put);
        o.put("seed", seed);
        o.put("status", status);
        o.put("iterations", iterations);
        num(o, "train_loss", trainLoss);
        num(o, "clip_rate", clipRate);
        num(o, "max_grad_norm", maxGradNorm);
        ObjectNode h = o.putObject("held_out");
        heldOut.forEach((k, x) -> num(h, k, x));
        num(o, "seconds", seconds);
        o.put("message", message);
        ArrayNode c = o.putArray("curve");
        for (double[] p : curve) {
            ArrayNode pair = c.addArray();
            num(pair, p[0]);
            num(pair, p[1]);
        }
        ArrayNode ev = o.putArray("evaluations");
        for (Evaluation e : evaluations) {
            ObjectNode x = ev.addObject();
            x.put("iteration", e.iteration());
            ObjectNode m = x.putObject("metrics");
            e.metrics().forEach((k, d) -> num(m, k, d));
        }
        if (!learning.isEmpty()) {
            o.put("learning", learning);
        }
        return o;
    }

    public String toJson() {
        return Json.write(toTree());
    }

    public static SummaryRow parse(String json, String source) {
        try {
            JsonNode o = Json.MAPPER.readTree(json);
            if (o == null
                    || !o.isObject()
                    || !o.path("id").isTextual()
                    || !o.path("status").isTextual()
                    || !o.path("values").isObject()
                    || !o.path("held_out").isObject()) {
                throw new ConfigurationException(
                        source + ": not a sweep run's result (it needs 'id', 'status', 'values' " + "and 'held_out')");
            }
            Map<String, String> values = new LinkedHashMap<>();
            o.get("values")
                    .properties()
                    .forEach(f -> values.put(f.getKey(), f.getValue().asText()));
            Map<String, Double> held = new LinkedHashMap<>();
            o.get("held_out").properties().forEach(f -> held.put(f.getKey(), num(f.getValue())));
            List<double[]> curve = new ArrayList<>();
            for (JsonNode p : o.path("curve")) {
                curve.add(new double[] {num(p.get(0)), num(p.get(1))});
            }
            List<Evaluation> evaluations = new ArrayList<>();
            for (JsonNode e : o.path("evaluations")) {
                Map<String, Double> m = new LinkedHashMap<>();
                e.path("metrics").properties().forEach(f -> m.put(f.getKey(), num(f.getValue())));
                evaluations.add(new Evaluation(e.path("iteration").asLong(), m));
            }
            return new SummaryRow(
                    o.path("index").asInt(),
                    o.get("id").asText(),
                    values,
                    o.path("seed").asLong(),
                    o.get("status").asText(),
                    o.path("iterations").asLong(),
                    num(o.get("train_loss")),
                    held,
                    num(o.get("seconds")),
                    o.path("message").asText(""),
                    curve,
                    evaluations,
                    o.has("clip_rate") ? num(o.get("clip_rate")) : Double.NaN,
                    o.path("learning").asText(""),
                    o.has("max_grad_norm") ? num(o.get("max_grad_norm")) : Double.NaN);
        } catch (JsonProcessingException e) {
            throw new ConfigurationException(source + ": " + Json.describe(e, "run result"));
        }
    }

    public void write(Path runFolder) throws IOException {
        AtomicFile.writeString(runFolder.resolve(FILE), toJson());
    }

    public static SummaryRow read(Path runFolder) {
        Path f = runFolder.resolve(FILE);
        return parse(Json.readText(f, "run result"), f.toString());
    }

    /** Equal field by field, curve points by value. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SummaryRow r && r.toTree().equals(toTree());
    }

    @Override
    public int hashCode() {
        return toTree().hashCode();
    }

    /** Equal in everything a run determines: every field but the wall time. */
    public boolean sameResult(SummaryRow o) {
        return o.toTree().without("seconds").equals(toTree().without("seconds"));
    }

    private static void num(ObjectNode o, String k, double d) {
        if (Double.isFinite(d)) {
            o.put(k, d);
        } else {
            o.putNull(k);
        }
    }

    private static void num(ArrayNode a, double d) {
        if (Double.isFinite(d)) {
            a.add(d);
        } else {
            a.addNull();
        }
    }

    private static double num(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? Double.NaN : n.asDouble();
    }
}
