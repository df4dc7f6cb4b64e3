package org.bptt.training.diag;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whether gradients explode, vanish or stay stable through time — the one place that decides it.
 * The decision is on the task's own length T, from the measured gain ‖∂h_{T−1}/∂s_0‖ (how much
 * of a gradient at the last step reaches the first) on held-out sequences: the median gain with
 * its bootstrap interval ({@link Interval}). The interval above ×{@value #EXPLODING_GAIN} is
 * exploding, below ×{@value #VANISHING_GAIN} vanishing, inside [×0.1, ×10] stable; an interval
 * that reaches across either bound is undecided. A per-step band would move the wrong way with T
 * (5% a step is ×1.6 over 10 steps and ×130 over 100).
 *
 * <p>The rest explains the gain: the fitted factor per step f (n_k ≈ C·f^(T−1−k)), the largest
 * Lyapunov exponent λ₁ (the rate the gain approaches as T grows, {@link Lyapunov}), ρ(W), ‖W‖₂
 * and the saturation of the units. They never decide (tanh saturates, so ρ(W) &gt; 1 is
 * necessary for growth, not sufficient; half of a ReLU's units are off, so its factor is about
 * ρ/√2 for a Gaussian W). Immutable.
 */
public final class GradientFlowVerdict {
    /** A gain over T whose whole interval lies above this is exploding. */
    public static final double EXPLODING_GAIN = 10;
    /** A gain over T whose whole interval lies below this is vanishing. */
    public static final double VANISHING_GAIN = 0.1;
    /** A unit whose |h| is at least this is saturated: tanh's slope 1 − h² is then below 0.1. */
    public static final double SATURATED = 0.95;

    /** What the measurement says. */
    public enum Regime {
        EXPLODING,
        VANISHING,
        STABLE,
        UNDECIDED,
        UNMEASURED;

        /** Lower case, as printed and as in JSON. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The measured gain over the sequence, with its interval.
     *
     * @param quantity  what was measured, in words
     * @param gain      the median gain over T with its interval; +∞ when a product overflowed, 0 when it reached 0
     * @param steps     T
     * @param sequences how many sequences the median is over
     * @param heldOut   whether they were held-out sequences (else training-like draws, or one recorded curve)
     */
    public record Gain(String quantity, Interval gain, int steps, int sequences, boolean heldOut) {
        public Gain {
            requireNonNull(quantity, "quantity is null");
            requireNonNull(gain, "gain is null");
        }

        /**
         * The median of per-sequence gains and its bootstrap interval (of the logarithms, so 0 and
         * +∞ are kept); a NaN gain (a product that overflowed) counts as +∞.
         */
        public static Gain of(String quantity, double[] gains, int steps, boolean heldOut, long seed) {
            double[] logs = Arrays.stream(gains)
                    .map(g -> Double.isNaN(g) ? Double.POSITIVE_INFINITY : Math.log(g))
                    .toArray();
            return new Gain(quantity, Interval.bootstrapMedian(logs, seed).exp(), steps, gains.length, heldOut);
        }

        /** The gain n_0 / n_{T−1} of one recorded curve: one figure, no interval. */
        public static Gain recorded(String quantity, double[] curve) {
            double g = Double.NaN;
            if (curve.length >= 2) {
                double first = curve[0];
                double last = curve[curve.length - 1];
                g = !Double.isFinite(first)
                        ? Double.POSITIVE_INFINITY
                        : last > 0 && Double.isFinite(last) ? first / last : Double.NaN;
            }
            return new Gain(quantity, Interval.point(g), curve.length, 1, false);
        }

        public Regime regime() {
            return classify(gain);
        }
    }

    /**
     * One fitted curve: the explanation per step.
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

        /** f^(T−1): the fitted line's change from the last step back to the first (an extrapolation, not a measurement). */
        public double span() {
            return Math.pow(factor, Math.max(0, steps - 1));
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
            return new Saturation(
                    (saturated * values + o.saturated * o.values) / n,
                    (off * values + o.off * o.values) / n,
                    Math.max(maxAbs, o.maxAbs),
                    n);
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
    private final Gain gain;
    private final List<Fit> fits;
    private final Lyapunov.Estimate lyapunov;
    private final double radius;
    private final double norm;
    private final Saturation saturation;
    private final boolean singleW;

    private GradientFlowVerdict(
            Regime regime,
            Gain gain,
            List<Fit> fits,
            Lyapunov.Estimate lyapunov,
            double radius,
            double norm,
            Saturation saturation,
            boolean singleW) {
        this.regime = regime;
        this.gain = gain;
        this.fits = List.copyOf(fits);
        this.lyapunov = lyapunov == null ? Lyapunov.Estimate.NONE : lyapunov;
        this.radius = radius;
        this.norm = norm;
        this.saturation = saturation;
        this.singleW = singleW;
    }

    /**
     * The verdict of a measured gain.
     *
     * @param gain       the gain over T that decides
     * @param fits       fitted curves that explain it per step (may be empty)
     * @param lyapunov   λ₁, or null when not measured
     * @param spectral   the spectrum of W, or null when the cell has no single square W
     * @param saturation the units' saturation, or null when not measured
     */
    public static GradientFlowVerdict of(
            Gain gain,
            List<Fit> fits,
            Lyapunov.Estimate lyapunov,
            Spectral spectral,
            Saturation saturation,
            boolean singleW) {
        return of(
                gain,
                fits,
                lyapunov,
                spectral == null ? Double.NaN : spectral.radius(),
                spectral == null ? Double.NaN : spectral.norm(),
                singleW,
                saturation);
    }

    /** As {@link #of(Gain, List, Lyapunov.Estimate, Spectral, Saturation, boolean)}, from ρ(W) and ‖W‖₂ as numbers (NaN when unknown). */
    public static GradientFlowVerdict of(
            Gain gain,
            List<Fit> fits,
            Lyapunov.Estimate lyapunov,
            double radius,
            double norm,
            boolean singleW,
            Saturation saturation) {
        requireNonNull(gain, "gain is null");
        return new GradientFlowVerdict(gain.regime(), gain, fits, lyapunov, radius, norm, saturation, singleW);
    }

    /** No measurement at all (a run that has not reached its first diagnostic iteration). */
    public static GradientFlowVerdict unmeasured(double radius, double norm, boolean singleW) {
        return new GradientFlowVerdict(Regime.UNMEASURED, null, List.of(), null, radius, norm, null, singleW);
    }

    /**
     * The one rule: the gain's interval above ×{@value #EXPLODING_GAIN} exploding, below
     * ×{@value #VANISHING_GAIN} vanishing, inside [×0.1, ×10] stable, across a bound undecided;
     * no estimate unmeasured.
     */
    public static Regime classify(Interval gain) {
        if (!gain.measured() || Double.isNaN(gain.low()) || Double.isNaN(gain.high())) {
            return Regime.UNMEASURED;
        }
        if (gain.low() > EXPLODING_GAIN) {
            return Regime.EXPLODING;
        }
        if (gain.high() < VANISHING_GAIN) {
            return Regime.VANISHING;
        }
        if (gain.low() >= VANISHING_GAIN && gain.high() <= EXPLODING_GAIN) {
            return Regime.STABLE;
        }
        return Regime.UNDECIDED;
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
        double[] f = Arrays.stream(curves)
                .mapToDouble(GradientFlowVerdict::fitFactor)
                .filter(d -> !Double.isNaN(d))
                .sorted()
                .toArray();
        if (f.length == 0) {
            return Double.NaN;
        }
        int m = f.length / 2;
        return f.length % 2 == 1 ? f[m] : f[m - 1] == f[m] ? f[m] : Math.sqrt(f[m - 1] * f[m]);
    }

    /**
     * The line a chart draws through the curves: c·f^(T−1−k) for k = 0 … T−1, with f the factor
     * {@link #fitFactor(double[][])} reports and c the least-squares level for that f over every
     * finite positive value (the curves aligned at their last step). Empty when f is not a finite
     * positive factor or no value is usable.
     */
    public static double[] fittedCurve(double[][] curves) {
        double f = fitFactor(curves);
        int t = Arrays.stream(curves).mapToInt(c -> c.length).max().orElse(0);
        if (!(f > 0) || !Double.isFinite(f) || t == 0) {
            return new double[0];
        }
        double sum = 0;
        int n = 0;
        for (double[] c : curves) {
            for (int k = 0; k < c.length; k++) {
                if (Double.isFinite(c[k]) && c[k] > 0) {
                    sum += Math.log(c[k]) - (c.length - 1 - k) * Math.log(f);
                    n++;
                }
            }
        }
        if (n == 0) {
            return new double[0];
        }
        double level = Math.exp(sum / n);
        double[] line = new double[t];
        for (int k = 0; k < t; k++) {
            line[k] = level * Math.pow(f, t - 1 - k);
        }
        return line;
    }

    public Regime regime() {
        return regime;
    }
    /** The gain over T that decided, or null when unmeasured. */
    public Gain gain() {
        return gain;
    }
    /** The fitted curves (explanations per step). */
    public List<Fit> fits() {
        return fits;
    }
    /** λ₁, {@link Lyapunov.Estimate#NONE} when not measured. */
    public Lyapunov.Estimate lyapunov() {
        return lyapunov;
    }
    /** The first fitted factor per step, NaN when none. */
    public double factor() {
        return fits.isEmpty() ? Double.NaN : fits.get(0).factor();
    }
    /** ρ(W), NaN when the cell has no single W. */
    public double radius() {
        return radius;
    }
    /** ‖W‖₂, NaN when the cell has no single W. */
    public double norm() {
        return norm;
    }
    /** The units' saturation, or null when not measured. */
    public Saturation saturation() {
        return saturation;
    }

    /**
     * The verdict in words: the regime and the measured gain with its interval that decided it,
     * then what explains it. E.g. "exploding: over the T = 100 steps of the task the gradient grows ×1630
     * (median gain ‖∂h_T/∂s_0‖ of 32 held-out sequences; 95% interval ×820 … ×3100, above ×10). …".
     */
    public String sentence() {
        if (regime == Regime.UNMEASURED) {
            return "gradient flow not measured yet"
                    + (singleW && Double.isFinite(radius) ? " (ρ(W) = " + num(radius) + ")" : "") + ".";
        }
        StringBuilder s = new StringBuilder();
        Interval g = gain.gain();
        s.append(regime.word())
                .append(": over the T = ")
                .append(gain.steps())
                .append(" steps of the task the gradient ")
                .append(g.estimate() >= 1 ? "grows" : "shrinks")
                .append(" ×")
                .append(gainText(g.estimate()))
                .append(" (");
        if (gain.sequences() > 1) {
            s.append("median ")
                    .append(gain.quantity())
                    .append(" of ")
                    .append(gain.sequences())
                    .append(gain.heldOut() ? " held-out" : " sample")
                    .append(" sequences; ")
                    .append(Math.round(100 * g.level()))
                    .append("% interval ×")
                    .append(gainText(g.low()))
                    .append(" … ×")
                    .append(gainText(g.high()));
        } else {
            s.append(gain.quantity()).append(", one curve, no interval");
        }
        s.append(
                        switch (regime) {
                            case EXPLODING -> ", above ×" + num(EXPLODING_GAIN);
                            case VANISHING -> ", below ×" + num(VANISHING_GAIN);
                            case STABLE -> ", inside ×" + num(VANISHING_GAIN) + " … ×" + num(EXPLODING_GAIN);
                            default ->
                                ", across ×" + num(g.low() < VANISHING_GAIN ? VANISHING_GAIN : EXPLODING_GAIN)
                                        + ": more sequences or a longer T would decide";
                        })
                .append(").");
        String per = perStepText();
        if (!per.isEmpty()) {
            s.append(' ').append(per);
        }
        String why = explanation();
        if (!why.isEmpty()) {
            s.append(' ').append(why);
        }
        return s.toString();
    }

    /** The explanation per step: the fitted factors and λ₁. */
    private String perStepText() {
        List<String> parts = new ArrayList<>();
        for (Fit f : fits) {
            parts.add(f.quantity() + " ×" + factorText(f.factor()) + " per step (fitted"
                    + (f.sequences() > 1 ? ", median of " + f.sequences() + " sequences" : "") + ")");
        }
        String s = parts.isEmpty() ? "" : "Per step: " + String.join("; ", parts) + ".";
        if (lyapunov.measured()) {
            Interval l = lyapunov.exponent();
            s += (s.isEmpty() ? "" : " ") + "The largest Lyapunov exponent λ₁ = " + num(l.estimate()) + " per step ("
                    + Math.round(100 * l.level()) + "% interval " + num(l.low()) + " … " + num(l.high()) + ", e^λ₁ = "
                    + num(Math.exp(l.estimate())) + "), the rate the gain approaches as T grows.";
        }
        return s;
    }

    /** Why the measurement came out as it did: ρ(W), ‖W‖₂ and the units' saturation. */
    public String explanation() {
        if (!singleW) {
            return "This cell has no single recurrent matrix W, so there is no ρ(W) to compare with: the gain is measured "
                    + "through the cell's own backward pass.";
        }
        if (!Double.isFinite(radius)) {
            return "";
        }
        // Compared as printed, so that an orthogonal W (ρ = 1 + 1e-7) never reads "ρ(W) = 1 … above 1".
        double shown = Double.parseDouble(num(radius));
        String w = "ρ(W) = " + num(radius) + (Double.isFinite(norm) ? ", ‖W‖₂ = " + num(norm) : "");
        String units = unitsText();
        return switch (regime) {
            case VANISHING ->
                shown >= 1
                        ? w + ": ρ(W) is " + (shown > 1 ? "above" : "at") + " 1, yet the gradient shrinks"
                                + (units.isEmpty()
                                        ? ", because each step's Jacobian diag(act′)·W is smaller than W (the slope of the activation is below 1)"
                                        : ", because " + units)
                                + ". ρ(W) > 1 is necessary for growth, not sufficient."
                        : w + ": W itself contracts (ρ(W) < 1)" + (units.isEmpty() ? "" : ", and " + units) + ".";
            case EXPLODING ->
                shown > 1
                        ? w + ": W expands (ρ(W) > 1) and the activations pass enough of it on"
                                + (saturation == null || saturation.values() == 0
                                        ? ""
                                        : saturation.bounded()
                                                ? " (" + pct(saturation.saturated()) + " of the unit values saturated)"
                                                : " (" + pct(saturation.off()) + " of the unit values off)")
                                + "."
                        : w + ": the gradient grows although ρ(W) ≤ 1"
                                + (Double.isFinite(norm) && norm > 1
                                        ? " — transient growth through a non-normal W (‖W‖₂ > 1)"
                                        : "")
                                + ".";
            case STABLE, UNDECIDED -> w + (units.isEmpty() ? "" : "; " + units) + ".";
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

    /** The verdict as one JSON-ready map (NaN as null, infinities as the strings "inf" and "-inf"). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("verdict", regime.word());
        Interval g = gain == null ? Interval.NONE : gain.gain();
        m.put("gain", json(g.estimate()));
        m.put("gain_low", json(g.low()));
        m.put("gain_high", json(g.high()));
        m.put("gain_level", g.level());
        m.put("gain_steps", gain == null ? 0 : gain.steps());
        m.put("gain_sequences", gain == null ? 0 : gain.sequences());
        m.put("gain_held_out", gain != null && gain.heldOut());
        m.put("exploding_above", EXPLODING_GAIN);
        m.put("vanishing_below", VANISHING_GAIN);
        m.put("factor_per_step", json(factor()));
        Interval l = lyapunov.exponent();
        m.put("lyapunov_exponent", json(l.estimate()));
        m.put("lyapunov_low", json(l.low()));
        m.put("lyapunov_high", json(l.high()));
        m.put("lyapunov_steps", lyapunov.steps());
        m.put("spectral_radius", json(radius));
        m.put("spectral_norm", json(norm));
        m.put("single_recurrent_matrix", singleW);
        if (saturation != null && saturation.values() > 0) {
            m.put("bounded_activation", saturation.bounded());
            m.put("saturated_fraction", json(saturation.saturated()));
            m.put("off_fraction", json(saturation.off()));
        }
        List<Map<String, Object>> l2 = new ArrayList<>();
        for (Fit f : fits) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("quantity", f.quantity());
            x.put("factor_per_step", json(f.factor()));
            x.put("steps", f.steps());
            x.put("sequences", f.sequences());
            l2.add(x);
        }
        m.put("measurements", l2);
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

    private static String gainText(double g) {
        return g == Double.POSITIVE_INFINITY ? "∞ (it overflowed)" : g == 0 ? "0 (it reached 0)" : num(g);
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
            return String.format(Locale.ROOT, "%.2e", x)
                    .replace("e+0", "e")
                    .replace("e-0", "e-")
                    .replace("e+", "e");
        }
        return new java.math.BigDecimal(x)
                .round(new java.math.MathContext(3))
                .stripTrailingZeros()
                .toPlainString();
    }

    private static String pct(double f) {
        return Math.round(100 * f) + "%";
    }

    @Override
    public String toString() {
        return sentence();
    }
}
