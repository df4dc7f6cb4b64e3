package org.bptt.examples.gated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.bptt.api.gradient.GradientPolicy;
import org.bptt.api.gradient.PolicyReport;
import org.bptt.api.kernel.Backends;
import org.bptt.api.kernel.Kernels;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.plugin.StateSink;
import org.bptt.api.plugin.StateSource;
import org.bptt.api.tensor.ParameterSet;
import org.bptt.api.tensor.Tensor;
import org.bptt.examples.gated.policy.AutoClip;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * autoclip against a direct reading of its definition (keep every norm, sort, interpolate
 * between ranks, clip), its state round trip, and its steady state without allocation.
 */
final class TestAutoClip {
    private static final Kernels K = Backends.select("scalar", 1);

    /** Two gradient tensors whose global norm is about {@code norm}, with random directions. */
    /** The parameters the gradients below belong to (the policy only checks that their shapes match). */
    private static final ParameterSet PARAMS = new ParameterSet().add(new Tensor("a", 3, 4)).add(new Tensor("b", 1, 5));

    private static ParameterSet gradients(SplittableRandom r, double norm) {
        ParameterSet g = new ParameterSet().add(new Tensor("a", 3, 4)).add(new Tensor("b", 1, 5));
        double sq = 0;
        for (Tensor t : g) {
            for (int i = 0; i < t.size(); i++) {
                t.data()[i] = (float) r.nextGaussian();
                sq += (double) t.data()[i] * t.data()[i];
            }
        }
        for (Tensor t : g) {
            K.scale(t.size(), (float) (norm / Math.sqrt(sq)), t.data(), 0);
        }
        return g;
    }

    private static double normOf(ParameterSet g) {
        double s = 0;
        for (Tensor t : g) {
            s += K.sumOfSquares(t.size(), t.data(), 0);
        }
        return Math.sqrt(s);
    }

    /** NumPy's default percentile ('linear'): v_lo + (v_hi − v_lo)·frac at p/100·(n − 1) of the sorted values. */
    private static double percentile(List<Float> values, double p) {
        double[] v = new double[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = values.get(i);
        }
        Arrays.sort(v);
        double pos = p / 100 * (v.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, v.length - 1);
        return v[lo] + (v[hi] - v[lo]) * (pos - lo);
    }

    @Test
    void clipsToThePercentileOfTheLastNorms() {
        SplittableRandom r = new SplittableRandom(1);
        for (double p : new double[] {0, 10, 37.5, 50, 90, 100}) {
            int history = 7;
            AutoClip clip = new AutoClip(p, history);
            List<Float> seen = new ArrayList<>();
            PolicyReport report = new PolicyReport();
            for (int i = 0; i < 40; i++) {
                // Spread norms with repeats (every fifth equals an earlier one), so ties and evictions of equal values occur.
                double target = i % 5 == 4 ? seen.get(seen.size() - 3) : Math.exp(2 * r.nextGaussian());
                ParameterSet g = gradients(r, target);
                double norm = normOf(g);
                seen.add((float) norm);
                List<Float> window = seen.subList(Math.max(0, seen.size() - history), seen.size());
                double tau = percentile(window, p);
                clip.apply(PARAMS, g, K, report);
                assertEquals(norm, report.normBefore(), 0.0, "the norm it saw");
                String at = "p=" + p + " update " + i;
                if ((float) norm > tau) {
                    assertTrue(report.clipped(), at);
                    assertEquals(tau / norm, report.scale(), 1e-15 * tau / norm, at);
                    assertEquals(tau, normOf(g), 1e-6 * tau, at + ": the norm after clipping is the threshold");
                    assertEquals(17, report.changedComponents());
                } else {
                    assertFalse(report.clipped(), at);
                    assertEquals(norm, normOf(g), 0.0, at + ": untouched");
                }
            }
            assertEquals(40, clip.count());
        }
    }

    @Test
    void theFirstUpdateIsNeverClippedAndNonFiniteNormsAreNotRecorded() {
        AutoClip clip = new AutoClip(10, 5);
        PolicyReport report = new PolicyReport();
        ParameterSet g = gradients(new SplittableRandom(2), 3.0);
        clip.apply(PARAMS, g, K, report);
        assertFalse(report.clipped(), "a single norm is its own percentile");
        g.get(0).data()[0] = Float.NaN;
        clip.apply(PARAMS, g, K, report);
        assertFalse(report.clipped());
        assertTrue(Double.isNaN(report.normBefore()));
        assertEquals(1, clip.count(), "NaN is not recorded");
    }

