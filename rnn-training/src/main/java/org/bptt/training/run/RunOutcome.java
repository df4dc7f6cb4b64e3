package org.bptt.training.run;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bptt.training.FitResult;
import org.bptt.training.config.Json;
import org.bptt.training.config.RunConfig;
import org.bptt.training.config.RunSetting;
import org.bptt.training.config.RunSettings;
import org.bptt.training.plugin.Plugins;

/**
 * How a run ended, or that it is still running, as its folder's {@value #FILE} says: the one
 * reader that every front end (the terminal, the report, the dashboard) asks, so that all say the
 * same words ({@link #sentence()}).
 *
 * <p>The file is written by {@link TrainingRun} (atomically, with the folder synced): "running"
 * with the owner's process id and a heartbeat renewed every {@value #HEARTBEAT_SECONDS} s while
 * it trains, then "finished", "diverged", "interrupted" or "failed" when the session ends. A
 * "running" record whose process is gone (on this machine) or whose heartbeat is older than
 * {@value #STALE_SECONDS} s is read as not {@linkplain #live() live}: the process was killed
 * without a word. A folder older than the file gets what can be derived: every iteration
 * trained is "finished"; anything else is "unknown".
 *
 * @param state     what the record says (or what was derived)
 * @param iteration iterations reached: the model has been updated by iterations [0, iteration);
 *                  for a running record, as of its last heartbeat; -1 when unknown
 * @param asked     iterations the run was asked for, -1 when unknown
 * @param message   for a divergence or a failure, what happened; otherwise empty
 * @param pid       the process that trains (or trained) the run, -1 when unknown
 * @param host      the machine that process runs on, empty when unknown
 * @param heartbeat when the record was last renewed, null when unknown
 * @param live      for a running record: its process is alive and its heartbeat fresh
 * @param recorded  false when derived for a folder without the file
 */
