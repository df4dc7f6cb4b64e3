package org.bptt.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.bptt.api.plugin.ConfigurationException;

/**
 * The combinations of settings a sweep trains: a grid (every combination of every setting's
 * values), listed combinations (crossed with a grid), or random draws (Bergstra &amp; Bengio's
 * random search: each setting drawn from its list or range). Values are strings, as a user
 * gives them; a drawn number is written with four significant digits, and that string is what
 * the plan keeps.
 */
public final class Combinations {
    private Combinations() {}

    /** The values a setting takes: a list, or, for random draws, a range. */
    public sealed interface Axis permits Values, Range {}

    /** Listed values, in order. */
    public record Values(List<String> values) implements Axis {
        public Values {
            values = List.copyOf(values);
        }
    }

    /** A range [lo, hi]: uniform, log-uniform, or whole numbers when both ends are whole. */
    public record Range(double lo, double hi, boolean log, boolean whole) implements Axis {}

    /**
     * Reads a setting's values: {@code 0.5,0.9,1.1} (a list), {@code 1e-4..1e-2} (a range, for
     * random draws), {@code log:1e-4..1e-2} (drawn log-uniformly), {@code 32..128} (whole numbers).
     */
    public static Axis axis(String setting, String spec) {
        String s = spec.strip();
        boolean log = s.startsWith("log:");
        String body = log ? s.substring(4) : s;
        int dots = body.indexOf("..");
        if (dots > 0 && !body.contains(",")) {
            String a = body.substring(0, dots).strip();
            String b = body.substring(dots + 2).strip();
            double lo;
            double hi;
            try {
                lo = Double.parseDouble(a);
                hi = Double.parseDouble(b);
            } catch (NumberFormatException e) {
                throw new ConfigurationException(
                        setting + ": the range '" + spec + "' needs two numbers, as in 0.5..1.5");
            }
            if (!(lo < hi) || !Double.isFinite(lo) || !Double.isFinite(hi) || (log && lo <= 0)) {
                throw new ConfigurationException(
                        setting + ": the range '" + spec + "' must go from a smaller to a larger " + "finite number"
                                + (log ? ", both above 0 for log:" : ""));
            }
            return new Range(lo, hi, log, !log && a.matches("[+-]?\\d+") && b.matches("[+-]?\\d+"));
        }
        if (log) {
            throw new ConfigurationException(
                    setting + ": log: takes a range, as in log:1e-4..1e-2, got '" + spec + "'");
        }
        List<String> values = new ArrayList<>();
        for (String v : s.split(",", -1)) {
            if (v.isBlank()) {
                throw new ConfigurationException(
                        setting + ": an empty value in '" + spec + "'; separate values by single commas");
            }
            values.add(v.strip());
        }
        if (new LinkedHashSet<>(values).size() != values.size()) {
            throw new ConfigurationException(setting + ": a value appears twice in '" + spec + "'");
        }
        return new Values(values);
    }

    /** Every combination of the listed values, the first setting varying slowest. */
    public static List<Map<String, String>> grid(Map<String, Axis> axes) {
        long size = 1;
        try {
            for (Axis a : axes.values()) {
                if (a instanceof Values v) {
                    size = Math.multiplyExact(size, v.values().size());
                }
            }
        } catch (ArithmeticException e) {
            size = -1;
        }
        SweepPlan.requireRuns(size, "the grid of " + String.join(" × ", axes.keySet()));
        List<Map<String, String>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (Map.Entry<String, Axis> a : axes.entrySet()) {
            if (!(a.getValue() instanceof Values v)) {
                throw new ConfigurationException(
                        a.getKey() + ": a range can only be drawn from at random; list the values " + "for a grid");
            }
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> partial : out) {
                for (String value : v.values()) {
                    Map<String, String> m = new LinkedHashMap<>(partial);
                    m.put(a.getKey(), value);
                    next.add(m);
                }
            }
            out = next;
        }
        return out;
    }

    /** Each listed combination with each grid combination (a setting in both is refused). */
    public static List<Map<String, String>> cross(List<Map<String, String>> listed, List<Map<String, String>> grid) {
        if (listed.isEmpty()) {
            return grid;
        }
        SweepPlan.requireRuns(
                (long) listed.size() * grid.size(),
                listed.size() + " listed combinations × " + grid.size() + " of the grid");
        List<Map<String, String>> out = new ArrayList<>();
        for (Map<String, String> l : listed) {
            for (Map<String, String> g : grid) {
                for (String k : g.keySet()) {
                    if (l.containsKey(k)) {
                        throw new ConfigurationException(
                                k + " is set both in a listed combination and in the grid; set it " + "in one place");
                    }
                }
                Map<String, String> m = new LinkedHashMap<>(l);
                m.putAll(g);
                out.add(m);
            }
        }
        return out;
    }

    /** {@code n} combinations drawn from a generator seeded with {@code seed}: the same draws for the same seed. */
    public static List<Map<String, String>> random(Map<String, Axis> axes, int n, long seed) {
        if (n < 1 || n > SweepPlan.MAX_RUNS) {
            throw new ConfigurationException("the number of random draws must be between 1 and " + SweepPlan.MAX_RUNS
                    + " (the most runs one sweep may hold), got " + n);
        }
        SplittableRandom r = new SplittableRandom(seed);
        List<Map<String, String>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, String> m = new LinkedHashMap<>();
            for (Map.Entry<String, Axis> a : axes.entrySet()) {
                m.put(a.getKey(), draw(a.getValue(), r));
            }
            out.add(m);
        }
        return out;
    }

    private static String draw(Axis axis, SplittableRandom r) {
        if (axis instanceof Values v) {
            return v.values().get(r.nextInt(v.values().size()));
        }
        Range g = (Range) axis;
        if (g.whole()) {
            return Long.toString(r.nextLong((long) g.lo(), (long) g.hi() + 1));
        }
        double x = g.log() ? Math.exp(r.nextDouble(Math.log(g.lo()), Math.log(g.hi()))) : r.nextDouble(g.lo(), g.hi());
        return fourDigits(x);
    }

    /** Four significant digits, without trailing zeros: 0.0003162, 1.25. */
    static String fourDigits(double x) {
        String s = new java.math.BigDecimal(x)
                .round(new java.math.MathContext(4))
                .stripTrailingZeros()
                .toPlainString();
        return s.toLowerCase(Locale.ROOT);
    }
}
