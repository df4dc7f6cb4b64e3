package org.bptt.plugins.schedule;

import java.util.List;
import org.bptt.api.plugin.PluginOption;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.plugin.PluginParameter;
import org.bptt.api.plugin.StateSink;
import org.bptt.api.plugin.StateSource;
import org.bptt.api.schedule.Schedule;
import org.bptt.api.schedule.ScheduleFactory;

/**
 * The built-in schedules. Every one takes {@code warmup}: over its first W iterations the factor
 * rises linearly, (i+1)/W at iteration i, as a multiplier on what the schedule gives.
 */
public final class Schedules {
    private Schedules() {}

    static final PluginOption<Integer> WARMUP = PluginOption.integer(
                    "warmup", 0, "iterations of linear warm-up: the factor is (i+1)/warmup at iteration i below it")
            .nonNegative();

    /** The warm-up multiplier of iteration {@code i}. */
    static double warmup(int warmup, long i) {
        return i < warmup ? (i + 1.0) / warmup : 1.0;
    }

    private static String warm(int warmup) {
        return warmup > 0 ? ", warmup=" + warmup : "";
    }

    /** {@code constant}: the optimizer's learning rate throughout (after the warm-up). */
    public static final class ConstantFactory implements ScheduleFactory {
        @Override
        public String name() {
            return "constant";
        }

        @Override
        public String description() {
            return "the optimizer's learning rate throughout, after an optional warm-up";
        }

        @Override
        public List<PluginParameter> parameters() {
            return PluginOption.parameters(WARMUP);
        }

        @Override
        public Schedule create(PluginOptions o) {
            PluginOption.requireOnly(o, WARMUP);
            int w = WARMUP.read(o);
            return new Schedule() {
                @Override
                public double factor(long i) {
                    return warmup(w, i);
                }

                @Override
                public String describe() {
                    return "constant(" + warm(w).replaceFirst("^, ", "") + ")";
                }
            };
        }
    }

    /** {@code step}: multiplied by gamma every {@code every} iterations (PyTorch's StepLR). */
    public static final class StepFactory implements ScheduleFactory {
        static final PluginOption<Integer> EVERY = PluginOption.integer("every", 1000, "iterations between reductions")
                .positive();
        static final PluginOption<Double> GAMMA = PluginOption.number("gamma", 0.1, "factor of each reduction")
                .positive()
                .atMost(1);

        @Override
        public String name() {
            return "step";
        }

        @Override
        public String description() {
            return "the learning rate times gamma every N iterations (StepLR)";
        }

        @Override
        public List<PluginParameter> parameters() {
            return PluginOption.parameters(EVERY, GAMMA, WARMUP);
        }

        @Override
        public Schedule create(PluginOptions o) {
            PluginOption.requireOnly(o, EVERY, GAMMA, WARMUP);
            int every = EVERY.read(o);
            double gamma = GAMMA.read(o);
            int w = WARMUP.read(o);
            return new Schedule() {
                @Override
                public double factor(long i) {
                    return warmup(w, i) * Math.pow(gamma, i / every);
                }

                @Override
                public String describe() {
                    return "step(every=" + every + ", gamma=" + gamma + warm(w) + ")";
                }
            };
        }
    }

    /**
     * {@code cosine}: from 1 down to {@code min} along half a cosine over {@code period}
     * iterations (PyTorch's CosineAnnealingLR), then {@code min}.
     */
    public static final class CosineFactory implements ScheduleFactory {
        static final PluginOption<Integer> PERIOD = PluginOption.integer(
                        "period", 1000, "iterations from the full rate to min")
                .positive();
        static final PluginOption<Double> MIN = PluginOption.number("min", 0.0, "the final factor")
                .nonNegative()
                .atMost(1);

        @Override
        public String name() {
            return "cosine";
        }

        @Override
        public String description() {
            return "half a cosine from the full rate to min over a period (CosineAnnealingLR)";
        }

        @Override
        public List<PluginParameter> parameters() {
            return PluginOption.parameters(PERIOD, MIN, WARMUP);
        }

        @Override
        public Schedule create(PluginOptions o) {
            PluginOption.requireOnly(o, PERIOD, MIN, WARMUP);
            int period = PERIOD.read(o);
            double min = MIN.read(o);
            int w = WARMUP.read(o);
            return new Schedule() {
                @Override
                public double factor(long i) {
                    double f = i >= period ? min : min + (1 - min) * 0.5 * (1 + Math.cos(Math.PI * i / period));
                    return warmup(w, i) * f;
                }

                @Override
                public String describe() {
                    return "cosine(period=" + period + ", min=" + min + warm(w) + ")";
                }
            };
        }
    }

    /**
     * {@code plateau}: times gamma when the held-out metric has not improved (by a relative
     * {@code threshold}) for more than {@code patience} measurements (PyTorch's ReduceLROnPlateau).
     */
    public static final class PlateauFactory implements ScheduleFactory {
        static final PluginOption<Integer> PATIENCE = PluginOption.integer(
                        "patience", 3, "measurements without improvement tolerated before a reduction")
                .nonNegative();
        static final PluginOption<Double> GAMMA = PluginOption.number("gamma", 0.1, "factor of each reduction")
                .positive()
                .atMost(1);
        static final PluginOption<Double> THRESHOLD = PluginOption.number(
                        "threshold", 1e-4, "relative improvement that counts")
                .nonNegative();

        @Override
        public String name() {
            return "plateau";
        }

        @Override
        public String description() {
            return "the learning rate times gamma when the held-out loss stops improving";
        }

        @Override
        public List<PluginParameter> parameters() {
            return PluginOption.parameters(PATIENCE, GAMMA, THRESHOLD, WARMUP);
        }

        @Override
        public Schedule create(PluginOptions o) {
            PluginOption.requireOnly(o, PATIENCE, GAMMA, THRESHOLD, WARMUP);
            return new Plateau(PATIENCE.read(o), GAMMA.read(o), THRESHOLD.read(o), WARMUP.read(o));
        }
    }

    static final class Plateau implements Schedule {
        private final int patience;
        private final double gamma;
        private final double threshold;
        private final int warmup;
        private double best = Double.POSITIVE_INFINITY;
        private long bad;
        private double scale = 1;

        Plateau(int patience, double gamma, double threshold, int warmup) {
            this.patience = patience;
            this.gamma = gamma;
            this.threshold = threshold;
            this.warmup = warmup;
        }

        @Override
        public double factor(long i) {
            return warmup(warmup, i) * scale;
        }

        @Override
        public void observe(long iteration, double metric) {
            if (metric < best * (1 - threshold)) {
                best = metric;
                bad = 0;
            } else if (++bad > patience) {
                scale *= gamma;
                bad = 0;
            }
        }

        @Override
        public void saveState(StateSink sink) {
            sink.putLong("best", Double.doubleToRawLongBits(best));
            sink.putLong("bad", bad);
            sink.putLong("scale", Double.doubleToRawLongBits(scale));
        }

        @Override
        public void loadState(StateSource source) {
            best = Double.longBitsToDouble(source.getLong("best"));
            bad = source.getLong("bad");
            scale = Double.longBitsToDouble(source.getLong("scale"));
        }

        @Override
        public String describe() {
            return "plateau(patience=" + patience + ", gamma=" + gamma + ", threshold=" + threshold + warm(warmup)
                    + ")";
        }
    }
}
