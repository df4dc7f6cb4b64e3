package org.bptt.training.bench;

import static java.util.Objects.requireNonNull;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/**
 * Warms the JIT on a repeated task until it has settled: at least the given time, then on until
 * the JIT has compiled nothing for a while. A fixed warm-up was not enough on a busy two-core
 * machine: C2 sometimes installed a kernel's compiled code only after the timed steps had begun,
 * and a benchmark then timed the boxed, interpreted vectors for a good part of its steps (W1-64 at
 * 256 bits: 4.3–5.2 ms a step in three runs of fourteen after 2 s, 2.8–3.3 ms in all of eight
 * after 6 s).
 */
public final class JitWarmup {
    /** How long the JIT must stay idle to count as settled. */
    static final long QUIET_NANOS = 1_000_000_000L;
    /** The longest the warm-up goes on past its minimum waiting for a quiet JIT. */
    static final long MAX_EXTRA_NANOS = 20_000_000_000L;

    private JitWarmup() {}

    /**
     * What a warm-up did.
     *
     * @param seconds time spent
     * @param settled whether the JIT was idle for {@link #QUIET_NANOS} at the end; false when the
     *                JVM does not report compilation time or the cap was reached first
     */
    public record Result(double seconds, boolean settled) {
        /** No warm-up at all (a minimum of 0 s). */
        public static final Result NONE = new Result(0, false);
    }

    /**
     * Runs {@code task} for at least {@code minSeconds}, then until the JIT has compiled nothing
     * for a second, at most 20 s more. {@code minSeconds} = 0 does nothing.
     */
    public static Result run(Runnable task, double minSeconds) {
        return run(task, minSeconds, QUIET_NANOS, MAX_EXTRA_NANOS, JitWarmup::compilationMillis);
    }

    /** {@link #run(Runnable, double)} with its times and its JIT clock given (tests). */
    static Result run(
            Runnable task, double minSeconds, long quietNanos, long maxExtraNanos, LongSupplier compiledMillis) {
        requireNonNull(task, "task is null");
        if (!(minSeconds >= 0)) {
            throw new IllegalArgumentException("minSeconds must be at least 0, got " + minSeconds);
        }
        if (minSeconds == 0) {
            return Result.NONE;
        }
        long start = System.nanoTime();
        long min = start + (long) (minSeconds * 1e9);
        long cap = min + maxExtraNanos;
        long compiled = compiledMillis.getAsLong();
        long quietSince = start;
        long now;
        do {
            task.run();
            now = System.nanoTime();
            long c = compiledMillis.getAsLong();
            if (c != compiled) {
                compiled = c;
                quietSince = now;
            }
        } while (now < min || (compiled >= 0 && now - quietSince < quietNanos && now < cap));
        return new Result((now - start) / 1e9, compiled >= 0 && now - quietSince >= quietNanos);
    }

    /** Milliseconds the JIT has spent compiling in this JVM, or -1 when the JVM does not say. */
    public static long compilationMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }
}
