package org.bptt.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs grouped by settings, and a group's curves averaged over its runs (its seeds): at each
 * iteration the mean of the runs that reached it, and a band of one sample standard deviation
 * either side, clipped to the quantity's range (a loss or a norm is never below 0, an accuracy
 * stays within [0, 1]).
 */
final class RunGroups {
    private RunGroups() {}

    /** One metric of one run: its values at its iterations (NaN where none was recorded). */
    record Curve(long[] iterations, double[] values) {}

    /** A group's averaged curve: at each iteration, how many runs, their mean, and the band. */
    record Band(long[] iterations, int[] runs, double[] mean, double[] lower, double[] upper) {}

    /** The range a quantity can take, which a band is clipped to. */
    enum Range {
        NON_NEGATIVE(0, Double.POSITIVE_INFINITY),
        UNIT(0, 1);

        final double low;
        final double high;

        Range(double low, double high) {
            this.low = low;
            this.high = high;
        }
    }

    /**
     * The runs by the values of {@code keys} in their settings, groups in order of their values,
     * runs in the order given; a run without a key is grouped under "—" for it.
     */
    static Map<String, List<RunIndex.Line>> group(List<RunIndex.Line> lines, List<String> keys) {
        Map<String, List<RunIndex.Line>> groups = new TreeMap<>(RunGroups::byValue);
        for (RunIndex.Line l : lines) {
            List<String> parts = new ArrayList<>();
            for (String k : keys) {
                parts.add(k + "=" + l.settings().getOrDefault(k, "—"));
            }
            groups.computeIfAbsent(String.join(", ", parts), x -> new ArrayList<>())
                    .add(l);
        }
        return groups;
    }

    /** Numbers as numbers (k2=5 before k2=10), the rest as text. */
    private static int byValue(String a, String b) {
        String[] x = a.split(", ");
        String[] y = b.split(", ");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            String vx = x[i].substring(x[i].indexOf('=') + 1);
            String vy = y[i].substring(y[i].indexOf('=') + 1);
            int c;
            try {
                c = Double.compare(Double.parseDouble(vx), Double.parseDouble(vy));
            } catch (NumberFormatException e) {
                c = x[i].compareTo(y[i]);
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length) != 0 ? Integer.compare(x.length, y.length) : a.compareTo(b);
    }

    /** The mean and band of {@code curves} at every iteration any of them reached with a finite value. */
    static Band average(List<Curve> curves, Range range) {
        TreeMap<Long, double[]> sums = new TreeMap<>(); // iteration -> {n, Σx}
        for (Curve c : curves) {
            for (int i = 0; i < c.iterations().length; i++) {
                double v = c.values()[i];
                if (Double.isFinite(v)) {
                    double[] s = sums.computeIfAbsent(c.iterations()[i], x -> new double[2]);
                    s[0]++;
                    s[1] += v;
                }
            }
        }
        TreeMap<Long, Double> squares = new TreeMap<>(); // iteration -> Σ(x - mean)², in a second pass for accuracy
        for (Curve c : curves) {
            for (int i = 0; i < c.iterations().length; i++) {
                double v = c.values()[i];
                if (Double.isFinite(v)) {
                    double[] s = sums.get(c.iterations()[i]);
                    double d = v - s[1] / s[0];
                    squares.merge(c.iterations()[i], d * d, Double::sum);
                }
            }
        }
        int n = sums.size();
        long[] it = new long[n];
        int[] runs = new int[n];
        double[] mean = new double[n];
        double[] lower = new double[n];
        double[] upper = new double[n];
        int j = 0;
        for (Map.Entry<Long, double[]> e : sums.entrySet()) {
            double[] s = e.getValue();
            double m = s[1] / s[0];
            double sd = s[0] > 1 ? Math.sqrt(squares.get(e.getKey()) / (s[0] - 1)) : 0;
            it[j] = e.getKey();
            runs[j] = (int) s[0];
            mean[j] = m;
            lower[j] = Math.max(range.low, m - sd);
            upper[j] = Math.min(range.high, m + sd);
            j++;
        }
        return new Band(it, runs, mean, lower, upper);
    }

    /** A band as the page reads it: columns of numbers, null for none. */
    static Map<String, Object> toMap(Band b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("iteration", b.iterations());
        m.put("runs", b.runs());
        m.put("mean", b.mean());
        m.put("lower", b.lower());
        m.put("upper", b.upper());
        return m;
    }
}
