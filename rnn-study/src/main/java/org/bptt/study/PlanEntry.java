package org.bptt.study;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.config.Json;
import org.bptt.training.config.RunConfig;

/**
 * One training of a sweep: its place in the plan, a folder name, the settings it varies and the
 * whole run configuration (which holds the seed). Immutable; {@link #toJson} and {@link #parse}
 * carry it to another process (a Spark task, a job array) unchanged.
 *
 * @param index  its position in the plan, from 0
 * @param id     its run folder's name, unique in the plan
 * @param values the varied settings' values, by setting name, in the plan's order
 * @param config everything the run is made from
 */
public record PlanEntry(int index, String id, Map<String, String> values, RunConfig config) {
    public PlanEntry {
        requireNonNull(id, "id is null");
        requireNonNull(config, "config is null");
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        if (index < 0) {
            throw new IllegalArgumentException("index must be 0 or more, got " + index);
        }
        if (!id.matches("[A-Za-z0-9._=+,-]+") || id.startsWith(".")) {
            throw new IllegalArgumentException("a plan entry's id must be a plain folder name, got '" + id + "'");
        }
    }

    public long seed() {
        return config.seed();
    }

    ObjectNode toTree() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("index", index);
        o.put("id", id);
        ObjectNode v = o.putObject("values");
        values.forEach(v::put);
        o.set("config", Json.MAPPER.valueToTree(config));
        return o;
    }

    /** The entry as one JSON object. */
    public String toJson() {
        return Json.write(toTree());
    }

    /** An entry from {@link #toJson}; {@code source} names it in messages. */
    public static PlanEntry parse(String json, String source) {
        try {
            return fromTree(Json.MAPPER.readTree(json), source);
        } catch (JsonProcessingException e) {
            throw new ConfigurationException(source + ": " + Json.describe(e, "plan entry"));
        }
    }

    static PlanEntry fromTree(JsonNode o, String source) {
        if (o == null
                || !o.isObject()
                || !o.path("index").isIntegralNumber()
                || !o.path("id").isTextual()
                || !o.path("values").isObject()
                || !o.path("config").isObject()) {
            throw new ConfigurationException(source + ": a plan entry needs 'index', 'id', 'values' and 'config'");
        }
        Map<String, String> values = new LinkedHashMap<>();
        o.get("values")
                .properties()
                .forEach(f -> values.put(f.getKey(), f.getValue().asText()));
        RunConfig config = Json.parse(
                o.get("config").toString(), source + " (entry " + o.get("id").asText() + ")");
        try {
            return new PlanEntry(o.get("index").asInt(), o.get("id").asText(), values, config);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(source + ": " + e.getMessage());
        }
    }
}
