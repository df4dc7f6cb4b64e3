package org.bptt.training.run;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bptt.training.config.Json;

/**
 * What one evaluation of a network on held-out data measured, saved in a run's history
 * ({@code diagnostics.json}, field {@code evaluations}) so that reports and dashboards can draw
 * it as a curve. Metric names are lower case with underscores ({@code loss}, {@code accuracy},
 * {@code bits_per_char}, ...; see {@code org.bptt.training.eval.HeldOutEvaluator}); non-finite
 * values are allowed and saved as null. Immutable.
 *
 * @param iteration the number of updates the evaluated parameters had received
 * @param metrics   metric name → value, in the order they are shown
 */
public record Evaluation(long iteration, Map<String, Double> metrics) {
    public Evaluation {
        requireNonNull(metrics, "metrics is null");
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** The value of one metric, NaN when it was not measured. */
    public double get(String name) {
        Double v = metrics.get(name);
        return v == null ? Double.NaN : v;
    }

    public boolean has(String name) {
        return metrics.containsKey(name);
    }

    /** The evaluations in a {@code diagnostics.json}; an absent file, field or unreadable file gives none. */
    public static List<Evaluation> read(Path diagnostics) {
        if (!Files.isRegularFile(diagnostics)) {
            return List.of();
        }
        try {
            return parse(Json.MAPPER.readTree(Files.readString(diagnostics)));
        } catch (IOException | RuntimeException e) {
            return List.of(); // the history reader names a damaged file; a report shows what it can
        }
    }

    /**
     * The evaluations under {@code root.evaluations}: {@code {"iteration": 1000, "metrics": {"loss": 0.4}}},
     * or the same flat, {@code {"iteration": 1000, "loss": 0.4}}; null values are NaN.
     */
    public static List<Evaluation> parse(JsonNode root) {
        List<Evaluation> l = new ArrayList<>();
        for (JsonNode e : root.path("evaluations")) {
            if (!e.path("iteration").canConvertToLong()) {
                continue;
            }
            JsonNode metrics = e.has("metrics") && e.get("metrics").isObject() ? e.get("metrics") : e;
            Map<String, Double> v = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = metrics.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (!f.getKey().equals("iteration")
                        && (f.getValue().isNumber() || f.getValue().isNull())) {
                    v.put(
                            f.getKey(),
                            f.getValue().isNull() ? Double.NaN : f.getValue().asDouble());
                }
            }
            l.add(new Evaluation(e.get("iteration").asLong(), v));
        }
        return l;
    }

    /** The metric of this evaluation that is a loss: "loss" itself, else the first name containing it; null for none. */
    public String lossKey() {
        if (metrics.containsKey("loss")) {
            return "loss";
        }
        return metrics.keySet().stream()
                .filter(k -> k.contains("loss"))
                .findFirst()
                .orElse(null);
    }

    /** The last evaluation with a finite loss, or null. */
    public static Evaluation lastWithLoss(List<Evaluation> evals) {
        for (int i = evals.size() - 1; i >= 0; i--) {
            String k = evals.get(i).lossKey();
            if (k != null && Double.isFinite(evals.get(i).get(k))) {
                return evals.get(i);
            }
        }
        return null;
    }
}
