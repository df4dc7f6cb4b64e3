package org.bptt.training.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.internal.io.AtomicFile;
import org.bptt.training.run.Json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How a run is evaluated on held-out data, saved as {@code evaluation.json} in its folder so
 * that a resumed run and a later evaluation use the same settings.
 *
 * @param every     iterations between evaluations during training; 0: only at the end
 * @param sequences held-out sequences per evaluation
 * @param seed      the held-out generator's seed; the same for every run by default, so that runs
 *                  that differ in their training seed are tested on the same sequences
 * @param required  the fraction of sequences that must be correct for success, overriding the
 *                  task's rule; NaN keeps the task's
 */
public record EvaluationSettings(long every, int sequences, long seed, double required) {
    public static final String FILE = "evaluation.json";
    /** Held-out sequences per evaluation unless told otherwise. */
    public static final int DEFAULT_SEQUENCES = 1000;
    /** The most held-out sequences one evaluation draws: a success rate to ±0.03 %, minutes of work, not days. */
    public static final int MAX_SEQUENCES = 10_000_000;
    /** The held-out generator's seed unless told otherwise. */
    public static final long DEFAULT_SEED = 1;

    public EvaluationSettings {
        if (every < 0) {
            throw new ConfigurationException("the evaluation interval must be 0 (only at the end) or more, got " + every);
        }
        if (sequences < 1 || sequences > MAX_SEQUENCES) {
            throw new ConfigurationException("the number of held-out sequences must be between 1 and " + MAX_SEQUENCES
                    + ", got " + sequences);
        }
        if (!Double.isNaN(required) && !(required > 0 && required <= 1)) {
            throw new ConfigurationException("the fraction of sequences required for success must be above 0 and at most 1, got "
                    + required);
        }
    }

    /** At the end of training only, on {@link #DEFAULT_SEQUENCES} sequences, by the task's own rule. */
    public static EvaluationSettings defaults() {
        return new EvaluationSettings(0, DEFAULT_SEQUENCES, DEFAULT_SEED, Double.NaN);
    }

    public EvaluationSettings withEvery(long n) { return new EvaluationSettings(n, sequences, seed, required); }
    public EvaluationSettings withSequences(int n) { return new EvaluationSettings(every, n, seed, required); }
    public EvaluationSettings withSeed(long s) { return new EvaluationSettings(every, sequences, s, required); }
    public EvaluationSettings withRequired(double r) { return new EvaluationSettings(every, sequences, seed, r); }

    public String toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("every", every);
        o.put("sequences", sequences);
        o.put("seed", seed);
        if (Double.isNaN(required)) {
            o.putNull("required");
        } else {
            o.put("required", required);
        }
        return Json.write(o);
    }

    /** Reads {@code json}; {@code source} names it in messages. */
    public static EvaluationSettings parse(String json, String source) {
        try {
            JsonNode o = Json.MAPPER.readTree(json);
            if (o == null || !o.isObject() || !o.path("every").isIntegralNumber() || !o.path("sequences").canConvertToInt()
                    || !o.path("seed").isIntegralNumber() || !(o.path("required").isNull() || o.path("required").isNumber())) {
                throw new ConfigurationException(source + ": evaluation settings need whole numbers 'every', 'sequences' and "
                        + "'seed' and a number or null 'required'");
            }
            return new EvaluationSettings(o.get("every").asLong(), o.get("sequences").asInt(), o.get("seed").asLong(),
                    o.get("required").isNull() ? Double.NaN : o.get("required").asDouble());
        } catch (JsonProcessingException e) {
            throw new ConfigurationException(source + ": " + Json.describe(e, "evaluation settings"));
        }
    }

    /** Writes {@code evaluation.json} into a run folder, atomically. */
    public void write(Path runFolder) throws IOException {
        AtomicFile.writeString(runFolder.resolve(FILE), toJson());
    }

    /** The settings a run folder holds, or {@code fallback} when it holds none (a run trained before evaluations existed). */
    public static EvaluationSettings read(Path runFolder, EvaluationSettings fallback) {
        Path f = runFolder.resolve(FILE);
        return Files.exists(f) ? parse(Json.readText(f, "evaluation settings file"), f.toString()) : fallback;
    }

    /** Has {@code run} evaluated on held-out sequences as these settings say, when its task holds sequences out. */
    public void attachTo(org.bptt.training.run.TrainingRun run) {
        if (run.task().hasHeldOut()) {
            run.evaluateWith(new HeldOutEvaluator(this), every);
        }
    }
}
