package org.bptt.cli.train;

import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.bptt.training.IterationMetrics;
import org.bptt.training.run.RunSummary;

/**
 * Shows training progress: a progress bar (me.tongfei:progressbar) with loss, gradient norm,
 * clip rate and ETA when standard error is a terminal; plain lines (every 10% and at least
 * every {@value Lines#MAX_SILENCE_SECONDS} s) when it is not, so that logs stay readable;
 * nothing with --quiet.
 */
public interface Progress {
    void start(long from, long total);

    void update(long done, List<IterationMetrics> metrics);

    void finish();

    static Progress quiet() {
        return new Progress() {
            @Override
            public void start(long from, long total) {}

            @Override
            public void update(long done, List<IterationMetrics> metrics) {}

            @Override
            public void finish() {}
        };
    }

    /** A bar on a terminal, periodic lines otherwise. */
    static Progress console(PrintStream err) {
        return onTerminal() ? new Bar(err, columns()) : new Lines(err);
    }

    /**
     * Whether standard error is a terminal. The launcher knows ({@code [ -t 2 ]}) before it
     * filters the stream and says so in {@code rnn.terminal}; without it, JDK 22+'s
     * {@code Console.isTerminal()}, else (JDK 21) whether there is a console at all.
     */
    static boolean onTerminal() {
        String told = System.getProperty("rnn.terminal");
        if (told != null) {
            return told.equals("1") || told.equals("true");
        }
        Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            Method m = Console.class.getMethod("isTerminal");
            return (Boolean) m.invoke(c);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a console exists only on a terminal
        }
    }

    /**
     * The terminal's width: {@code rnn.columns} (the launcher asks the terminal), else
     * {@code COLUMNS}, else 100. Giving the bar its width keeps the progress bar library from
     * probing the terminal through JLine's native code.
     */
    static int columns() {
        for (String v : new String[] {System.getProperty("rnn.columns"), System.getenv("COLUMNS")}) {
            try {
                if (v != null && Integer.parseInt(v.strip()) >= 40) {
                    return Integer.parseInt(v.strip());
                }
            } catch (NumberFormatException e) {
                // not a width; try the next source
            }
        }
        return 100;
    }

    /**
     * Loss, gradient norm and clip rate over the last 20 iterations: the mean of the finite losses
     * of updates that were not skipped, the geometric mean of the finite gradient norms.
     */
    static String message(List<IterationMetrics> m) {
        int n = m.size();
        int from = Math.max(0, n - 20);
        double loss = 0;
        int losses = 0;
        double logNorm = 0;
        int norms = 0;
        int clipped = 0;
        for (int i = from; i < n; i++) {
            IterationMetrics x = m.get(i);
            if (!x.skipped() && Double.isFinite(x.loss())) {
                loss += x.loss();
                losses++;
            }
            if (Double.isFinite(x.gradNormBefore()) && x.gradNormBefore() > 0) {
                logNorm += Math.log(x.gradNormBefore());
                norms++;
            }
            clipped += x.clipped() ? 1 : 0;
        }
        int k = Math.max(1, n - from);
        String l = losses == 0 ? "n/a" : RunSummary.loss(loss / losses);
        String g = norms == 0 ? "n/a" : String.format(Locale.ROOT, "%.3g", Math.exp(logNorm / norms));
        return String.format(Locale.ROOT, "loss %s |g| %s clip %.0f%%", l, g, 100.0 * clipped / k);
    }

    final class Bar implements Progress {
        private final PrintStream err;
        private final int columns;
        private ProgressBar bar;
        private Eta eta;
        private long lastMessage;

        Bar(PrintStream err, int columns) {
            this.err = err;
            this.columns = columns;
        }

        @Override
        public void start(long from, long total) {
            Eta e = new Eta(from, total);
            eta = e;
            bar = new ProgressBarBuilder()
                    .setTaskName("train")
                    .setInitialMax(total)
                    .startsFrom(from, Duration.ZERO)
                    .setEtaFunction(state -> e.left())
                    .setStyle(
                            org.bptt.cli.Main.colour()
                                    ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK
                                    : ProgressBarStyle.UNICODE_BLOCK)
                    .setUpdateIntervalMillis(250)
                    .setConsumer(new ConsoleProgressBarConsumer(err, columns - 1))
                    .build();
        }

        @Override
        public void update(long done, List<IterationMetrics> metrics) {
            long now = System.nanoTime();
            eta.at(done, now);
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
        /** The longest a run stays silent in a log. */
        static final int MAX_SILENCE_SECONDS = 30;

        private final PrintStream err;
        private long total;
        private long nextReport;
        private long step;
        private long lastLineNanos;
        private Eta eta;

        Lines(PrintStream err) {
            this.err = err;
        }

        @Override
        public void start(long from, long total) {
            this.total = total;
            this.eta = new Eta(from, total);
            this.lastLineNanos = System.nanoTime();
            this.step = (total - from) / 10;
            this.nextReport = from + Math.max(1, step);
        }

        @Override
        public void update(long done, List<IterationMetrics> metrics) {
            long now = System.nanoTime();
            eta.at(done, now);
            if (done >= nextReport || done == total || now - lastLineNanos >= MAX_SILENCE_SECONDS * 1_000_000_000L) {
                err.printf(
                        Locale.ROOT,
                        "train %3.0f%% %d/%d %s%s%n",
                        100.0 * done / total,
                        done,
                        total,
                        message(metrics),
                        done == total ? "" : eta.text());
                err.flush();
                lastLineNanos = now;
                if (done >= nextReport) {
                    nextReport = done + Math.max(1, step);
                }
            }
        }

        @Override
        public void finish() {}
    }
}
