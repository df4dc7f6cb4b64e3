package org.bptt.testkit.internal;

/** Comparisons of float results. */
final class Numbers {
    private Numbers() {}

    /** The first index where a and b hold different bits (all NaNs count as equal), or −1. */
    static int firstDifference(float[] a, float[] b) {
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            if (Float.floatToIntBits(a[i]) != Float.floatToIntBits(b[i])) {
                return i;
            }
        }
        return a.length == b.length ? -1 : n;
    }

    /** ‖a − b‖ / max(‖b‖, floor). */
    static double relativeError(double[] a, double[] b, double floor) {
        double d = 0;
        double n = 0;
        for (int i = 0; i < a.length; i++) {
            d += (a[i] - b[i]) * (a[i] - b[i]);
            n += b[i] * b[i];
        }
        return Math.sqrt(d) / Math.max(Math.sqrt(n), floor);
    }

    static double norm(double[] a) {
        double n = 0;
        for (double v : a) {
            n += v * v;
        }
        return Math.sqrt(n);
    }

    static double[] toDouble(float[] a, int from, int to) {
        double[] d = new double[to - from];
        for (int i = 0; i < d.length; i++) {
            d[i] = a[from + i];
        }
        return d;
    }

    /** Short scientific notation for messages: 3.1e-05. */
    static String sci(double d) {
        return String.format(java.util.Locale.ROOT, "%.1e", d);
    }
}
