package org.bptt.study;

import java.util.Arrays;

/**
 * Tests of a difference between two arms of runs (one setting's two values, seeds repeated):
 * Fisher's exact test on success counts and the Mann–Whitney U test on a figure such as the final
 * loss. Both are a few lines over the hypergeometric law and a counting recursion, not worth a
 * library.
 */
public final class TwoArmTest {
    private TwoArmTest() {}

    /** A p-value, two-sided and one-sided in the direction observed (the arm that did better is better). */
    public record P(double statistic, double twoSided, double oneSided, boolean exact) {}

    /**
     * Fisher's exact test of {@code a} successes in {@code n} runs against {@code b} in {@code m}:
     * the statistic is a's successes; two-sided sums every table no more probable than the one
     * observed (R's {@code fisher.test}, SciPy's {@code fisher_exact}).
     */
    public static P fisher(int a, int n, int b, int m) {
        if (a < 0 || b < 0 || a > n || b > m) {
            throw new IllegalArgumentException(
                    "successes must lie within the runs: " + a + "/" + n + ", " + b + "/" + m);
        }
        int k = a + b;
        int lo = Math.max(0, k - m);
        int hi = Math.min(k, n);
        double observed = hypergeometric(a, n, m, k);
        double two = 0;
        double upper = 0;
        double lower = 0;
        for (int x = lo; x <= hi; x++) {
            double p = hypergeometric(x, n, m, k);
            if (p <= observed * (1 + 1e-7)) {
                two += p;
            }
            if (x >= a) {
                upper += p;
            }
            if (x <= a) {
                lower += p;
            }
        }
        // One-sided toward the arm with the higher observed rate.
        boolean aBetter = (double) a / Math.max(1, n) >= (double) b / Math.max(1, m);
        return new P(a, Math.min(1, two), Math.min(1, aBetter ? upper : lower), true);
    }

    /** The chance that {@code a} or more of the {@code a + b} successes fall in the first arm of {@code n} when the arms do not differ. */
    public static double fisherAtLeast(int a, int n, int b, int m) {
        int k = a + b;
        double p = 0;
        for (int x = a; x <= Math.min(k, n); x++) {
            p += hypergeometric(x, n, m, k);
        }
        return Math.min(1, p);
    }

    /** P(X = x) when k successes fall among n + m runs and X of them in the first n. */
    private static double hypergeometric(int x, int n, int m, int k) {
        return Math.exp(logChoose(n, x) + logChoose(m, k - x) - logChoose(n + m, k));
    }

    private static double logChoose(int n, int k) {
        double s = 0;
        for (int i = 1; i <= k; i++) {
            s += Math.log(n - k + i) - Math.log(i);
        }
        return s;
    }

    /** Largest arms whose U distribution is counted exactly (without ties); larger ones use the normal approximation. */
    static final int EXACT_UP_TO = 20;

    /**
     * The Mann–Whitney U test of {@code x} against {@code y}: U counts the pairs in which x's value
     * is the larger (a tie counts one half). Exact without ties for arms of up to {@value #EXACT_UP_TO};
     * otherwise the normal approximation with the tie correction and a continuity correction (as
     * SciPy's {@code mannwhitneyu}). The one-sided p is toward the arm with the smaller values
     * (a lower loss is better).
     */
    public static P mannWhitney(double[] x, double[] y) {
        int n = x.length;
        int m = y.length;
        if (n == 0 || m == 0) {
            throw new IllegalArgumentException("each arm needs a value");
        }
        double u = 0;
        for (double a : x) {
            for (double b : y) {
                u += a > b ? 1 : a == b ? 0.5 : 0;
            }
        }
        double[] all = new double[n + m];
        System.arraycopy(x, 0, all, 0, n);
        System.arraycopy(y, 0, all, n, m);
        Arrays.sort(all);
        double tieSum = 0;
        boolean ties = false;
        for (int i = 0; i < all.length; ) {
            int j = i;
            while (j < all.length && all[j] == all[i]) {
                j++;
            }
            int t = j - i;
            ties |= t > 1;
            tieSum += (double) t * t * t - t;
            i = j;
        }
        // x smaller is x's U small: the one-sided tail is P(U <= u) when x's values are lower.
        boolean xLower = u <= n * m / 2.0;
        if (!ties && n <= EXACT_UP_TO && m <= EXACT_UP_TO) {
            double[] counts = uCounts(n, m);
            double total = Arrays.stream(counts).sum();
            int ui = (int) u;
            double below = 0;
            double above = 0;
            for (int v = 0; v < counts.length; v++) {
                below += v <= ui ? counts[v] : 0;
                above += v >= ui ? counts[v] : 0;
            }
            double one = (xLower ? below : above) / total;
            return new P(u, Math.min(1, 2 * Math.min(below, above) / total), one, true);
        }
        double mean = n * m / 2.0;
        int nm = n + m;
        double sd = Math.sqrt(n * m / 12.0 * ((nm + 1) - tieSum / ((double) nm * (nm - 1))));
        double z = (Math.abs(u - mean) - 0.5) / sd;
        double tail = sd == 0 ? 0.5 : upperNormal(Math.max(0, z));
        return new P(u, Math.min(1, 2 * tail), tail, false);
    }

    /** How many arrangements of n x's and m y's give each U = 0 … n·m (without ties). */
    static double[] uCounts(int n, int m) {
        // f[i][j][u]: arrangements of i x's and j y's with U = u; the largest value is an x (adds j) or a y (adds 0).
        double[][][] f = new double[n + 1][m + 1][];
        for (int i = 0; i <= n; i++) {
            for (int j = 0; j <= m; j++) {
                double[] c = new double[i * j + 1];
                if (i == 0 || j == 0) {
                    c[0] = 1;
                } else {
                    double[] lastX = f[i - 1][j];
                    double[] lastY = f[i][j - 1];
                    for (int v = 0; v < lastX.length; v++) {
                        c[v + j] += lastX[v];
                    }
                    for (int v = 0; v < lastY.length; v++) {
                        c[v] += lastY[v];
                    }
                }
                f[i][j] = c;
            }
        }
        return f[n][m];
    }

    /** P(Z > z) for a standard normal Z (Abramowitz and Stegun 7.1.26 via erfc; error below 1.5e-7). */
    static double upperNormal(double z) {
        double x = z / Math.sqrt(2);
        double t = 1 / (1 + 0.3275911 * x);
        double erfc = t
                * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
                * Math.exp(-x * x);
        return erfc / 2;
    }
}
