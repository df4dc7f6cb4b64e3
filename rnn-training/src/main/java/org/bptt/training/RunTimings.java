package org.bptt.training;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * Where a training session's time went: wall and training-thread CPU time per phase, and the
 * time of the updates in blocks of {@value #BLOCK}, from which the JIT's warm-up is estimated.
 * A run's whole time splits into start-up (JVM start to the first update's preparation), these
 * phases, and the rest. Recording costs two clock reads per phase per iteration, never per
 * time step. Not thread-safe: the training thread records.
 */
public final class RunTimings {
    /** Updates per block of the warm-up estimate. */
    public static final int BLOCK = 50;

    /** The parts of a training session that are timed. */
    public enum Phase {
        /** Training updates (forward, backward, clipping, optimizer). */
        STEPS("steps"),
        /** Gradient-flow and spectrum measurements. */
        DIAGNOSTICS("diagnostics"),
        /** Held-out evaluations. */
        EVALUATION("evaluation"),
        /** Writing checkpoints. */
        CHECKPOINTS("checkpoints"),
        /** Writing metrics and the diagnostics history. */
        METRICS("metrics"),
        /** Writing the report. */
        REPORT("report");

        private final String key;

        Phase(String key) {
            this.key = key;
        }

        /** The phase's name in timings files. */
        public String key() {
            return key;
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final long[] wall = new long[Phase.values().length];
    private final long[] cpu = new long[Phase.values().length];
    private long[] blocks = new long[64];
    private int updates;
    private long startUptimeMillis = -1;
    private long startNanos;

    /** The training thread's CPU time in nanoseconds, or -1 where the JVM does not measure it. */
    public static long cpuNow() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
    }

    /** Marks the start of training in this JVM (the first call counts): what came before is start-up. */
    public void started() {
        if (startUptimeMillis < 0) {
            startUptimeMillis = ManagementFactory.getRuntimeMXBean().getUptime();
            startNanos = System.nanoTime();
        }
    }

    /** Adds the time since {@code wallStart} ({@link System#nanoTime}) and {@code cpuStart} ({@link #cpuNow}) to a phase. */
    public void add(Phase phase, long wallStart, long cpuStart) {
        wall[phase.ordinal()] += System.nanoTime() - wallStart;
        if (cpuStart >= 0) {
            cpu[phase.ordinal()] += cpuNow() - cpuStart;
        }
    }

    /** Adds one update's time: {@link Phase#STEPS} and the warm-up blocks. */
    public void update(long wallStart, long cpuStart) {
        if (cpuStart >= 0) {
            cpu[Phase.STEPS.ordinal()] += cpuNow() - cpuStart;
        }
        update(System.nanoTime() - wallStart);
    }

    /** Adds one update of {@code nanos} wall time. */
    void update(long nanos) {
        wall[Phase.STEPS.ordinal()] += nanos;
        int block = updates / BLOCK;
        if (block == blocks.length) {
            blocks = Arrays.copyOf(blocks, blocks.length * 2);
        }
        blocks[block] += nanos;
        updates++;
    }

    /** A phase's wall time in seconds. */
    public double seconds(Phase phase) {
        return wall[phase.ordinal()] / 1e9;
    }

    /** A phase's CPU time of the training thread in seconds. */
    public double cpuSeconds(Phase phase) {
        return cpu[phase.ordinal()] / 1e9;
    }

    /** Updates timed. */
    public int updates() {
        return updates;
    }

    /** Seconds from the JVM's start to {@link #started}; NaN before it. */
    public double startupSeconds() {
        return startUptimeMillis < 0 ? Double.NaN : startUptimeMillis / 1e3;
    }

    /** Seconds since {@link #started}; NaN before it. */
    public double sinceStartSeconds() {
        return startUptimeMillis < 0 ? Double.NaN : (System.nanoTime() - startNanos) / 1e9;
    }

    /**
     * The steady time of an update in milliseconds: the median over the later half of the full
     * blocks (the JIT has settled there); NaN with fewer than four full blocks.
     */
    public double steadyMillisPerUpdate() {
        int full = updates / BLOCK;
        if (full < 4) {
            return Double.NaN;
        }
        double[] late = new double[full - full / 2];
        for (int i = full / 2; i < full; i++) {
            late[i - full / 2] = blocks[i] / 1e6 / BLOCK;
        }
        Arrays.sort(late);
        int n = late.length;
        return n % 2 == 1 ? late[n / 2] : (late[n / 2 - 1] + late[n / 2]) / 2;
    }

    /**
     * The JIT's warm-up in seconds: the time the updates took beyond the steady rate, summed
     * over the blocks (positive parts only); NaN when there is no steady rate.
     */
    public double warmupSeconds() {
        double steady = steadyMillisPerUpdate();
        if (Double.isNaN(steady)) {
            return Double.NaN;
        }
        double extra = 0;
        int full = updates / BLOCK;
        for (int i = 0; i < full; i++) {
            extra += Math.max(0, blocks[i] / 1e6 - steady * BLOCK);
        }
        return extra / 1e3;
    }

    /** The wall time of updates [from, from + count) in seconds, to block precision ({@code from} a multiple of {@value #BLOCK}). */
    public double updateSeconds(int from, int count) {
        long sum = 0;
        for (int b = from / BLOCK; b < Math.min((from + count) / BLOCK, (updates + BLOCK - 1) / BLOCK); b++) {
            sum += blocks[b];
        }
        return sum / 1e9;
    }
}