    /** A map sink/source, as a checkpoint stores the state. */
    private static final class Store implements StateSink, StateSource {
        final Map<String, Object> m = new HashMap<>();
        @Override public void putFloats(String key, float[] values) { m.put(key, values.clone()); }
        @Override public void putLong(String key, long value) { m.put(key, value); }
        @Override public void getFloats(String key, float[] into) {
            float[] v = (float[]) m.get(key);
            if (v == null || v.length != into.length) {
                throw new ConfigurationException("state '" + key + "' is missing or has the wrong size");
            }
            System.arraycopy(v, 0, into, 0, v.length);
        }
        @Override public long getLong(String key) { return (Long) m.get(key); }
    }

    @Test
    void aResumedPolicyEqualsAnUninterruptedOneBitForBit() {
        for (int before : new int[] {0, 3, 9, 25}) { // empty, partly filled, just wrapped, wrapped several times
            SplittableRandom r = new SplittableRandom(7);
            AutoClip uninterrupted = new AutoClip(25, 9);
            List<ParameterSet> stream = new ArrayList<>();
            for (int i = 0; i < before + 30; i++) {
                stream.add(gradients(r, Math.exp(r.nextGaussian())));
            }
            PolicyReport report = new PolicyReport();
            for (int i = 0; i < before; i++) {
                uninterrupted.apply(PARAMS, stream.get(i).copy(), K, report);
            }
            Store store = new Store();
            uninterrupted.saveState(store);
            AutoClip resumed = new AutoClip(25, 9);
            resumed.loadState(store);
            assertEquals(uninterrupted.count(), resumed.count());
            PolicyReport other = new PolicyReport();
            for (int i = before; i < stream.size(); i++) {
                ParameterSet a = stream.get(i).copy();
                ParameterSet b = stream.get(i).copy();
                uninterrupted.apply(PARAMS, a, K, report);
                resumed.apply(PARAMS, b, K, other);
                assertEquals(Double.doubleToRawLongBits(report.scale()), Double.doubleToRawLongBits(other.scale()), "update " + i);
                for (int t = 0; t < a.count(); t++) {
                    assertTrue(Arrays.equals(a.get(t).data(), b.get(t).data()), "update " + i + " tensor " + t);
                }
            }
        }
    }

    @Test
    void stateOfAnotherHistoryLengthOrInvalidNormsIsRefused() {
        AutoClip a = new AutoClip(10, 4);
        a.apply(PARAMS, gradients(new SplittableRandom(3), 1.0), K, new PolicyReport());
        Store store = new Store();
        a.saveState(store);
        assertThrows(ConfigurationException.class, () -> new AutoClip(10, 5).loadState(store));
        ((float[]) store.m.get("norms"))[0] = -1f;
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> new AutoClip(10, 4).loadState(store));
        assertTrue(e.getMessage().contains("autoclip"), e.getMessage());
    }

    @Test
    void aSteadyStateUpdateAllocatesNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled());
        GradientPolicy clip = new AutoClip(10, 1000);
        SplittableRandom r = new SplittableRandom(4);
        ParameterSet[] grads = new ParameterSet[64];
        for (int i = 0; i < grads.length; i++) {
            grads[i] = gradients(r, Math.exp(r.nextGaussian()));
        }
        PolicyReport report = new PolicyReport();
        long perUpdate = -1;
        long deadline = System.nanoTime() + 20_000_000_000L;
        // Past the history length, so every update evicts; time-bounded, as C2 may lag on a busy machine.
        for (int round = 0; System.nanoTime() < deadline; round++) {
            for (int i = 0; i < 2000; i++) {
                clip.apply(PARAMS, grads[i % grads.length], K, report);
            }
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100; i++) {
                clip.apply(PARAMS, grads[i % grads.length], K, report);
            }
            perUpdate = (mx.getCurrentThreadAllocatedBytes() - before) / 100;
            if (perUpdate == 0) {
                break;
            }
        }
        assertEquals(0, perUpdate, "bytes allocated per update");
    }
}
