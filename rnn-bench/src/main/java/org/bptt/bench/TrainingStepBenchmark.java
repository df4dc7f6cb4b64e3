package org.bptt.bench;

import java.util.concurrent.TimeUnit;
import org.bptt.training.bench.ReferenceStep;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One whole training step (forward, cross-entropy at every step, full BPTT, clip-norm 1.0,
 * SGD) of the PyTorch reference script's workloads, built by {@link ReferenceStep} exactly as
 * {@code rnn bench} builds it. Flops per step: {@link ReferenceStep.Workload#stepFlops()}.
 *
 * <p>Scalar W1-1024 takes seconds per step; it is kept, since a JMH iteration always runs
 * at least one step, but with few iterations its error bar is wide. Exclude it with
 * {@code -p workload=W1-64,W1-256,W2} for a quick run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// The Vector API module for the SIMD backend; the collector ./rnn runs.
@Fork(1) // the JVM options: BenchMain appends those of the one file (org.bptt.simd.JvmOptions)
public class TrainingStepBenchmark {

    /** W1-H: I = O = 64, B = 32, T = 100; W2: one-hot I = O = 65, H = 128, B = 1, T = 25. */
    @Param({"W1-64", "W1-256", "W1-1024", "W2"})
    public String workload;

    @Param({"scalar", "simd"})
    public String backend;

    /** Kernel threads; the scalar backend always runs on one. */
    @Param({"1", "2"})
    public int threads;

    private ReferenceStep step;

    @Setup(Level.Trial)
    public void setUp() {
        // Fails the trial (and JMH goes on to the next) when the simd backend is not usable in this JVM.
        step = ReferenceStep.create(ReferenceStep.Workload.named(workload), backend, threads, 0L);
    }

    /** One training step on the fixed batch; the loss is returned so that the JIT cannot drop the work. */
    @Benchmark
    public double trainStep() {
        return step.step().loss();
    }
}
