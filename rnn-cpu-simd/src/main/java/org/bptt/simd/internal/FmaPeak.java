package org.bptt.simd.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * One core's FMA peak at the preferred vector width, measured: a loop of fused multiply-adds
 * on values that never leave registers, twelve independent chains (FMA latency 4 cycles × 2
 * units = 8 in flight on current x86; 12 + 2 operands fit the 16 registers of AVX2). What the
 * GEMMs and training steps are compared against: their GFLOP/s divided by this.
 */
public final class FmaPeak {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int CHAINS = 12;

    private FmaPeak() {}

    /**
     * GFLOP/s of one core. Runs of about {@code millis} ms each are timed until the JIT has
     * compiled the loop (the best of the last five within 2 % of the best of the five before,
     * at most ten seconds; a busy machine's compiler queue can lag by seconds), and the best run
     * counts.
     */
    public static double measure(int millis) {
        // Many short calls first: C2 compiles a method after enough calls, while one long call would
        // run interpreted (every vector boxed) until an on-stack replacement, steadily slow, which
        // the settling test below could take for the peak.
        long start = System.nanoTime();
        for (int calls = 0; calls < 20_000 || System.nanoTime() - start < 500_000_000L; calls++) {
            sink += loop(64);
            if (System.nanoTime() - start > 5_000_000_000L) {
                break;
            }
        }
        long iterations = 1 << 12;
        long target = millis * 1_000_000L;
        start = System.nanoTime();
        double[] rates = new double[10];
        int runs = 0;
        while (true) {
            long t0 = System.nanoTime();
            sink += loop(iterations);
            long t = Math.max(1, System.nanoTime() - t0);
            if (t < target / 2 && iterations < 1L << 40) {
                iterations *= 2;
                continue;
            }
            rates[runs % 10] = 2.0 * CHAINS * S.length() * iterations / t;
            runs++;
            if (runs >= 10) {
                double recent = 0, before = 0;
                for (int j = 0; j < 5; j++) {
                    recent = Math.max(recent, rates[(runs - 1 - j) % 10]);
                    before = Math.max(before, rates[(runs - 6 - j) % 10]);
                }
                if (recent <= 1.02 * before || System.nanoTime() - start > 10_000_000_000L) {
                    return Math.max(recent, before);
                }
            }
        }
    }

    /** Keeps the loop's result alive. */
    static volatile float sink;

    /** c ← c·a + b in twelve chains; converges to b/(1−a), so values stay normal. */
    private static float loop(long n) {
        FloatVector a = FloatVector.broadcast(S, 0.999f);
        FloatVector b = FloatVector.broadcast(S, 0.001f);
        FloatVector c0 = FloatVector.broadcast(S, 0.1f), c1 = FloatVector.broadcast(S, 0.2f);
        FloatVector c2 = FloatVector.broadcast(S, 0.3f), c3 = FloatVector.broadcast(S, 0.4f);
        FloatVector c4 = FloatVector.broadcast(S, 0.5f), c5 = FloatVector.broadcast(S, 0.6f);
        FloatVector c6 = FloatVector.broadcast(S, 0.7f), c7 = FloatVector.broadcast(S, 0.8f);
        FloatVector c8 = FloatVector.broadcast(S, 0.9f), c9 = FloatVector.broadcast(S, 1.1f);
        FloatVector c10 = FloatVector.broadcast(S, 1.2f), c11 = FloatVector.broadcast(S, 1.3f);
        for (long i = 0; i < n; i++) {
            c0 = c0.fma(a, b);
            c1 = c1.fma(a, b);
            c2 = c2.fma(a, b);
            c3 = c3.fma(a, b);
            c4 = c4.fma(a, b);
            c5 = c5.fma(a, b);
            c6 = c6.fma(a, b);
            c7 = c7.fma(a, b);
            c8 = c8.fma(a, b);
            c9 = c9.fma(a, b);
            c10 = c10.fma(a, b);
            c11 = c11.fma(a, b);
        }
        return c0.add(c1)
                .add(c2)
                .add(c3)
                .add(c4)
                .add(c5)
                .add(c6)
                .add(c7)
                .add(c8)
                .add(c9)
                .add(c10)
                .add(c11)
                .lane(0);
    }
}
