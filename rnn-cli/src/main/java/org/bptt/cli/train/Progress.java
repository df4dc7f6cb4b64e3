package org.bptt.cli.train;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.bptt.training.run.IterationMetrics;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows training progress: a progress bar (me.tongfei:progressbar) with loss, gradient norm,
 * clip rate and ETA on a terminal; a line every 10% when the output is not a terminal;
 * nothing with --quiet.
 */
public interface Progress {
    void start(long from, long total);

    void update(long done, List<IterationMetrics> metrics);

    void finish();

    static Progress quiet() {
        return new Progress() {
            @Override public void start(long from, long total) {}
            @Override public void update(long done, List<IterationMetrics> metrics) {}
            @Override public void finish() {}
        };
    }

    /** A bar on a terminal, periodic lines otherwise. */
    static Progress console(PrintStream err) {
        return System.console() != null ? new Bar(err) : new Lines(err);
    }

    /** Loss, gradient norm and clip rate over the last iterations. */
    static String message(List<IterationMetrics> m) {
        int n = m.size();
        int from = Math.max(0, n - 20);
        double loss = 0;
        double norm = 0;
        int clipped = 0;
        for (int i = from; i < n; i++) {
            loss += m.get(i).loss();
            norm += m.get(i).gradNormBefore();
            clipped += m.get(i).clipped() ? 1 : 0;
        }
        int k = Math.max(1, n - from);
        return String.format(Locale.ROOT, "loss %.4f |g| %.3g clip %.0f%%", loss / k, norm / k, 100.0 * clipped / k);
    }

    final class Bar implements Progress {
        private final PrintStream err;
        private ProgressBar bar;
        private long lastMessage;

        Bar(PrintStream err) { this.err = err; }

        @Override
        public void start(long from, long total) {
            bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(total).startsFrom(from, Duration.ZERO)
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(250)
                    .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(err)).build();
        }

        @Override
        public void update(long done, List<IterationMetrics> metrics) {
            long now = System.nanoTime();
            if (now - lastMessage > 200_000_000L) {
                bar.setExtraMessage(" " + message(metrics));
                lastMessage = now;
            }
            bar.stepTo(done);
        }

        @Override
        public void finish() {
            bar.close();
        }
    }

    final class Lines implements Progress {
        private final PrintStream err;
        private long total;
        private long nextReport;
        private long startNanos;
        private long from;

        Lines(PrintStream err) { this.err = err; }

        @Override
        public void start(long from, long total) {
            this.total = total;
            this.from = from;
            this.startNanos = System.nanoTime();
            this.nextReport = from + Math.max(1, (total - from) / 10);
        }

        @Override
        public void update(long done, List<IterationMetrics> metrics) {
            if (done >= nextReport || done == total) {
                double elapsed = (System.nanoTime() - startNanos) / 1e9;
                double eta = done > from ? elapsed / (done - from) * (total - done) : 0;
                err.printf(Locale.ROOT, "train %3.0f%% %d/%d %s ETA %.0fs%n", 100.0 * done / total, done, total,
                        message(metrics), eta);
                nextReport = done + Math.max(1, (total - from) / 10);
            }
        }

        @Override
        public void finish() {}
    }
}
