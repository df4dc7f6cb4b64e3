package org.bptt.spark;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SerializableWritable;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.study.PlanEntry;
import org.bptt.study.SummaryRow;
import org.bptt.study.SweepPlan;
import org.bptt.study.TrialListener;
import org.bptt.study.Trials;
import org.bptt.training.eval.EvaluationSettings;
import org.bptt.training.plugin.PluginFailure;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.run.MetricsFile;
import org.bptt.training.run.TrainingRun;

/**
 * One training, as a Spark task: a plan entry's JSON in, its summary row's JSON out. The run
 * trains in a local working folder with {@link Trials#run}; the folder is copied to the shared
 * run folder at every checkpoint and at the end, and copied back first, so that a retried
 * attempt continues from the last checkpoint that reached shared storage. A shared folder that
 * already holds a result returns it without training. Errors that every attempt would meet (a
 * configuration a plugin refuses, a failing plugin) give a failed row at once; any other error
 * fails the attempt, for Spark to retry.
 */
final class TrialTask implements Function<String, String> {
    private static final long serialVersionUID = 1L;
    /** Files copied first at a checkpoint, so that shared storage never holds a checkpoint without the metrics it covers. */
    private static final List<String> BEFORE_CHECKPOINT =
            List.of(MetricsFile.fileName("csv"), MetricsFile.fileName("jsonl"), TrainingRun.DIAGNOSTICS);

    private static final String LOCK = ".rnn.lock";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TrialTask.class);
    /** Plugins per plugin path, loaded once per executor JVM. */
    private static final Map<List<String>, Plugins> PLUGINS = new ConcurrentHashMap<>();

    private final String sweep;
    private final String evaluation;
    private final List<String> pluginPath;
    private final Broadcast<SerializableWritable<Configuration>> hadoop;
    private final AttemptHook hook;

    /**
     * @param sweep      the sweep folder's qualified URI
     * @param evaluation the plan's evaluation settings as JSON
     * @param pluginPath the plugin path, as paths every worker reaches
     */
    TrialTask(
            String sweep,
            EvaluationSettings evaluation,
            List<String> pluginPath,
            Broadcast<SerializableWritable<Configuration>> hadoop,
            AttemptHook hook) {
        this.sweep = requireNonNull(sweep, "sweep is null");
        this.evaluation = evaluation.toJson();
        this.pluginPath = List.copyOf(pluginPath);
        this.hadoop = requireNonNull(hadoop, "hadoop is null");
        this.hook = requireNonNull(hook, "hook is null");
    }

    @Override
    public String call(String entryJson) throws IOException {
        PlanEntry entry = PlanEntry.parse(entryJson, "a Spark task's plan entry");
        TaskContext task = TaskContext.get();
        int attempt = task == null ? 0 : task.attemptNumber();
        Configuration conf = hadoop.value().value();
        SharedFolder shared = SharedFolder.of(sweep, conf).child(SweepPlan.RUNS).child(entry.id());
        if (shared.exists(SummaryRow.FILE)) {
            // An earlier attempt finished and saved its result, then was lost before reporting it.
            SummaryRow done =
                    SummaryRow.parse(shared.readString(SummaryRow.FILE), shared.uri() + "/" + SummaryRow.FILE);
            if (!done.id().equals(entry.id())) {
                return SummaryRow.failed(
                                entry, shared.uri() + " holds the result of run " + done.id() + ", not " + entry.id())
                        .toJson();
            }
            return done.toJson();
        }
        Path work = Files.createTempDirectory("rnn-" + entry.id() + "-");
        try {
            try {
                shared.download(work);
            } catch (IOException e) {
                throw new SharedStorageFailure(
                        "cannot copy the run folder " + shared.uri() + " to this worker (" + e + ")", e);
            }
            SummaryRow row;
            try {
                row = Trials.run(
                        entry,
                        EvaluationSettings.parse(evaluation, "the plan's evaluation settings"),
                        work,
                        plugins(pluginPath),
                        new Attempt(entry, attempt, task, shared, work));
            } catch (ConfigurationException | PluginFailure e) {
                // The same on every attempt: reported now, not retried.
                return SummaryRow.failed(entry, e.getMessage()).toJson();
            }
            if (row == null) {
                // Spark asked the task to stop (a cancelled job, a stage that failed): its checkpoint is copied.
                if (task != null) {
                    task.killTaskIfInterrupted();
                }
                throw new IllegalStateException("run " + entry.id() + " stopped without being asked to");
            }
            upload(shared, work, true);
            return row.toJson();
        } finally {
            deleteQuietly(work);
        }
    }

    /** Copies the run folder: metrics and diagnostics, then the checkpoint, then the rest, the result last. */
    static void upload(SharedFolder shared, Path work, boolean withResult) {
        List<String> order = new ArrayList<>(BEFORE_CHECKPOINT);
        order.add(TrainingRun.CHECKPOINT);
        try (Stream<Path> files = Files.list(work)) {
            files.map(p -> p.getFileName().toString())
                    .sorted()
                    .filter(n -> !order.contains(n)
                            && !n.equals(SummaryRow.FILE)
                            && !n.equals(LOCK)
                            && !SharedFolder.isTemporary(n))
                    .forEach(order::add);
            if (withResult) {
                order.add(SummaryRow.FILE);
            }
            shared.uploadChanged(work, order);
        } catch (IOException e) {
            throw new SharedStorageFailure("cannot copy the run folder to " + shared.uri() + " (" + e + ")", e);
        }
    }

    static Plugins plugins(List<String> path) {
        return PLUGINS.computeIfAbsent(
                path, p -> Plugins.load(p.stream().map(Path::of).toList()));
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary folder left behind is the worker's to clean.
        }
    }

    /** What one attempt does at the run's events: copies at checkpoints, stops when Spark kills the task. */
    private final class Attempt implements TrialListener {
        private final PlanEntry entry;
        private final int attempt;
        private final TaskContext task;
        private final SharedFolder shared;
        private final Path work;

        Attempt(PlanEntry entry, int attempt, TaskContext task, SharedFolder shared, Path work) {
            this.entry = entry;
            this.attempt = attempt;
            this.task = task;
            this.shared = shared;
            this.work = work;
        }

        @Override
        public void started(PlanEntry e, long from, long total) {
            if (attempt > 0 || from > 0) {
                LOG.info(
                        "run {}: attempt {} {}",
                        entry.id(),
                        attempt + 1,
                        from > 0
                                ? "continues from the checkpoint at iteration " + from + " of " + total
                                : "starts from iteration 0 (no checkpoint reached shared storage)");
            }
            hook.started(entry, attempt, from);
        }

        @Override
        public void checkpointed(PlanEntry e, long iteration) {
            upload(shared, work, false);
            hook.checkpointed(entry, attempt, iteration);
        }

        @Override
        public boolean stopRequested() {
            return task != null && task.isInterrupted();
        }
    }
}
