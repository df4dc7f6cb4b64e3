package org.bptt.spark;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SerializableWritable;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.study.LocalSweep;
import org.bptt.study.PlanEntry;
import org.bptt.study.SummaryRow;
import org.bptt.study.SweepListener;
import org.bptt.study.SweepPlan;
import org.bptt.study.SweepSummary;
import org.bptt.training.config.RunFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a sweep plan on Spark: one job of one task per entry without a result, each task training
 * its entry into {@code FOLDER/runs/<id>/} on shared storage ({@link TrialTask}), and the
 * summary written by the driver from the rows the tasks return. An entry is a job of its own so
 * that a run that fails every attempt Spark gives it fails alone: its row says failed and why,
 * and the other runs complete. Resumable: entries with a result are not run again, and a run
 * with a checkpoint continues from it.
 */
public final class SparkSweep {
    /** The job property that names a job's plan entry, for the driver's own lines about attempts. */
    static final String ENTRY_PROPERTY = "rnn.sweep.entry";

    private static final Logger LOG = LoggerFactory.getLogger(SparkSweep.class);
    private static final Pattern LOCAL_WITH_FAILURES = Pattern.compile("local\\[\\s*(\\d+|\\*)\\s*,\\s*(\\d+)\\s*]");

    private SparkSweep() {}

    /**
     * Runs the plan into {@code folder}, a path on Spark's default file system (fs.defaultFS) or
     * a URI (file:, hdfs://, s3a://, ...) every executor reaches.
     *
     * @param pluginPath plugin jars and folders, at the same paths on every executor
     * @param listener   told when the sweep starts, each run ends and all have; polled for a
     *                   stop, which cancels the jobs (each run keeps its last copied checkpoint)
     * @param hook       told what each attempt does, inside the tasks ({@link AttemptHook#NONE})
     * @return every entry's row in plan order (failed ones as rows of status failed), the entries
     *         stopped, those without a saved result, and whether the summary was written (when no
     *         run was stopped)
     */
    public static LocalSweep.Outcome run(
            JavaSparkContext spark,
            SweepPlan plan,
            String folder,
            List<String> pluginPath,
            SweepListener listener,
            AttemptHook hook)
            throws IOException {
        requireNonNull(plan, "plan is null");
        requireNonNull(listener, "listener is null");
        requireNonNull(hook, "hook is null");
        if (spark.getConf().getBoolean("spark.speculation", false)) {
            throw new ConfigurationException(
                    "spark.speculation is on, and a speculative copy of a run would train into the same "
                            + "run folder at the same time; turn it off for sweeps");
        }
        Configuration hadoop = spark.hadoopConfiguration();
        SharedFolder sweep = SharedFolder.of(folder, hadoop);
        writeOrCheck(plan, sweep);

        SummaryRow[] rows = new SummaryRow[plan.entries().size()];
        long iterations = 0;
        int already = 0;
        for (PlanEntry e : plan.entries()) {
            iterations += e.config().iterations();
            SharedFolder run = sweep.child(SweepPlan.RUNS).child(e.id());
            if (run.exists(SummaryRow.FILE)) {
                SummaryRow done = SummaryRow.parse(run.readString(SummaryRow.FILE), run.uri() + "/" + SummaryRow.FILE);
                // A result of another run (a folder moved by hand) is not this run's: its task says so.
                if (done.id().equals(e.id())) {
                    rows[e.index()] = done;
                    already++;
                }
            }
        }
        listener.started(plan.entries().size(), already, iterations);
        for (PlanEntry e : plan.entries()) {
            if (rows[e.index()] != null) {
                listener.finished(e, rows[e.index()]);
            }
        }

        int attempts = attempts(spark.getConf());
        Attempts tracker = new Attempts(attempts, plan, listener);
        spark.sc().addSparkListener(tracker);
        Broadcast<SerializableWritable<Configuration>> conf = spark.broadcast(new SerializableWritable<>(hadoop));
        TrialTask task = new TrialTask(sweep.uri().toString(), plan.evaluation(), pluginPath, conf, hook);
        String group = "rnn-sweep-" + UUID.randomUUID();
        List<PlanEntry> pending = new ArrayList<>();
        List<JavaFutureAction<List<String>>> futures = new ArrayList<>();
        List<PlanEntry> stopped = new ArrayList<>();
        try {
            for (PlanEntry e : plan.entries()) {
                if (rows[e.index()] == null) {
                    // Not interrupted when cancelled: a run polls for the cancellation between iterations and
                    // then checkpoints and copies, which an interrupt would break off (FileChannel).
                    spark.setJobGroup(group, "rnn sweep: " + e.id(), false);
                    spark.setLocalProperty(ENTRY_PROPERTY, e.id());
                    pending.add(e);
                    futures.add(
                            spark.parallelize(List.of(e.toJson()), 1).map(task).collectAsync());
                }
            }
            spark.setLocalProperty(ENTRY_PROPERTY, null);
            spark.clearJobGroup();
            boolean cancelled = false;
            boolean[] reported = new boolean[pending.size()];
            int open = pending.size();
            while (open > 0) {
                if (!cancelled && listener.stopRequested()) {
                    // Each task then stops at its next iteration and copies its checkpoint (TrialTask).
                    cancel(spark, group);
                    cancelled = true;
                }
                for (int i = 0; i < pending.size(); i++) {
                    if (reported[i] || !futures.get(i).isDone()) {
                        continue;
                    }
                    reported[i] = true;
                    open--;
                    PlanEntry e = pending.get(i);
                    // A job of an application that ended (a cluster manager stopped it) is stopped, not failed.
                    SummaryRow row = row(
                            e, futures.get(i), tracker, cancelled || spark.sc().isStopped());
                    tracker.ended(e);
                    if (row == null) {
                        stopped.add(e);
                    } else {
                        rows[e.index()] = row;
                        listener.finished(e, row);
                    }
                }
                if (open > 0) {
                    sleep();
                }
            }
        } finally {
            if (!spark.sc().isStopped()) {
                spark.sc().removeSparkListener(tracker);
                conf.destroy();
            }
        }
        listener.done();
        if (spark.sc().isStopped() && !listener.stopRequested()) {
            throw new RunFailure(
                    "the Spark application ended before the sweep did; every run keeps its last checkpoint in "
                            + sweep.uri() + ", and the same command continues from there",
                    null);
        }

        List<SummaryRow> all = new ArrayList<>();
        List<PlanEntry> missing = new ArrayList<>();
        for (PlanEntry e : plan.entries()) {
            SummaryRow r = rows[e.index()];
            if (r != null) {
                all.add(r);
            }
            if (r == null || r.status().equals(SummaryRow.FAILED)) {
                missing.add(e);
            }
        }
        boolean summarize = stopped.isEmpty();
        if (summarize) {
            // Failed runs are in the summary as rows of status failed with their reason: on a cluster
            // the driver's output may sit in a log, the summary is where the user looks.
            sweep.writeString(SweepSummary.CSV, SweepSummary.csv(plan, all));
            sweep.writeString(SweepSummary.HTML, SweepSummary.html(plan, all));
        }
        return new LocalSweep.Outcome(all, stopped, missing, summarize);
    }

