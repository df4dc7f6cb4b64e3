package org.bptt.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bptt.api.kernel.Activation;
import org.bptt.api.kernel.Backends;
import org.bptt.api.kernel.Kernels;
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
 * Every kernel family, scalar beside SIMD (one thread each). GEMM shapes are written
 * m x n x k and are the ones training runs: X·Uᵀ (3200x256x64), per-step H·Wᵀ and Δ·W
 * (32xHxH), the gradient Δᵀ·H (256x256x3200), the readout (3200x64x256), an awkward 207³,
 * and a single sequence (1x128x65). GFLOP/s = 2·m·n·k / time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1) // the JVM options: BenchMain appends those of the one file (org.bptt.simd.JvmOptions)
public class KernelsBenchmark {

    private static final Kernels SCALAR = org.bptt.api.kernel.Backends.select("scalar", 1);

    private static Kernels simd() {
        Kernels k = Backends.select("simd", 1);
        if (!"simd".equals(k.name())) {
            throw new IllegalStateException("the SIMD backend is not available in this fork");
        }
        return k;
    }

    private static float[] random(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return x;
    }

    /** Operands sized for all three GEMMs at one m x n x k. */
    @State(Scope.Thread)
    public static class Gemm {
        @Param({"3200x256x64", "32x256x256", "32x1024x1024", "256x256x3200", "3200x64x256", "207x207x207", "1x128x65"})
        public String shape;

        int m, n, k;
        float[] a, b, c;
        /** b packed once by each backend, as the cell packs W once per window. */
        float[] bPackedScalar, bPackedSimd;

        Kernels simd;

        @Setup(Level.Trial)
        public void setUp() {
            String[] p = shape.split("x");
            m = Integer.parseInt(p[0]);
            n = Integer.parseInt(p[1]);
            k = Integer.parseInt(p[2]);
            SplittableRandom rnd = new SplittableRandom(1);
            a = random(rnd, m * k); // m×k, and read as k×m for multAddTransA
            b = random(rnd, k * n); // k×n, and read as n×k for multAddTransB
            c = random(rnd, m * n);
            simd = simd();
            bPackedScalar = new float[SCALAR.packedSize(k, n)];
            SCALAR.packB(k, n, b, 0, n, bPackedScalar);
            bPackedSimd = new float[simd.packedSize(k, n)];
            simd.packB(k, n, b, 0, n, bPackedSimd);
        }
    }

    @Benchmark
    public float[] multAddTransBScalar(Gemm s) {
        SCALAR.multAddTransB(s.m, s.n, s.k, s.a, 0, s.k, s.b, 0, s.k, s.c, 0, s.n);
        return s.c;
    }

    @Benchmark
    public float[] multAddTransBSimd(Gemm s) {
        s.simd.multAddTransB(s.m, s.n, s.k, s.a, 0, s.k, s.b, 0, s.k, s.c, 0, s.n);
        return s.c;
    }

    @Benchmark
    public float[] multAddScalar(Gemm s) {
        SCALAR.multAdd(s.m, s.n, s.k, s.a, 0, s.k, s.b, 0, s.n, s.c, 0, s.n);
        return s.c;
    }

    @Benchmark
    public float[] multAddSimd(Gemm s) {
        s.simd.multAdd(s.m, s.n, s.k, s.a, 0, s.k, s.b, 0, s.n, s.c, 0, s.n);
        return s.c;
    }

    @Benchmark
    public float[] multAddPackedScalar(Gemm s) {
        SCALAR.multAddPacked(s.m, s.n, s.k, s.a, 0, s.k, s.bPackedScalar, s.c, 0, s.n);
        return s.c;
    }

    @Benchmark
    public float[] multAddPackedSimd(Gemm s) {
        s.simd.multAddPacked(s.m, s.n, s.k, s.a, 0, s.k, s.bPackedSimd, s.c, 0, s.n);
        return s.c;
    }

    @Benchmark
    public float[] multAddTransAScalar(Gemm s) {
        SCALAR.multAddTransA(s.m, s.n, s.k, s.a, 0, s.m, s.b, 0, s.n, s.c, 0, s.n);
        return s.c;
    }

    @Benchmark
    public float[] multAddTransASimd(Gemm s) {
        s.simd.multAddTransA(s.m, s.n, s.k, s.a, 0, s.m, s.b, 0, s.n, s.c, 0, s.n);
        return s.c;
    }

    /** Element-wise operands: a batch×hidden block as one flat run. */
    @State(Scope.Thread)
    public static class Vec {
        @Param({"207", "32768"})
        public int n;

        float[] x, y, h, bias, out;
        Kernels simd;

        @Setup(Level.Trial)
        public void setUp() {
            SplittableRandom rnd = new SplittableRandom(2);
            x = random(rnd, n);
            y = random(rnd, n);
            h = random(rnd, n);
            bias = random(rnd, n);
            out = new float[n];
            simd = simd();
        }
    }

    // addBiasActivate overwrites x; the tanh of a value in (-1, 1) stays there, so repeated calls stay representative.
    @Benchmark
    public float[] addBiasTanhScalar(Vec s) {
        SCALAR.addBiasActivate(Activation.TANH, 1, s.n, s.x, 0, s.n, s.bias, 0);
        return s.x;
    }

    @Benchmark
    public float[] addBiasTanhSimd(Vec s) {
        s.simd.addBiasActivate(Activation.TANH, 1, s.n, s.x, 0, s.n, s.bias, 0);
        return s.x;
    }

    @Benchmark
    public float[] activationBackwardScalar(Vec s) {
        SCALAR.activationBackward(Activation.TANH, s.n, s.h, 0, s.y, 0, s.out, 0);
        return s.out;
    }

    @Benchmark
    public float[] activationBackwardSimd(Vec s) {
        s.simd.activationBackward(Activation.TANH, s.n, s.h, 0, s.y, 0, s.out, 0);
        return s.out;
    }

    @Benchmark
    public double sumOfSquaresScalar(Vec s) {
        return SCALAR.sumOfSquares(s.n, s.x, 0);
    }

    @Benchmark
    public double sumOfSquaresSimd(Vec s) {
        return s.simd.sumOfSquares(s.n, s.x, 0);
    }

    @Benchmark
    public float[] axpyScalar(Vec s) {
        SCALAR.axpy(s.n, 1e-3f, s.x, 0, s.out, 0);
        return s.out;
    }

    @Benchmark
    public float[] axpySimd(Vec s) {
        s.simd.axpy(s.n, 1e-3f, s.x, 0, s.out, 0);
        return s.out;
    }
}
