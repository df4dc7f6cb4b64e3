package org.bptt.training.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.StepResult;
import org.bptt.training.bench.ReferenceStep.Workload;
import org.bptt.training.plugin.Plugins;

/**
 * The reference training step, timed as {@code ../shared/bench/torch_rnn_step.py} times it: a twin
 * trained until the JIT is idle, then untimed steps, then timed ones on the same batch; the
 * upper median as the script takes it.
 *
 * @param workload   the sizes
 * @param cell       the cell plugin's name
 * @param backend    auto, scalar or simd
 * @param threads    kernel threads
 * @param seed       fixes the initialization and the data
 * @param iterations timed steps, at least 1
 * @param warmup     untimed steps before them
 * @param jitWarmup  least seconds of training a twin first, 0 to skip
 */
public record StepBenchmark(
        Workload workload,
        String cell,
        org.bptt.training.Layers layers,
        String backend,
        int threads,
        long seed,
        int iterations,
        int warmup,
        double jitWarmup) {

    /** Told of the timed steps as they go (a long run shows progress). */
    @FunctionalInterface
    public interface Progress {
        /** Step {@code done} of {@code total} took {@code nanos}; called only once the run is expected to be long. */
        void timed(int done, int total, long nanos);

        Progress NONE = (done, total, nanos) -> {};
    }

    /** A run expected to last longer than this reports its progress. */
    private static final long PROGRESS_AFTER_NANOS = 3_000_000_000L;

    private static final long PROGRESS_EVERY_NANOS = 1_000_000_000L;

    /**
     * What was measured.
     *
     * @param step              the timed model (its kernels, its flop count)
     * @param nanos             each timed step's time, in order
     * @param lossFirst         the loss of the first step taken (warm-up or timed)
     * @param lossLast          the loss of the last timed step
     * @param jit               how the JIT warm-up went
     * @param compiledWhileTimed milliseconds the JIT compiled while timing, -1 where the JVM does not say
     */
    public record Result(
            ReferenceStep step,
            long[] nanos,
            double lossFirst,
            double lossLast,
            JitWarmup.Result jit,
            long compiledWhileTimed) {
        /** The upper median in ms, as the reference script takes {@code ts[len // 2]}. */
        public double msMedian() {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            return sorted[nanos.length / 2] / 1e6;
        }

        /** GFLOP/s of the median step, by the script's count. */
        public double gflops() {
            return step.stepFlops() / 1e9 / (msMedian() / 1e3);
        }

        /** The measured fields of a bench result (times, rates, losses, JIT, backend). */
        public void putInto(ObjectNode o) {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            double ms = msMedian();
            o.put("jit_warmup_taken_s", jit.seconds());
            o.put("jit_settled", jit.settled());
            o.put("jit_compile_ms_while_timed", compiledWhileTimed);
            o.put("ms_per_step", ms);
            o.put("ms_mean", Arrays.stream(nanos).average().orElseThrow() / 1e6);
            o.put("ms_min", sorted[0] / 1e6);
            o.put("ms_max", sorted[sorted.length - 1] / 1e6);
            o.put("gflop_per_step", step.stepFlops() / 1e9);
            o.put("gflops", gflops());
            o.put(
                    "timesteps_per_s",
                    (double) step.workload().batch() * step.workload().steps() / (ms / 1e3));
            o.put("backend", step.trainer().kernels().name());
            o.put("vector_bits", step.trainer().kernels().vectorBitSize());
            o.put("loss_first", lossFirst);
            o.put("loss_last", lossLast);
        }
    }

    public StepBenchmark {
        if (iterations < 1 || warmup < 0 || !(jitWarmup >= 0)) {
            throw new IllegalArgumentException(
                    "iterations " + iterations + ", warmup " + warmup + ", jit warm-up " + jitWarmup);
        }
        long rows = (long) workload.steps() * workload.batch();
        int h = workload.hidden();
        for (long n : new long[] {
            (long) h * h,
            (long) h * workload.input(),
            (long) h * workload.output(),
            rows * workload.input(),
            (rows + workload.batch()) * h,
            rows * workload.output(),
            // A stack's state row: the top output and every layer's and direction's state.
            (rows + workload.batch()) * h * (layers.count() + 1L) * layers.directions()
        }) {
            if (n > Integer.MAX_VALUE - 8) {
                throw new ConfigurationException("the workload (" + describe(workload) + ") needs arrays of " + n
                        + " values, more than a Java array can hold; choose smaller sizes");
            }
        }
    }

    /** A bench result's fields, the settings' then the measured ones', added to {@code o} (returned). */
    public ObjectNode result(Result r, ObjectNode o) {
        o.put("system", "rnn-bptt");
        o.put("cell", cell);
        o.put("input", workload.input());
        o.put("hidden", workload.hidden());
        o.put("output", workload.output());
        o.put("batch", workload.batch());
        o.put("steps", workload.steps());
        o.put("layers", layers.count());
        o.put("bidirectional", layers.bidirectional());
        o.put("one_hot", workload.oneHot());
        o.put("iterations", iterations);
        o.put("warmup", warmup);
        o.put("jit_warmup_s", jitWarmup);
        r.putInto(o);
        o.put("threads", threads);
        o.put("java_version", Runtime.version().toString());
        o.put("available_processors", Runtime.getRuntime().availableProcessors());
        return o;
    }

    private static String describe(Workload w) {
        return "I=" + w.input() + ", H=" + w.hidden() + ", O=" + w.output() + ", B=" + w.batch() + ", T=" + w.steps();
    }

    /** Builds, warms up and times; {@code progress} hears of timed steps when the run promises to be long. */
    public Result run(Plugins plugins, Progress progress) {
        ReferenceStep step;
        try {
            step = ReferenceStep.create(workload, cell, layers, backend, threads, seed, plugins);
        } catch (OutOfMemoryError e) {
            throw new ConfigurationException("the workload (" + describe(workload) + ") does not fit in the "
                    + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MB this JVM may use; choose smaller sizes or give the JVM "
                    + "more memory (-Xmx)");
        }
        JitWarmup.Result jit = JitWarmup.Result.NONE;
        if (jitWarmup > 0) {
            // A separate instance, so the timed model's first loss and state are untouched.
            ReferenceStep twin = ReferenceStep.create(workload, cell, layers, backend, threads, seed + 1, plugins);
            jit = JitWarmup.run(twin::step, jitWarmup);
        }
        long start = System.nanoTime();
        double lossFirst = Double.NaN;
        for (int i = 0; i < warmup; i++) {
            double l = step.step().loss();
            if (i == 0) {
                lossFirst = l;
            }
        }
        boolean report = warmup > 0 && (System.nanoTime() - start) / warmup * (long) iterations > PROGRESS_AFTER_NANOS;
        long compiledBefore = JitWarmup.compilationMillis();
        long[] nanos = new long[iterations];
        double lossLast = Double.NaN;
        long lastReport = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            StepResult r = step.step();
            long t1 = System.nanoTime();
            nanos[i] = t1 - t0;
            lossLast = r.loss();
            if (i == 0 && warmup == 0) {
                lossFirst = lossLast;
                report = nanos[0] * (long) iterations > PROGRESS_AFTER_NANOS;
            }
            if (report && t1 - lastReport > PROGRESS_EVERY_NANOS) {
                progress.timed(i + 1, iterations, nanos[i]);
                lastReport = t1;
            }
        }
        long compiledWhileTimed = compiledBefore < 0 ? -1 : JitWarmup.compilationMillis() - compiledBefore;
        return new Result(step, nanos, lossFirst, lossLast, jit, compiledWhileTimed);
    }
}
