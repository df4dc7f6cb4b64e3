package org.bptt.study;

/** Mean and sample standard deviation of the finite values given. */
public record Stats(int n, double mean, double sd) {
    public static Stats of(double... values) {
        int n = 0;
        double sum = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                n++;
                sum += v;
            }
        }
        if (n == 0) {
            return new Stats(0, Double.NaN, Double.NaN);
        }
        double mean = sum / n;
        double ss = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                ss += (v - mean) * (v - mean);
            }
        }
        double sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
        // Equal values give a rounding residue (8.5e-18 for 0.05 thrice), not a spread.
        return new Stats(n, mean, sd <= 1e-12 * Math.abs(mean) ? 0 : sd);
    }

    /** A spread needs two significant digits, not four. */
    static String twoDigits(double v) {
        if (v == 0 || !Double.isFinite(v)) {
            return v == 0 ? "0" : Html.num(v);
        }
        double a = Math.abs(v);
        return a >= 1e5 || a < 1e-3
                ? String.format(java.util.Locale.ROOT, "%.1e", v)
                : new java.math.BigDecimal(v)
                        .round(new java.math.MathContext(2))
                        .stripTrailingZeros()
                        .toPlainString();
    }

    /** "0.1234 ± 0.0056", or the value alone for one run, or blank for none. */
    public String text() {
        if (n == 0) {
            return "";
        }
        return n == 1 ? Html.num(mean) : Html.num(mean) + " ± " + twoDigits(sd);
    }
}
