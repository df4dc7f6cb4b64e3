package org.bptt.training.diag;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * An estimate with a confidence interval: {@code low ≤ estimate ≤ high} at {@code level} (e.g.
 * 0.95). Bootstrap intervals are drawn from a seeded generator, so the same data and seed give
 * the same interval. Immutable.
 *
 * @param estimate the statistic on the data
 * @param low      the interval's lower end
 * @param high     the interval's upper end
 * @param level    the confidence level, in (0, 1)
 */
public record Interval(double estimate, double low, double high, double level) {
    /** Confidence level of every interval the diagnostics print. */
    public static final double LEVEL = 0.95;
    /** Bootstrap resamples per interval: enough that the 2.5% ends move by less than the printed digits. */
    public static final int DRAWS = 2000;
    /** Nothing measured. */
    public static final Interval NONE = new Interval(Double.NaN, Double.NaN, Double.NaN, LEVEL);

    /** A single value, no spread known: the interval is the point. */
    public static Interval point(double v) {
        return new Interval(v, v, v, LEVEL);
    }

    /** Whether there is an estimate at all. */
    public boolean measured() {
        return !Double.isNaN(estimate);
    }

    /** The percentile-bootstrap interval of the median of {@code x} (infinities allowed, NaN left out). */
    public static Interval bootstrapMedian(double[] x, long seed) {
        return bootstrap(x, Interval::median, seed);
    }

    /** The percentile-bootstrap interval of the mean of {@code x} (NaN left out). */
    public static Interval bootstrapMean(double[] x, long seed) {
        return bootstrap(x, a -> Arrays.stream(a).average().orElse(Double.NaN), seed);
    }

    /**
     * The percentile bootstrap (Efron &amp; Tibshirani 1993, ch. 13): the statistic on {@value #DRAWS}
     * resamples with replacement, its 2.5th and 97.5th percentiles.
     */
    static Interval bootstrap(double[] data, ToDoubleFunction<double[]> statistic, long seed) {
        double[] x = Arrays.stream(data).filter(d -> !Double.isNaN(d)).toArray();
        if (x.length == 0) {
            return NONE;
        }
        double est = statistic.applyAsDouble(x);
        SplittableRandom r = new SplittableRandom(seed);
        double[] stats = new double[DRAWS];
        double[] resample = new double[x.length];
        for (int d = 0; d < DRAWS; d++) {
            for (int i = 0; i < x.length; i++) {
                resample[i] = x[r.nextInt(x.length)];
            }
            stats[d] = statistic.applyAsDouble(resample);
        }
        Arrays.sort(stats);
        double tail = (1 - LEVEL) / 2;
        return new Interval(est, quantile(stats, tail), quantile(stats, 1 - tail), LEVEL);
    }

    /** The median; of an even count the mean of the middle two, or the lower one when either is infinite. */
    static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        if (s.length % 2 == 1) {
            return s[m];
        }
        double lo = s[m - 1];
        double hi = s[m];
        return Double.isInfinite(lo) || Double.isInfinite(hi) ? lo : (lo + hi) / 2;
    }

    /** The order statistic at fraction q of sorted values (nearest rank, so infinities stay exact). */
    private static double quantile(double[] sorted, double q) {
        int i = (int) Math.round(q * (sorted.length - 1));
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /**
     * The Wilson score interval of a proportion k/n (Wilson 1927; Brown, Cai &amp; DasGupta 2001
     * recommend it over the normal approximation): right at k = 0 and k = n, where that one collapses.
     */
    public static Interval wilson(long k, long n) {
        if (n <= 0) {
            return NONE;
        }
        double z = 1.959963984540054;
        double p = (double) k / n;
        double z2n = z * z / n;
        double centre = (p + z2n / 2) / (1 + z2n);
        double half = z * Math.sqrt(p * (1 - p) / n + z2n / (4 * n)) / (1 + z2n);
        return new Interval(p, Math.max(0, centre - half), Math.min(1, centre + half), LEVEL);
    }

    /** exp of every end: the interval of e^x from one of x (monotone, so it maps ends to ends). */
    public Interval exp() {
        return new Interval(Math.exp(estimate), Math.exp(low), Math.exp(high), level);
    }
}
