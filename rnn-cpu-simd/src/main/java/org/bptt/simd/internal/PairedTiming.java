package org.bptt.simd.internal;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Times two ways of doing the same work against each other in one process, interleaved: round
 * after round, each workload runs once way A then way B (B first in every other round), and the
 * ratio B/A of each pair is kept. Both ways see the same machine within milliseconds, so load
 * from other processes, frequency changes and drift reach both alike, which a comparison of
 * two separate runs would not survive on a shared machine. Other load only ever adds time, so
 * the verdict per workload is the ratio of the two ways' fastest timings (each had as many
 * chances at a quiet moment); over workloads, their geometric mean. Before timing, both ways
 * run until their own timings settle, so the JIT has compiled them.
 */
public final class PairedTiming {
    private PairedTiming() {}

    /**
     * @param ratio    geometric mean over workloads of the B/A ratios (below 1: B is faster)
     * @param ratios   per workload, B's fastest timing over A's
     * @param wins     per workload, the fraction of rounds in which B was faster
     */
    public record Outcome(double ratio, Map<String, Double> ratios, Map<String, Double> wins) {}

    /**
     * @param names        a name per workload
     * @param a            way A of each workload (one run of the work)
     * @param b            way B of each workload
     * @param rounds       pairs timed per workload
     * @param targetMillis each timing repeats a workload until it lasts about this long
     */
    public static Outcome compare(
            List<String> names, List<Runnable> a, List<Runnable> b, int rounds, double targetMillis) {
        return compare(names, a, b, rounds, targetMillis, System::nanoTime);
    }

    /** As {@link #compare(List, List, List, int, double)}, reading time in nanoseconds from {@code clock}. */
    public static Outcome compare(
            List<String> names,
            List<Runnable> a,
            List<Runnable> b,
            int rounds,
            double targetMillis,
            LongSupplier clock) {
        int n = names.size();
        int[] reps = new int[n];
        for (int i = 0; i < n; i++) {
            long t = Math.max(1, Math.min(settle(a.get(i), clock), settle(b.get(i), clock)));
            reps[i] = (int) Math.max(1, Math.min(100_000, Math.ceil(targetMillis * 1e6 / t)));
        }
        long[][] ta = new long[n][rounds];
        long[][] tb = new long[n][rounds];
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < n; i++) {
                if (round % 2 == 0) {
                    ta[i][round] = time(a.get(i), reps[i], clock);
                    tb[i][round] = time(b.get(i), reps[i], clock);
                } else {
                    tb[i][round] = time(b.get(i), reps[i], clock);
                    ta[i][round] = time(a.get(i), reps[i], clock);
                }
            }
        }
        Map<String, Double> ratios = new LinkedHashMap<>();
        Map<String, Double> wins = new LinkedHashMap<>();
        double logSum = 0;
        for (int i = 0; i < n; i++) {
            double ratio = (double) Arrays.stream(tb[i]).min().orElseThrow()
                    / Math.max(1, Arrays.stream(ta[i]).min().orElseThrow());
            ratios.put(names.get(i), ratio);
            int won = 0;
            for (int round = 0; round < rounds; round++) {
                won += tb[i][round] < ta[i][round] ? 1 : 0;
            }
            wins.put(names.get(i), won / (double) rounds);
            logSum += Math.log(ratio);
        }
        return new Outcome(Math.exp(logSum / n), ratios, wins);
    }

    /**
     * Runs {@code work} until the JIT has compiled it: at least 0.2 s, then until the fastest of
     * the last five runs is within 3 % of the fastest of the five before, at most 5 s. Returns
     * the fastest run's nanoseconds.
     */
    private static long settle(Runnable work, LongSupplier clock) {
        long start = clock.getAsLong();
        long[] last = new long[10];
        int runs = 0;
        while (true) {
            last[runs % 10] = time(work, 1, clock);
            runs++;
            long elapsed = clock.getAsLong() - start;
            if (runs >= 10 && elapsed > 200_000_000L) {
                long recent = Long.MAX_VALUE, before = Long.MAX_VALUE;
                for (int j = 0; j < 5; j++) {
                    recent = Math.min(recent, last[(runs - 1 - j) % 10]);
                    before = Math.min(before, last[(runs - 6 - j) % 10]);
                }
                if (recent >= 0.97 * before || elapsed > 5_000_000_000L) {
                    return Math.min(recent, before);
                }
            }
        }
    }

    private static long time(Runnable work, int reps, LongSupplier clock) {
        long t0 = clock.getAsLong();
        for (int k = 0; k < reps; k++) {
            work.run();
        }
        return clock.getAsLong() - t0;
    }
}
