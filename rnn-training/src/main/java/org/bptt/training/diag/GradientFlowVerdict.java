package org.bptt.training.diag;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whether gradients explode, vanish or stay stable through time, decided from the measured
 * gradient flow — the one place that decides it. Every measured curve (‖∂h_{T−1}/∂s_k‖ through
 * the cell's backward pass, ‖∂L/∂h_k‖ as training saw it) is fitted with a geometric law
 * n_k ≈ C·f^(T−1−k): f is the factor by which going back one time step multiplies the gradient.
 * The first curve given decides: f above {@code 1 + }{@link #STABLE_BAND} is exploding, below
 * {@code 1 − }{@link #STABLE_BAND} vanishing, else stable. ρ(W), ‖W‖₂ and the saturation of the
 * units only explain the measurement; they never decide it (tanh saturates, so ρ(W) &gt; 1 is
 * necessary for growth, not sufficient; half of a ReLU's units are off, so its factor is about
 * ρ/√2 for a Gaussian W). Immutable.
 */
public final class GradientFlowVerdict {
    /** |f − 1| within this band per step is stable: ±5% per step, a factor of about 7 over 40 steps. */
    public static final double STABLE_BAND = 0.05;
    /** A unit whose |h| is at least this is saturated: tanh's slope 1 − h² is then below 0.1. */
    public static final double SATURATED = 0.95;

    /** What the measurement says. */
    public enum Regime {
        EXPLODING, VANISHING, STABLE, UNMEASURED;

        /** Lower case, as printed and as in JSON. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One fitted curve.
     *
     * @param quantity  what was measured, in words (e.g. "‖∂h_T/∂s_k‖ through the cell's backward pass")
     * @param factor    the fitted factor per step back in time; +∞ when the curve overflowed, 0 when it reached 0
     * @param steps     T, the curve's length
     * @param sequences how many sequences the factor is the median of
     */
    public record Fit(String quantity, double factor, int steps, int sequences) {
        public Fit {
            requireNonNull(quantity, "quantity is null");
        }

        /** Fits one curve (or the median factor of several). */
        public static Fit of(String quantity, double[]... curves) {
            int steps = Arrays.stream(curves).mapToInt(c -> c.length).max().orElse(0);
            return new Fit(quantity, fitFactor(curves), steps, curves.length);
        }

        /** f^(T−1): the whole change from the last step back to the first. */
        public double span() {
            return Math.pow(factor, Math.max(0, steps - 1));
        }

        public Regime regime() {
            return classify(factor);
        }
    }

    /**
     * How the hidden units sat on the forward pass: the fractions of unit values h with
     * |h| ≥ {@link #SATURATED} (a saturated tanh or sigmoid passes almost no gradient) and with
     * h = 0 exactly (an off ReLU passes none).
     *
     * @param saturated fraction of |h| ≥ {@link #SATURATED}
     * @param off       fraction of h = 0
     * @param maxAbs    the largest |h| seen
     * @param values    how many unit values were counted
     */
    public record Saturation(double saturated, double off, double maxAbs, long values) {
        /** Nothing counted. */
        public static final Saturation NONE = new Saturation(Double.NaN, Double.NaN, Double.NaN, 0);

        /**
         * Whether the units look like those of a bounded activation (tanh, sigmoid): every |h| ≤ 1
         * and almost no exact zeros. Only then is |h| ≥ {@link #SATURATED} saturation; a ReLU's
         * large values are not (its off units are what cut the gradient).
         */
        public boolean bounded() {
            return values > 0 && maxAbs <= 1 && off < 0.05;
        }

        /** Both counts together, weighted by their sizes. */
        public Saturation plus(Saturation o) {
            if (o.values == 0) {
                return this;
            }
            if (values == 0) {
                return o;
            }
            long n = values + o.values;
            return new Saturation((saturated * values + o.saturated * o.values) / n, (off * values + o.off * o.values) / n,
                    Math.max(maxAbs, o.maxAbs), n);
        }

        /**
         * Counts the first {@code hidden} floats of every state row in slots 1 … {@code slots}
         * (slot 0 is the initial state) of a time-major state buffer of {@code rows}×{@code width}
         * rows per slot.
         */
        public static Saturation of(float[] states, int slots, int rows, int width, int hidden) {
            long sat = 0;
            long off = 0;
            long n = 0;
            double max = 0;
            for (int t = 1; t <= slots; t++) {
                for (int r = 0; r < rows; r++) {
                    int o = (t * rows + r) * width;
                    for (int j = 0; j < hidden; j++) {
                        float h = states[o + j];
                        sat += Math.abs(h) >= SATURATED ? 1 : 0;
                        off += h == 0f ? 1 : 0;
                        max = Math.max(max, Math.abs(h));
                        n++;
                    }
                }
            }
            return n == 0 ? NONE : new Saturation((double) sat / n, (double) off / n, max, n);
        }
    }

    private final Regime regime;
    private final List<Fit> fits;
    private final double radius;
    private final double norm;
    private final Saturation saturation;
    private final boolean singleW;

    private GradientFlowVerdict(Regime regime, List<Fit> fits, double radius, double norm, Saturation saturation, boolean singleW) {
        this.regime = regime;
        this.fits = List.copyOf(fits);
        this.radius = radius;
        this.norm = norm;
        this.saturation = saturation;
        this.singleW = singleW;
    }

    /**
     * The verdict of measured curves: {@code fits.get(0)} decides, the others are shown beside it.
     *
     * @param fits       at least one fitted curve, the deciding one first
     * @param spectral   the spectrum of W, or null when the cell has no single square W
     * @param saturation the units' saturation, or null when not measured
     */
    public static GradientFlowVerdict of(List<Fit> fits, Spectral spectral, Saturation saturation) {
        return of(fits, spectral == null ? Double.NaN : spectral.radius(), spectral == null ? Double.NaN : spectral.norm(),
                spectral != null, saturation);
    }

    /** As {@link #of(List, Spectral, Saturation)}, from ρ(W) and ‖W‖₂ as numbers (NaN when unknown). */
    public static GradientFlowVerdict of(List<Fit> fits, double radius, double norm, boolean singleW, Saturation saturation) {
        if (fits.isEmpty()) {
            throw new IllegalArgumentException("a verdict needs at least one measured curve");
        }
        return new GradientFlowVerdict(fits.get(0).regime(), fits, radius, norm, saturation, singleW);
    }

    /** No measurement at all (a run that has not reached its first diagnostic iteration). */
    public static GradientFlowVerdict unmeasured(double radius, double norm, boolean singleW) {
        return new GradientFlowVerdict(Regime.UNMEASURED, List.of(), radius, norm, null, singleW);
    }

    /** Exploding above 1 + {@link #STABLE_BAND}, vanishing below 1 − band, stable between; NaN is unmeasured. */
    public static Regime classify(double factor) {
        if (Double.isNaN(factor)) {
            return Regime.UNMEASURED;
        }
        if (factor > 1 + STABLE_BAND) {
            return Regime.EXPLODING;
        }
        if (factor < 1 - STABLE_BAND) {
            return Regime.VANISHING;
        }
        return Regime.STABLE;
    }

    /**
     * The factor f per step back in time of one curve n_0 … n_{T−1} (n_{T−1} at the last step):
     * exp of the least-squares slope of ln n_k against T−1−k over the finite positive values.
     * A NaN or infinite value means the gradient overflowed: +∞. Values of exactly 0 (underflow,
     * off units) are left out of the fit, and with fewer than two positive values left the
     * factor is 0. A curve shorter than two steps gives NaN.
     */
    public static double fitFactor(double[] norms) {
        int t = norms.length;
        if (t < 2) {
            return Double.NaN;
        }
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        int n = 0;
        boolean zero = false;
        for (int k = 0; k < t; k++) {
            double v = norms[k];
            if (!Double.isFinite(v)) {
                return Double.POSITIVE_INFINITY;
            }
            if (v <= 0) {
                zero = true;
                continue;
            }
            double x = t - 1 - k;
            double y = Math.log(v);
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
            n++;
        }
        if (n < 2) {
            return zero ? 0 : Double.NaN;
        }
        double den = n * sxx - sx * sx;
        return Math.exp((n * sxy - sx * sy) / den);
    }

    /** The median of the curves' factors (NaN factors left out; NaN when none is left). */
    public static double fitFactor(double[][] curves) {
        double[] f = Arrays.stream(curves).mapToDouble(GradientFlowVerdict::fitFactor).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (f.length == 0) {
            return Double.NaN;
        }
        int m = f.length / 2;
        return f.length % 2 == 1 ? f[m] : f[m - 1] == f[m] ? f[m] : Math.sqrt(f[m - 1] * f[m]);
    }

    public Regime regime() { return regime; }
    /** The fitted curves, the deciding one first. */
    public List<Fit> fits() { return fits; }
    /** The deciding factor per step, NaN when unmeasured. */
    public double factor() { return fits.isEmpty() ? Double.NaN : fits.get(0).factor(); }
    /** ρ(W), NaN when the cell has no single W. */
    public double radius() { return radius; }
    /** ‖W‖₂, NaN when the cell has no single W. */
    public double norm() { return norm; }
    /** The units' saturation, or null when not measured. */
    public Saturation saturation() { return saturation; }

    /**
     * The verdict in words: the regime and the factor that decided it, then what explains it.
     * E.g. "vanishing: going back one step multiplies ‖∂h_T/∂s_k‖ by 0.35 (×3.1e-18 over 40
     * steps). ρ(W) = 1.50 is above 1, but 64% of the units are saturated (|h| ≥ 0.95) …".
     */
    public String sentence() {
        if (regime == Regime.UNMEASURED) {
            return "gradient flow not measured yet" + (singleW && Double.isFinite(radius) ? " (ρ(W) = " + num(radius) + ")" : "") + ".";
        }
        Fit d = fits.get(0);
        StringBuilder s = new StringBuilder();
        s.append(regime.word()).append(": going back one step multiplies ").append(d.quantity()).append(" by ").append(factorText(d.factor()));
        if (Double.isFinite(d.factor()) && d.factor() > 0) {
            s.append(" (×").append(num(d.span())).append(" over ").append(d.steps()).append(" steps");
            if (d.sequences() > 1) {
                s.append(", median of ").append(d.sequences()).append(" sequences");
            }
            s.append(')');
        }
        s.append('.');
        String why = explanation();
        if (!why.isEmpty()) {
            s.append(' ').append(why);
        }
        if (fits.size() > 1) {
            List<String> others = new ArrayList<>();
            for (Fit f : fits.subList(1, fits.size())) {
                others.add(f.quantity() + " ×" + factorText(f.factor()) + " per step (" + f.regime().word() + ")");
            }
            s.append(" Also measured: ").append(String.join("; ", others)).append('.');
        }
        return s.toString();
    }

    /** Why the measurement came out as it did: ρ(W), ‖W‖₂ and the units' saturation. */
    public String explanation() {
        if (!singleW) {
            return "This cell has no single recurrent matrix W, so there is no ρ(W) to compare with: the factor is measured "
                    + "through the cell's own backward pass.";
        }
        if (!Double.isFinite(radius)) {
            return "";
        }
        String w = "ρ(W) = " + num(radius) + (Double.isFinite(norm) ? ", ‖W‖₂ = " + num(norm) : "");
        String units = unitsText();
        return switch (regime) {
            case VANISHING -> radius > 1
                    ? w + ": ρ(W) is above 1, yet the gradient shrinks" + (units.isEmpty()
                            ? ", because each step's Jacobian diag(act′)·W is smaller than W (the slope of the activation is below 1)"
                            : ", because " + units) + ". ρ(W) > 1 is necessary for growth, not sufficient."
                    : w + ": W itself contracts (ρ(W) < 1)" + (units.isEmpty() ? "" : ", and " + units) + ".";
            case EXPLODING -> radius > 1
                    ? w + ": W expands (ρ(W) > 1) and the activations pass enough of it on"
                            + (saturation == null || saturation.values() == 0 ? ""
                            : saturation.bounded() ? " (" + pct(saturation.saturated()) + " of the unit values saturated)"
                            : " (" + pct(saturation.off()) + " of the unit values off)") + "."
                    : w + ": the gradient grows although ρ(W) ≤ 1"
                            + (Double.isFinite(norm) && norm > 1 ? " — transient growth through a non-normal W (‖W‖₂ > 1)" : "") + ".";
            case STABLE -> w + ": the per-step factor stays within " + Math.round(STABLE_BAND * 100) + "% of 1"
                    + (units.isEmpty() ? "" : "; " + units) + ".";
            case UNMEASURED -> w + ".";
        };
    }

    /** What the units do to the Jacobian, when it is worth saying (10% or more saturated or off). */
    private String unitsText() {
        if (saturation == null || saturation.values() == 0) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        if (saturation.bounded() && saturation.saturated() >= 0.1) {
            parts.add(pct(saturation.saturated()) + " of the unit values are saturated (|h| ≥ " + SATURATED
                    + ", where tanh's slope 1 − h² is below 0.1)");
        }
        if (saturation.off() >= 0.1) {
            parts.add(pct(saturation.off()) + " of the unit values are off (h = 0, slope 0)");
        }
        return String.join(" and ", parts);
    }

    /** The verdict as one JSON-ready map (NaN and infinities as null, "inf" factors as the string "inf"). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("verdict", regime.word());
        m.put("factor_per_step", json(factor()));
        m.put("stable_band", STABLE_BAND);
        m.put("spectral_radius", json(radius));
        m.put("spectral_norm", json(norm));
        m.put("single_recurrent_matrix", singleW);
        if (saturation != null && saturation.values() > 0) {
            m.put("bounded_activation", saturation.bounded());
            m.put("saturated_fraction", json(saturation.saturated()));
            m.put("off_fraction", json(saturation.off()));
        }
        List<Map<String, Object>> l = new ArrayList<>();
        for (Fit f : fits) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("quantity", f.quantity());
            x.put("factor_per_step", json(f.factor()));
            x.put("verdict", f.regime().word());
            x.put("steps", f.steps());
            x.put("sequences", f.sequences());
            l.add(x);
        }
        m.put("measurements", l);
        m.put("explanation", sentence());
        return m;
    }

    private static Object json(double d) {
        if (Double.isNaN(d)) {
            return null;
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        return d;
    }

    private static String factorText(double f) {
        return f == Double.POSITIVE_INFINITY ? "∞ (it overflowed)" : f == 0 ? "0 (it reached 0)" : num(f);
    }

    /** Three significant digits, scientific when tiny or huge. */
    static String num(double x) {
        if (!Double.isFinite(x)) {
            return Double.isNaN(x) ? "NaN" : x > 0 ? "∞" : "-∞";
        }
        double a = Math.abs(x);
        if (a != 0 && (a < 1e-3 || a >= 1e4)) {
            return String.format(Locale.ROOT, "%.2e", x).replace("e+0", "e").replace("e-0", "e-").replace("e+", "e");
        }
        return new java.math.BigDecimal(x).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    private static String pct(double f) {
        return Math.round(100 * f) + "%";
    }

    @Override
    public String toString() {
        return sentence();
    }
}
