package org.bptt.study;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.plugin.PluginFailure;
import org.bptt.training.plugin.Plugins;

/**
 * Runs a sweep plan, or one shard of it, on this machine: {@code parallel} runs at once, each on
 * a thread of its own with kernels of its own ({@link Trials#run} per entry), into
 * {@code runs/<id>/} of the sweep folder. Resumable: finished runs are kept, stopped ones
 * continue from their checkpoints. When every entry of the plan has a result, the summary is
 * written.
 */
public final class LocalSweep {
    private LocalSweep() {}

    /**
     * What a session of a sweep did.
     *
     * @param rows        the rows of this shard's runs that ended, in plan order (failed ones included)
     * @param stopped     runs of this shard stopped before their end (resume them later)
     * @param missing     entries of the whole plan with no result yet (other shards', failed or stopped ones)
     * @param summarized  whether summary.csv and summary.html were written (the plan is complete)
     */
    public record Outcome(List<SummaryRow> rows, List<PlanEntry> stopped, List<PlanEntry> missing, boolean summarized) {
        public long failed() {
            return rows.stream()
                    .filter(r -> r.status().equals(SummaryRow.FAILED))
                    .count();
        }
    }

    /**
     * @param shard    1-based shard number
     * @param shards   how many shards the plan is cut into (1: the whole plan)
     * @param parallel runs at once, at least 1
     */
    public static Outcome run(
            SweepPlan plan, Path folder, Plugins plugins, int shard, int shards, int parallel, SweepListener listener)
            throws IOException {
        requireNonNull(listener, "listener is null");
        if (parallel < 1) {
            throw new ConfigurationException("the number of runs at once must be at least 1, got " + parallel);
        }
        List<PlanEntry> mine = plan.shard(shard, shards);
        plan.writeOrCheck(folder);
        try (SweepLock lock = SweepLock.acquire(folder, mine)) {
            return runLocked(plan, folder, plugins, mine, parallel, listener);
        }
    }

    private static Outcome runLocked(
            SweepPlan plan, Path folder, Plugins plugins, List<PlanEntry> mine, int parallel, SweepListener listener)
            throws IOException {
        int already = 0;
        long iterations = 0;
        for (PlanEntry e : mine) {
            already += Files.exists(SweepPlan.runFolder(folder, e).resolve(SummaryRow.FILE)) ? 1 : 0;
            iterations += e.config().iterations();
        }
        listener.started(mine.size(), already, iterations);
        List<SummaryRow> rows = new ArrayList<>();
        List<PlanEntry> stopped = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, mine.size()), new Namer());
        try {
            List<Future<SummaryRow>> futures = new ArrayList<>();
            for (PlanEntry e : mine) {
                futures.add(pool.submit(() -> trial(plan, folder, plugins, e, listener)));
            }
            for (int i = 0; i < mine.size(); i++) {
                SummaryRow row;
                try {
                    row = futures.get(i).get();
                } catch (ExecutionException x) {
                    throw new IllegalStateException("a sweep run failed outside its own handling", x.getCause());
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the sweep's runs", x);
                }
                if (row == null) {
                    stopped.add(mine.get(i));
                } else {
                    rows.add(row);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        listener.done();
        List<PlanEntry> missing = new ArrayList<>();
        List<SummaryRow> all = SweepSummary.collect(plan, folder, missing);
        boolean complete = missing.isEmpty();
        if (complete) {
            SweepSummary.write(folder, plan, all);
        }
        return new Outcome(rows, stopped, missing, complete);
    }

    /** One entry: its row, a failed row when it cannot work, or null when stopped. */
    private static SummaryRow trial(SweepPlan plan, Path folder, Plugins plugins, PlanEntry e, SweepListener listener) {
        SummaryRow row;
        try {
            row = Trials.run(e, plan.evaluation(), SweepPlan.runFolder(folder, e), plugins, listener);
        } catch (ConfigurationException | PluginFailure x) {
            row = SummaryRow.failed(e, x.getMessage());
        } catch (IOException | RuntimeException x) {
            row = SummaryRow.failed(
                    e, x.getClass().getSimpleName() + (x.getMessage() == null ? "" : ": " + x.getMessage()));
        }
        if (row != null) {
            listener.finished(e, row);
        }
        return row;
    }

    /** Names the runs' threads, so that a thread dump says what each is. */
    private static final class Namer implements java.util.concurrent.ThreadFactory {
        private final AtomicInteger n = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "sweep-run-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