    /** Saves the plan, or checks that the plan saved there is this one (as {@link SweepPlan#writeOrCheck} does). */
    static void writeOrCheck(SweepPlan plan, SharedFolder sweep) throws IOException {
        if (sweep.exists(SweepPlan.FILE)) {
            SweepPlan saved = SweepPlan.parse(sweep.readString(SweepPlan.FILE), sweep.uri() + "/" + SweepPlan.FILE);
            if (!saved.equals(plan)) {
                throw new ConfigurationException(
                        sweep.uri() + " holds another sweep (its " + SweepPlan.FILE + " differs from this "
                                + "plan); choose another folder, or continue that sweep from its own plan");
            }
            return;
        }
        sweep.writeString(SweepPlan.FILE, plan.toJson());
    }

    /** The plan saved in a sweep folder on shared storage. */
    public static SweepPlan readPlan(String folder, Configuration hadoop) throws IOException {
        SharedFolder sweep = SharedFolder.of(folder, hadoop);
        if (!sweep.exists(SweepPlan.FILE)) {
            throw new ConfigurationException(sweep.uri() + ": not a sweep folder (it has no " + SweepPlan.FILE + ")");
        }
        return SweepPlan.parse(sweep.readString(SweepPlan.FILE), sweep.uri() + "/" + SweepPlan.FILE);
    }

    /** The row a finished job gives: the task's row, a failed row when every attempt failed, or null when cancelled. */
    private static SummaryRow row(
            PlanEntry e, JavaFutureAction<List<String>> future, Attempts tracker, boolean cancelled) {
        try {
            return SummaryRow.parse(future.get().get(0), "the result of run " + e.id());
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for run " + e.id(), x);
        } catch (ExecutionException | java.util.concurrent.CancellationException x) {
            if (cancelled) {
                return null;
            }
            Throwable cause = x instanceof ExecutionException ? x.getCause() : x;
            return SummaryRow.failed(
                    e,
                    tracker.failures(e.id()) + " of " + tracker.attempts + " attempts failed; the last: "
                            + reason(cause));
        }
    }

