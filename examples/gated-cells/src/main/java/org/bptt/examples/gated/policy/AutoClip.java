package org.bptt.examples.gated.policy;

import java.util.Arrays;

import org.bptt.api.gradient.GradientPolicy;
import org.bptt.api.gradient.PolicyReport;
import org.bptt.api.kernel.Kernels;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.plugin.StateSink;
import org.bptt.api.plugin.StateSource;
import org.bptt.api.tensor.ParameterSet;
import org.bptt.api.tensor.Tensor;

/**
 * AutoClip (Seetharaman, Wichern, Pardo &amp; Le Roux, 2020): each update records the global
 * L2 norm of the gradients, then clips by global norm to the p-th percentile of the recorded
 * norms, the current one included: if ‖g‖ &gt; τ then g ← τ/‖g‖ · g. The paper keeps every
 * norm; this policy keeps the last {@code history} of them (a ring buffer), so that memory
 * and time per update stay bounded.
 *
 * <p>The percentile interpolates linearly between the two nearest ranks, as NumPy's default:
 * with the n norms sorted, v at position p/100·(n − 1). The norms are kept as floats so that a
 * checkpoint holds them exactly, and a sorted copy is maintained by one binary search and one
 * array move per update: no allocation, no sort per update. A non-finite norm is neither
 * recorded nor clipped (the trainer's non-finite guard deals with it).
 *
 * <p>State (the ring and the count of norms recorded) is saved and restored through
 * {@link #saveState}/{@link #loadState}, so a resumed run equals an uninterrupted one bit
 * for bit. Not thread-safe.
 */
public final class AutoClip implements GradientPolicy {
    private final double percentile;
    /** The last {@code capacity} norms, norm number i (0-based) at i mod capacity. */
    private final float[] ring;
    /** The first min(count, capacity) slots: the same norms in ascending order. */
    private final float[] sorted;
    private long count;

    /**
     * @param percentile p in [0, 100]
     * @param history    how many of the latest norms are kept, ≥ 1
     */
    public AutoClip(double percentile, int history) {
        if (!(percentile >= 0 && percentile <= 100)) {
            throw new ConfigurationException("autoclip: percentile must be in [0, 100], got " + percentile);
        }
        if (history < 1) {
            throw new ConfigurationException("autoclip: history must be at least 1, got " + history);
        }
        this.percentile = percentile;
        this.ring = new float[history];
        this.sorted = new float[history];
    }

    public double percentile() { return percentile; }
    public int history() { return ring.length; }
    /** Norms recorded since the start of the run. */
    public long count() { return count; }

    @Override
    public void apply(ParameterSet params, ParameterSet grads, Kernels kernels, PolicyReport report) {
        requireMatching(params, grads);
        double squares = 0;
        long size = 0;
        for (int i = 0; i < grads.count(); i++) {
            Tensor g = grads.get(i);
            squares += kernels.sumOfSquares(g.size(), g.data(), 0);
            size += g.size();
        }
        double norm = Math.sqrt(squares);
        if (!Double.isFinite(norm)) {
            report.set(norm, norm, 1.0, false, 0);
            return;
        }
        float recorded = (float) norm;
        record(recorded);
        double threshold = threshold();
        // Compared as recorded, so that a norm is never clipped to its own percentile by rounding.
        if (recorded > threshold) {
            double scale = threshold / norm;
            for (int i = 0; i < grads.count(); i++) {
                Tensor g = grads.get(i);
                kernels.scale(g.size(), (float) scale, g.data(), 0);
            }
            report.set(norm, threshold, scale, true, size);
        } else {
            report.set(norm, norm, 1.0, false, 0);
        }
    }

    /**
     * A gradient of another shape would be measured and applied out of place: refused. By hand,
     * not ParameterSet.requireMatching, which platforms before 0.2 lack (this policy runs on them).
     */
    private static void requireMatching(ParameterSet params, ParameterSet grads) {
        if (params.count() != grads.count()) {
            throw new IllegalArgumentException("autoclip: " + grads.count() + " gradients for " + params.count() + " parameters");
        }
        for (int i = 0; i < params.count(); i++) {
            Tensor p = params.get(i);
            Tensor g = grads.get(i);
            if (!p.name().equals(g.name()) || p.rows() != g.rows() || p.cols() != g.cols()) {
                throw new IllegalArgumentException("autoclip: gradient " + g + " does not match parameter " + p);
            }
        }
    }

    /** Adds a norm to the ring, and to the sorted copy in place of the one it evicts. */
    private void record(float norm) {
        int capacity = ring.length;
        int n = (int) Math.min(count, capacity);
        int slot = (int) (count % capacity);
        if (count >= capacity) {
            int at = Arrays.binarySearch(sorted, 0, n, ring[slot]);
            System.arraycopy(sorted, at + 1, sorted, at, n - at - 1);
            n--;
        }
        ring[slot] = norm;
        int lo = 0;
        int hi = n;
        while (lo < hi) { // first element greater than norm
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= norm) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        System.arraycopy(sorted, lo, sorted, lo + 1, n - lo);
        sorted[lo] = norm;
        count++;
    }

    /** The percentile of the recorded norms (at least one is recorded). */
    double threshold() {
        int n = (int) Math.min(count, ring.length);
        double position = percentile / 100.0 * (n - 1);
        int lo = (int) Math.floor(position);
        int hi = Math.min(lo + 1, n - 1);
        double below = sorted[lo];
        return below + (sorted[hi] - below) * (position - lo);
    }

    @Override
    public void saveState(StateSink sink) {
        sink.putFloats("norms", ring);
        sink.putLong("count", count);
    }

    @Override
    public void loadState(StateSource source) {
        // A ring of another length (another history option) is refused by the source.
        float[] norms = new float[ring.length];
        source.getFloats("norms", norms);
        long n = source.getLong("count");
        if (n < 0) {
            throw new ConfigurationException("autoclip: saved state holds a negative count of norms (" + n + ")");
        }
        int valid = (int) Math.min(n, ring.length);
        for (int i = 0; i < valid; i++) {
            if (!(norms[i] >= 0 && norms[i] < Float.POSITIVE_INFINITY)) {
                throw new ConfigurationException("autoclip: saved state holds an invalid gradient norm " + norms[i]);
            }
        }
        System.arraycopy(norms, 0, ring, 0, ring.length);
        count = n;
        System.arraycopy(ring, 0, sorted, 0, valid);
        Arrays.sort(sorted, 0, valid);
    }

    @Override
    public String describe() {
        return "autoclip(percentile=" + percentile + ", history=" + ring.length + ")";
    }
}
