package org.bptt.simd.internal;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times two ways of doing the same work against each other in one process, interleaved: round
 * after round, each workload runs once way A then way B (B first in every other round), and the
 * ratio B/A of each pair is kept. Both ways see the same machine within milliseconds, so load
 * from other processes, frequency changes and drift cancel in the ratios, which a comparison of
 * two separate runs would not survive on a shared machine. The verdict per workload is the
 * median ratio; over workloads, their geometric mean.
 */
public final class PairedTiming {
    private PairedTiming() {}

    /**
     * @param ratio    geometric mean over workloads of the median B/A ratio (below 1: B is faster)
     * @param ratios   the median B/A ratio per workload
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
    public static Outcome compare(List<String> names, List<Runnable> a, List<Runnable> b, int rounds, double targetMillis) {
        int n = names.size();
        int[] reps = new int[n];
        for (int i = 0; i < n; i++) {
            // Warm-up until the JIT has compiled both ways: at least 3 runs and 0.3 s each.
            long until = System.nanoTime() + 300_000_000L;
            int runs = 0;
            while (runs < 3 || System.nanoTime() < until) {
                a.get(i).run();
                b.get(i).run();
                runs++;
            }
            long t = Math.max(1, Math.min(time(a.get(i), 1), time(b.get(i), 1)));
            reps[i] = (int) Math.max(1, Math.min(100_000, Math.ceil(targetMillis * 1e6 / t)));
        }
        double[][] r = new double[n][rounds];
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < n; i++) {
                long ta, tb;
                if (round % 2 == 0) {
                    ta = time(a.get(i), reps[i]);
                    tb = time(b.get(i), reps[i]);
                } else {
                    tb = time(b.get(i), reps[i]);
                    ta = time(a.get(i), reps[i]);
                }
                r[i][round] = (double) tb / Math.max(1, ta);
            }
        }
        Map<String, Double> ratios = new LinkedHashMap<>();
        Map<String, Double> wins = new LinkedHashMap<>();
        double logSum = 0;
        for (int i = 0; i < n; i++) {
            double[] sorted = r[i].clone();
            Arrays.sort(sorted);
            double median = rounds % 2 == 1 ? sorted[rounds / 2] : (sorted[rounds / 2 - 1] + sorted[rounds / 2]) / 2;
            ratios.put(names.get(i), median);
            wins.put(names.get(i), Arrays.stream(r[i]).filter(x -> x < 1).count() / (double) rounds);
            logSum += Math.log(median);
        }
        return new Outcome(Math.exp(logSum / n), ratios, wins);
    }

    private static long time(Runnable work, int reps) {
        long t0 = System.nanoTime();
        for (int k = 0; k < reps; k++) {
            work.run();
        }
        return System.nanoTime() - t0;
    }
}