    /** Why a job failed, in one line: the task's own exception when Spark carried it back, else Spark's first line. */
    static String reason(Throwable t) {
        Throwable c = t;
        while (c instanceof org.apache.spark.SparkException && c.getCause() != null) {
            c = c.getCause();
        }
        if (!(c instanceof org.apache.spark.SparkException)) {
            return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
        }
        String m = String.valueOf(c.getMessage()).lines().findFirst().orElse("");
        int i = m.indexOf("most recent failure: ");
        return i >= 0 ? m.substring(i + "most recent failure: ".length()) : m;
    }

    /**
     * How many attempts Spark gives a task: local[N,F] gives F, local and local[N] one,
     * spark.task.maxFailures (4) elsewhere.
     */
    static int attempts(SparkConf conf) {
        String master = conf.get("spark.master", "local[*]").strip();
        Matcher m = LOCAL_WITH_FAILURES.matcher(master);
        if (m.matches()) {
            return Integer.parseInt(m.group(2));
        }
        if (master.equals("local") || master.startsWith("local[")) {
            return 1;
        }
        return conf.getInt("spark.task.maxFailures", 4);
    }

    /** Cancels the sweep's jobs, unless the application has ended (a JVM going down stops it at its own pace). */
    private static void cancel(JavaSparkContext spark, String group) {
        try {
            if (!spark.sc().isStopped()) {
                spark.cancelJobGroup(group);
            }
        } catch (IllegalStateException e) {
            // Stopped in between: its jobs are cancelled anyway.
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the sweep's runs", e);
        }
    }

    /**
     * Tells the listener when a run's task starts, counts each run's failed attempts and says
     * each in one line, on Spark's listener thread.
     */
    static final class Attempts extends SparkListener {
        final int attempts;
        private final Map<String, PlanEntry> entries = new java.util.HashMap<>();
        private final SweepListener listener;
        private final Map<Integer, String> stageEntries = new ConcurrentHashMap<>();
        private final Map<String, Integer> failures = new ConcurrentHashMap<>();
        private final java.util.Set<String> ended = new java.util.HashSet<>();

        Attempts(int attempts, SweepPlan plan, SweepListener listener) {
            this.attempts = attempts;
            this.listener = listener;
            plan.entries().forEach(e -> entries.put(e.id(), e));
        }

        /** The run's job has ended: a start reported late by Spark's listener bus is not passed on. */
        synchronized void ended(PlanEntry e) {
            ended.add(e.id());
        }

        @Override
        public synchronized void onTaskStart(org.apache.spark.scheduler.SparkListenerTaskStart start) {
            String entry = stageEntries.get(start.stageId());
            if (entry != null && !ended.contains(entry)) {
                // Where it starts from is the task's to find out; iterations are counted when the run ends.
                listener.started(
                        entries.get(entry), 0, entries.get(entry).config().iterations());
            }
        }

        int failures(String entry) {
            return failures.getOrDefault(entry, 0);
        }

        @Override
        public void onJobStart(SparkListenerJobStart job) {
            String entry = job.properties() == null ? null : job.properties().getProperty(ENTRY_PROPERTY);
            if (entry != null) {
                scala.jdk.javaapi.CollectionConverters.asJava(job.stageIds())
                        .forEach(s -> stageEntries.put((Integer) s, entry));
            }
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            String entry = stageEntries.get(end.stageId());
            if (entry == null
                    || !(end.reason() instanceof TaskFailedReason f)
                    || end.reason() instanceof org.apache.spark.TaskKilled) {
                return;
            }
            int n = failures.merge(entry, 1, Integer::sum);
            String why = f instanceof org.apache.spark.ExceptionFailure x
                    ? x.className().substring(x.className().lastIndexOf('.') + 1) + ": " + x.description()
                    : f.toErrorString().lines().findFirst().orElse("");
            LOG.warn(String.format(
                    Locale.ROOT,
                    "run %s: attempt %d of %d failed (%s)%s",
                    entry,
                    end.taskInfo().attemptNumber() + 1,
                    attempts,
                    why,
                    n < attempts ? "; the next attempt continues from the run's last checkpoint, if it has one" : ""));
        }
    }
}
