package org.bptt.training.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bptt.api.data.Task;
import org.bptt.api.internal.io.AtomicFile;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.config.Json;
import org.bptt.training.config.RunConfig;
import org.bptt.training.plugin.PluginFamily;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.run.TrainingRun;

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
 * @param streamSegments for a task with a held-out stream (a text): the segments S the streamed
 *                  measure carries side by side ({@link StreamedEvaluator}; 1 is the usual measure
 *                  exactly), or 0 for no streamed measure
 */
public record EvaluationSettings(long every, int sequences, long seed, double required, int streamSegments) {
    public static final String FILE = "evaluation.json";
    /** Held-out sequences per evaluation unless told otherwise. */
    public static final int DEFAULT_SEQUENCES = 1000;
    /** The most held-out sequences one evaluation draws: a success rate to ±0.03 %, minutes of work, not days. */
    public static final int MAX_SEQUENCES = 10_000_000;
    /** The held-out generator's seed unless told otherwise. */
    public static final long DEFAULT_SEED = 1;
    /**
     * Segments of the streamed measure during training unless told otherwise: the held-out stream
     * as 32 rows of one batch costs about as much as the 1000 windows, where one row of ~70,000
     * sequential steps (a 700 KB text's tenth) would cost several times more; the restarts add
     * about 32 × (the first characters' extra loss) / N to the figure.
     */
    public static final int DEFAULT_STREAM_SEGMENTS = 32;
    /** The most segments: more rows than that gain nothing on one core and approach the windows measure. */
    public static final int MAX_STREAM_SEGMENTS = 4096;

    /** Settings with the default streamed measure ({@link #DEFAULT_STREAM_SEGMENTS}). */
    public EvaluationSettings(long every, int sequences, long seed, double required) {
        this(every, sequences, seed, required, DEFAULT_STREAM_SEGMENTS);
    }

    public EvaluationSettings {
        if (every < 0) {
            throw new ConfigurationException(
                    "the evaluation interval must be 0 (only at the end) or more, got " + every);
        }
        if (sequences < 1 || sequences > MAX_SEQUENCES) {
            throw new ConfigurationException(
                    "the number of held-out sequences must be between 1 and " + MAX_SEQUENCES + ", got " + sequences);
        }
        if (!Double.isNaN(required) && !(required > 0 && required <= 1)) {
            throw new ConfigurationException(
                    "the fraction of sequences required for success must be above 0 and at most 1, got " + required);
        }
        if (streamSegments < 0 || streamSegments > MAX_STREAM_SEGMENTS) {
            throw new ConfigurationException(
                    "the segments of the streamed held-out measure must be between 0 (none) and " + MAX_STREAM_SEGMENTS
                            + " (1: the held-out text as one stream), got " + streamSegments);
        }
    }

    /** At the end of training only, on {@link #DEFAULT_SEQUENCES} sequences, by the task's own rule. */
    public static EvaluationSettings defaults() {
        return new EvaluationSettings(0, DEFAULT_SEQUENCES, DEFAULT_SEED, Double.NaN);
    }

    public EvaluationSettings withEvery(long n) {
        return new EvaluationSettings(n, sequences, seed, required, streamSegments);
    }

    public EvaluationSettings withSequences(int n) {
        return new EvaluationSettings(every, n, seed, required, streamSegments);
    }

    public EvaluationSettings withSeed(long s) {
        return new EvaluationSettings(every, sequences, s, required, streamSegments);
    }

    public EvaluationSettings withRequired(double r) {
        return new EvaluationSettings(every, sequences, seed, r, streamSegments);
    }

    public EvaluationSettings withStreamSegments(int s) {
        return new EvaluationSettings(every, sequences, seed, required, s);
    }

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
        o.put("stream_segments", streamSegments);
        return Json.write(o);
    }

    /** Reads {@code json}; {@code source} names it in messages. */
    public static EvaluationSettings parse(String json, String source) {
        try {
            JsonNode o = Json.MAPPER.readTree(json);
            if (o == null
                    || !o.isObject()
                    || !o.path("every").isIntegralNumber()
                    || !o.path("sequences").canConvertToInt()
                    || !o.path("seed").isIntegralNumber()
                    || !(o.path("required").isNull() || o.path("required").isNumber())) {
                throw new ConfigurationException(
                        source + ": evaluation settings need whole numbers 'every', 'sequences' and "
                                + "'seed' and a number or null 'required'");
            }
            // Absent in the files of runs made before the streamed measure: those get the default.
            JsonNode segments = o.path("stream_segments");
            if (!segments.isMissingNode() && !(segments.isIntegralNumber() && segments.canConvertToInt())) {
                throw new ConfigurationException(
                        source + ": evaluation settings need a whole number 'stream_segments'");
            }
            return new EvaluationSettings(
                    o.get("every").asLong(),
                    o.get("sequences").asInt(),
                    o.get("seed").asLong(),
                    o.get("required").isNull() ? Double.NaN : o.get("required").asDouble(),
                    segments.isMissingNode() ? DEFAULT_STREAM_SEGMENTS : segments.asInt());
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

    /**
     * A new run ({@link TrainingRun#create}) evaluated as these settings say, which are saved in its
     * folder for a resume and a later evaluation; one sentence when they cannot be written.
     *
     * @throws NoHeldOutDataException when evaluations on the way are asked of a task that holds
     *     nothing out (before anything is written)
     */
    public TrainingRun newRun(RunConfig config, Path dir, Plugins plugins, String metricsFormat) {
        if (every > 0 && !plugins.<Task>create(PluginFamily.TASK, config.task()).hasHeldOut()) {
            throw new NoHeldOutDataException(config.task().name(), every);
        }
        TrainingRun run = TrainingRun.create(config, dir, plugins, metricsFormat);
        try {
            write(run.folder());
            attachTo(run);
            return run;
        } catch (IOException e) {
            run.close();
            throw new ConfigurationException("cannot write to the output folder " + dir + " (" + e.getMessage() + ")");
        } catch (RuntimeException e) {
            run.close();
            throw e;
        }
    }

    /** Continues the run in {@code dir} ({@link TrainingRun#resume}), evaluated as its folder's settings say. */
    public static TrainingRun resumeRun(Path dir, Plugins plugins, TrainingRun.Resume options) {
        TrainingRun run = TrainingRun.resume(dir, plugins, options);
        try {
            read(dir, defaults()).attachTo(run);
            return run;
        } catch (RuntimeException e) {
            run.close();
            throw e;
        }
    }

    /** Has {@code run} evaluated on held-out sequences as these settings say, when its task holds sequences out. */
    public void attachTo(TrainingRun run) {
        if (run.task().hasHeldOut()) {
            run.evaluateWith(new HeldOutEvaluator(this), every);
        }
    }
}
