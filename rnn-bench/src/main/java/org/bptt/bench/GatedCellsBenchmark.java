package org.bptt.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bptt.api.kernel.Backends;
import org.bptt.api.kernel.Kernels;
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
 * The GRU and LSTM of examples/gated-cells: whole training steps of the reference script's
 * W1 workloads ({@code torch_rnn_step.py --cell gru|lstm}), built by {@link ReferenceStep} as
 * {@code rnn bench --cell} builds them, and their element-wise kernels scalar beside SIMD,
 * over the rows of one step (B = 32) at H = 64, 256 and an awkward 207.
 * Flops per step: {@link ReferenceStep#stepFlops()}.
 */
public class GatedCellsBenchmark {

    /** A whole training step. */
    @State(Scope.Benchmark)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    @Fork(1) // the JVM options: BenchMain appends those of the one file (org.bptt.simd.JvmOptions)
    public static class Step {
        @Param({"gru", "lstm"})
        public String cell;

        @Param({"W1-64", "W1-256"})
        public String workload;

        @Param({"simd"})
        public String backend;

        @Param({"1", "2"})
        public int threads;

        private ReferenceStep step;

        @Setup(Level.Trial)
        public void setUp() {
            step = ReferenceStep.create(ReferenceStep.Workload.named(workload), cell, backend, threads, 0L);
        }

        /** One training step; the loss is returned so that the JIT cannot drop the work. */
        @Benchmark
        public double trainStep() {
            return step.step().loss();
        }
    }

    /** Operands of one step's element-wise work: B rows of gates, states and their gradients. */
    @State(Scope.Thread)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Warmup(iterations = 2, time = 1)
    @Measurement(iterations = 3, time = 1)
    @Fork(1) // the JVM options: BenchMain appends those of the one file (org.bptt.simd.JvmOptions)
    public static class Elementwise {
        @Param({"64", "207", "256"})
        public int hidden;

        @Param({"scalar", "simd"})
        public String backend;

        static final int ROWS = 32;
        Kernels k;
        float[] gates;
        float[] ghn;
        float[] states;
        float[] dStates;
        float[] dGates;

        @Setup(Level.Trial)
        public void setUp() {
            k = Backends.select(backend.equals("scalar") ? "scalar" : "simd", 1);
            if (!backend.equals(k.name())) {
                throw new IllegalStateException("the SIMD backend is not available in this fork");
            }
            SplittableRandom r = new SplittableRandom(1);
            int h = hidden;
            gates = fill(r, ROWS * 5 * h, 0.05, 0.95);
            ghn = fill(r, ROWS * h, -1, 1);
            states = fill(r, 2 * ROWS * 2 * h, -1, 1);
            dStates = fill(r, 2 * ROWS * 2 * h, -1, 1);
            dGates = new float[ROWS * 4 * h];
        }

        private static float[] fill(SplittableRandom r, int n, double lo, double hi) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = (float) (lo + r.nextDouble() * (hi - lo));
            }
            return x;
        }

        /** h = n + z·(h_prev − n) over B×H. */
        @Benchmark
        public float gruUpdate() {
            int h = hidden;
            k.gruUpdate(ROWS, h, gates, h, 3 * h, gates, 2 * h, 3 * h, states, 0, h, states, ROWS * h, h);
            return states[ROWS * h];
        }

        /** The gate gradients of one GRU step, B×H. */
        @Benchmark
        public float gruBackward() {
            int h = hidden;
            k.gruBackward(
                    ROWS, h, gates, 0, 3 * h, ghn, 0, h, states, 0, h, dStates, ROWS * h, h, dGates, 0, 4 * h, dStates,
                    0, h);
            return dGates[0];
        }

        /** c, tanh c and h of one LSTM step, B×H (one tanh per element). */
        @Benchmark
        public float lstmUpdate() {
            int h = hidden;
            int slot = ROWS * 2 * h;
            k.lstmUpdate(
                    ROWS, h, gates, 0, 5 * h, states, h, 2 * h, states, slot + h, 2 * h, gates, 4 * h, 5 * h, states,
                    slot, 2 * h);
            return states[slot];
        }

        /** The gate gradients of one LSTM step, B×H. */
        @Benchmark
        public float lstmBackward() {
            int h = hidden;
            int slot = ROWS * 2 * h;
            k.lstmBackward(
                    ROWS, h, gates, 0, 5 * h, gates, 4 * h, 5 * h, states, h, 2 * h, dStates, slot, 2 * h, dStates,
                    slot + h, 2 * h, dGates, 0, 4 * h, dStates, h, 2 * h);
            return dGates[0];
        }
    }
}
