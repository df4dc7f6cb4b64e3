package org.bptt.cli.study;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.bptt.study.Html;
import org.bptt.study.PlanEntry;
import org.bptt.study.SummaryRow;
import org.bptt.study.SweepListener;

/**
 * Shows a sweep's overall progress: one bar over the iterations of all its runs on a terminal
 * (runs done, running, ETA), a line every 10% otherwise, a line per finished run, nothing when
 * quiet. Stops the runs when asked (Ctrl-C).
 */
final class SweepProgress implements SweepListener {
    private final PrintStream err;
    private final boolean quiet;
    private final boolean terminal;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong done = new AtomicLong();
    private final AtomicInteger finished = new AtomicInteger();
    /** Runs training now, by id. */
    private final java.util.Set<String> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Iterations counted so far for each run that started in this session, by id. */
    private final java.util.Map<String, Long> counted = new java.util.concurrent.ConcurrentHashMap<>();

    private long total;
    private int runs;
    private long startNanos;
    private long nextLine;
    private ProgressBar bar;

    SweepProgress(PrintStream err, boolean quiet) {
        this.err = err;
        this.quiet = quiet;
        this.terminal = System.console() != null;
    }

    /** Asks every run to stop at its next iteration (after a checkpoint). */
    void stop() {
        stop.set(true);
    }

    boolean stopped() {
        return stop.get();
    }

    @Override
    public boolean stopRequested() {
        return stop.get();
    }

    @Override
    public void started(int runs, int alreadyDone, long iterations) {
        this.runs = runs;
        this.total = Math.max(1, iterations);
        this.finished.set(0);
        this.startNanos = System.nanoTime();
        this.nextLine = total / 10;
        if (quiet) {
            return;
        }
        err.printf(
                Locale.ROOT,
                "sweep: %d runs%s, %d iterations in all%n",
                runs,
                alreadyDone > 0 ? " (" + alreadyDone + " done before)" : "",
                iterations);
        if (terminal) {
            bar = new ProgressBarBuilder()
                    .setTaskName("sweep")
                    .setInitialMax(total)
                    .setStyle(
                            org.bptt.cli.Main.colour()
                                    ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK
                                    : ProgressBarStyle.UNICODE_BLOCK)
                    .setUpdateIntervalMillis(500)
                    .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(err))
                    .startsFrom(0, Duration.ZERO)
                    .build();
        }
    }

    @Override
    public void started(PlanEntry e, long from, long total) {
        running.add(e.id());
        counted.merge(e.id(), from, Long::sum);
        advance(from);
    }

    @Override
    public void progressed(PlanEntry e, long iteration, long total) {
        counted.merge(e.id(), 1L, Long::sum);
        advance(1);
    }

    private void advance(long n) {
        long d = done.addAndGet(n);
        if (quiet) {
            return;
        }
        if (bar != null) {
            bar.stepTo(d);
            bar.setExtraMessage(
                    String.format(Locale.ROOT, " %d/%d runs done, %d running", finished.get(), runs, running.size()));
        } else if (d >= nextLine && d < total) {
            // The line at 100% is the last run's finish (finished below), not its last iteration: "17/18 runs done" at
            // 100% read as a run lost.
            synchronized (this) {
                if (d >= nextLine) {
                    line(d);
                    nextLine = d + total / 10;
                }
            }
        }
    }

    private void line(long d) {
        double s = (System.nanoTime() - startNanos) / 1e9;
        err.printf(
                Locale.ROOT,
                "sweep %3.0f%%: %d/%d runs done, %d running, %.0f s%n",
                100.0 * Math.min(d, total) / total,
                finished.get(),
                runs,
                running.size(),
                s);
    }

    @Override
    public void finished(PlanEntry e, SummaryRow row) {
        int n = finished.incrementAndGet();
        running.remove(e.id());
        Long c = counted.remove(e.id());
        if (!row.status().equals(SummaryRow.FAILED)) {
            // Iterations not counted as they were trained: a run finished in an earlier session, or on
            // an engine that reports runs and not iterations (Spark).
            advance(Math.max(0, e.config().iterations() - (c == null ? 0 : c)));
        }
        if (quiet) {
            return;
        }
        String line = String.format(
                Locale.ROOT,
                "run %s %s: %s%s (%d/%d)",
                e.id(),
                row.status(),
                figures(row),
                row.message().isEmpty() ? "" : "; " + row.message(),
                n,
                runs);
        if (bar != null) {
            // Print above the bar.
            synchronized (this) {
                err.print("\r\033[2K");
                err.println(line);
            }
        } else {
            err.println(line);
            if (n == runs) {
                line(done.get());
            }
        }
    }

    static String figures(SummaryRow r) {
        StringBuilder b = new StringBuilder();
        if (!Double.isNaN(r.metric("loss"))) {
            b.append("held-out loss ").append(Html.num(r.metric("loss")));
        } else {
            b.append("train loss ").append(Html.num(r.trainLoss()));
        }
        for (String m : new String[] {"correct", "accuracy", "bits_per_char"}) {
            if (!Double.isNaN(r.metric(m))) {
                b.append(", ").append(m.replace('_', ' ')).append(' ').append(Html.num(r.metric(m)));
                break;
            }
        }
        if (!Double.isNaN(r.success())) {
            b.append(r.success() == 1 ? ", solved" : ", not solved");
        }
        if (!Double.isNaN(r.seconds())) {
            b.append(String.format(Locale.ROOT, ", %.1f s", r.seconds()));
        }
        return b.toString();
    }

    @Override
    public void done() {
        if (bar != null) {
            bar.close();
        }
    }
}
