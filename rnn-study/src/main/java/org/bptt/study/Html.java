package org.bptt.study;

import java.util.Locale;

/**
 * Numbers as the study pages and tables print them. The pages themselves are built with the
 * platform's one page skeleton and stylesheet, {@link org.bptt.report.Page}.
 */
public final class Html {
    private Html() {}

    /** Four significant digits, scientific when huge or tiny; blank for NaN. */
    public static String num(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        double a = Math.abs(v);
        return a != 0 && (a >= 1e5 || a < 1e-3)
                ? String.format(Locale.ROOT, "%.3e", v)
                : String.format(Locale.ROOT, "%.4g", v);
    }
}