public record RunOutcome(
        State state,
        long iteration,
        long asked,
        String message,
        long pid,
        String host,
        Instant heartbeat,
        boolean live,
        boolean recorded) {
    /** The file in the run folder. */
    public static final String FILE = "outcome.json";
    /** How often a running session renews its record. */
    public static final long HEARTBEAT_SECONDS = 10;
    /** A running record not renewed for this long belongs to a process that is gone. */
    public static final long STALE_SECONDS = 6 * HEARTBEAT_SECONDS;

    /** What a record says. */
    public enum State {
        RUNNING,
        FINISHED,
        DIVERGED,
        INTERRUPTED,
        FAILED,
        UNKNOWN;

        /** As the file spells it. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        static State of(String key) {
            for (State s : values()) {
                if (s.key().equals(key)) {
                    return s;
                }
            }
            return UNKNOWN;
        }
    }

    public RunOutcome {
        requireNonNull(state, "state is null");
        message = message == null ? "" : message;
        host = host == null ? "" : host;
    }

    /** The outcome of the run in {@code dir}, judged now. */
    public static RunOutcome read(Path dir) {
        return read(dir, Instant.now());
    }

    /** The outcome of the run in {@code dir}, with a running record judged live or not as of {@code now}. */
    public static RunOutcome read(Path dir, Instant now) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return derive(dir);
        }
        JsonNode o;
        try {
            o = Json.MAPPER.readTree(Files.readString(file));
        } catch (IOException | RuntimeException e) {
            // Written atomically, so never half-written; a file someone else made is not the run's word.
            return new RunOutcome(State.UNKNOWN, -1, -1, FILE + " cannot be read", -1, "", null, false, false);
        }
        State state = State.of(o.path("state").asText(""));
        Instant beat = null;
        try {
            beat = o.hasNonNull("heartbeat") ? Instant.parse(o.get("heartbeat").asText()) : null;
        } catch (RuntimeException e) {
            // No usable heartbeat: a running record without one is not live.
        }
        long pid = o.path("pid").asLong(-1);
        String host = o.path("host").asText("");
        boolean live = state == State.RUNNING
                && beat != null
                && Duration.between(beat, now).getSeconds() <= STALE_SECONDS
                && alive(pid, host);
        return new RunOutcome(
                state,
                o.path("iteration").asLong(-1),
                o.path("iterations").asLong(-1),
                o.path("message").asText(""),
                pid,
                host,
                beat,
                live,
                true);
    }

    /** Whether the process is alive: asked of the system on this machine; elsewhere only the heartbeat tells. */
    private static boolean alive(long pid, String host) {
        if (!host.equals(OutcomeFile.HOST)) {
            return true;
        }
        return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** For a folder written before {@value #FILE} existed: finished when every iteration was trained, else unknown. */
    private static RunOutcome derive(Path dir) {
        long asked = -1;
        long reached = -1;
        try {
            asked = Json.read(dir.resolve(TrainingRun.CONFIG)).iterations();
            reached = lastMetricsIteration(dir) + 1;
        } catch (RuntimeException e) {
            // Nothing to derive from: unknown.
        }
        State s = asked >= 0 && reached >= asked ? State.FINISHED : State.UNKNOWN;
        return new RunOutcome(s, reached > 0 ? reached : -1, asked, "", -1, "", null, false, false);
    }

    /** The iteration of the metrics file's last complete row; -1 when there is none. */
    private static long lastMetricsIteration(Path dir) {
        for (String format : MetricsFile.FORMATS) {
            Path p = dir.resolve(MetricsFile.fileName(format));
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Map<String, String> row = MetricsFile.lastRow(p);
                    return row == null
                            ? -1
                            : Long.parseLong(row.get("iteration").strip());
                } catch (IOException | RuntimeException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /** The training loop's word for a session that ended by itself (finished, diverged, interrupted); null otherwise. */
    public FitResult.Outcome fitOutcome() {
        return switch (state) {
            case FINISHED -> FitResult.Outcome.FINISHED;
            case DIVERGED -> FitResult.Outcome.DIVERGED;
            case INTERRUPTED -> FitResult.Outcome.INTERRUPTED;
            default -> null;
        };
    }

    /** One word or two for a list: "finished", "running", "stopped unexpectedly", "unknown". */
    public String word() {
        if (state == State.RUNNING && !live) {
            return "stopped unexpectedly";
        }
        return state.key();
    }

    /** Whether the run is over: it ended in any way, or its process is gone. */
    public boolean ended() {
        return state != State.UNKNOWN && !(state == State.RUNNING && live);
    }

    /** The outcome in one sentence, the same in every front end. */
    public String sentence() {
        String of = iteration >= 0 && asked >= 0
                ? iteration + " of " + asked + " iterations"
                : "an unknown number of iterations";
        String why = message.isEmpty() ? "" : ": " + message;
        return switch (state) {
            case FINISHED ->
                recorded
                        ? "finished: all " + asked + " iterations trained"
                        : "finished: all " + asked + " iterations trained (derived: the folder predates " + FILE + ")";
            case DIVERGED -> "diverged after " + of + why;
            case INTERRUPTED -> "interrupted after " + of + "; its checkpoint continues it";
            case FAILED -> "failed after " + of + why;
            case RUNNING ->
                live
                        ? "running: " + of + " so far (process " + pid + ")"
                        : "stopped unexpectedly after about " + of + ": "
                                + (pid > 0 && host.equals(OutcomeFile.HOST) && !alive(pid, host)
                                        ? "its process " + pid + " is gone"
                                        : "no heartbeat for over " + STALE_SECONDS + " s")
                                + "; its last checkpoint continues it";
            case UNKNOWN ->
                !recorded && message.isEmpty()
                        ? "outcome unknown: the folder predates " + FILE
                                + " and its metrics end before the last iteration"
                        : "outcome unknown" + why;
        };
    }

    /**
     * For a run made with plugins this process lacks: "made with plugin gru, not loaded: its
     * verdict is not shown" (its verdict would need the plugin's own backward pass, and no other
     * stands in for it); null when every plugin the configuration names is loaded.
     */
    public static String missingPlugins(RunConfig config, Plugins plugins) {
        Map<String, String> names = new LinkedHashMap<>();
        for (var e : config.plugins().entrySet()) {
            names.put(e.getKey().key(), e.getValue().name());
        }
        return missingPlugins(names, plugins);
    }

    /**
     * As {@link #missingPlugins(RunConfig, Plugins)}, from a configuration's settings by JSON key
     * (a plugin setting's key names the plugin; other keys are passed over).
     */
    public static String missingPlugins(Map<String, String> settings, Plugins plugins) {
        List<String> missing = new ArrayList<>();
        for (RunSetting<?> s : RunSettings.all()) {
            String name = settings.get(s.key());
            if (s.kind() == RunSetting.Kind.PLUGIN
                    && name != null
                    && !plugins.registry(s.family()).all().containsKey(name)) {
                missing.add(name);
            }
        }
        if (missing.isEmpty()) {
            return null;
        }
        return "made with plugin" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
                + ", not loaded: its " + "verdict is not shown";
    }
}
