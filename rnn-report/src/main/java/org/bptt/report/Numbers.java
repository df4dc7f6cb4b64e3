package org.bptt.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** Number formatting shared by the charts and the HTML, locale-independent so reports read the same everywhere. */
final class Numbers {

    private Numbers() {}

    /**
     * Three significant digits, plain notation for 0.001 &le; |x| &lt; 10000 (e.g. "0.0123", "1.23", "456"),
     * scientific otherwise ("1.5e-07"); "NaN", "∞" and "-∞" for the non-finite values.
     */
    static String fmt(double x) {
        if (Double.isNaN(x)) {
            return "NaN";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "∞" : "-∞";
        }
        if (x == 0) {
            return "0";
        }
        double a = Math.abs(x);
        if (a >= 1e-3 && a < 1e4) {
            return new BigDecimal(x)
                    .round(new MathContext(3))
                    .stripTrailingZeros()
                    .toPlainString();
        }
        return String.format(Locale.ROOT, "%.2e", x)
                .replace("e+0", "e")
                .replace("e-0", "e-")
                .replace("e+", "e");
    }

    /** A percentage rounded to an integer, e.g. "34%"; below 1% but above zero says "<1%" so rare events show. */
    static String percent(long part, long whole) {
        if (whole == 0) {
            return "0%";
        }
        double p = 100.0 * part / whole;
        if (p > 0 && p < 1) {
            return "<1%";
        }
        return Math.round(p) + "%";
    }

    /**
     * SVG coordinates to two decimals: JFreeSVG writes full double precision by default, which triples the size of
     * a chart with many points for no visible gain.
     */
    static String svg(double d) {
        if (!Double.isFinite(d)) {
            return "0";
        }
        long r = Math.round(d * 100);
        long whole = Math.abs(r) / 100;
        long frac = Math.abs(r) % 100;
        String sign = r < 0 ? "-" : "";
        if (frac == 0) {
            return sign + whole;
        }
        return sign + whole + (frac < 10 ? ".0" + frac : "." + (frac % 10 == 0 ? frac / 10 : frac));
    }
}
