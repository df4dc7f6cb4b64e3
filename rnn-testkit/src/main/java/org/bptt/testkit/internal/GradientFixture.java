package org.bptt.testkit.internal;

import java.util.SplittableRandom;
import org.bptt.api.tensor.ParameterSet;
import org.bptt.api.tensor.Tensor;

/**
 * Parameters and gradients shaped like a small model's (U 5×3, W 5×5, b 1×5, V 2×5, c 1×2)
 * plus one 33×65 matrix, long enough for the SIMD kernels' vector loops, tails and threads.
 */
final class GradientFixture {
    private static final String[] NAMES = {"U", "W", "b", "V", "c", "M"};
    private static final int[][] SHAPES = {{5, 3}, {5, 5}, {1, 5}, {2, 5}, {1, 2}, {33, 65}};

    private GradientFixture() {}

    /** Values uniform in ±0.5. */
    static ParameterSet params(long seed) {
        return shaped(SHAPES, seed, 0.5, false);
    }

    /** Gradients for {@link #params}: Gaussian values times {@code scale}. */
    static ParameterSet grads(long seed, double scale) {
        return shaped(SHAPES, seed, scale, true);
    }

    /** Like {@link #params} but with one tensor's shape changed: {@code which} gets one column more. */
    static ParameterSet reshaped(long seed, String which, double scale) {
        int[][] shapes = new int[SHAPES.length][];
        for (int i = 0; i < shapes.length; i++) {
            shapes[i] = NAMES[i].equals(which) ? new int[] {SHAPES[i][0], SHAPES[i][1] + 1} : SHAPES[i];
        }
        return shaped(shapes, seed, scale, true);
    }

    private static ParameterSet shaped(int[][] shapes, long seed, double scale, boolean gaussian) {
        SplittableRandom r = new SplittableRandom(seed);
        ParameterSet p = new ParameterSet();
        for (int i = 0; i < NAMES.length; i++) {
            Tensor t = new Tensor(NAMES[i], shapes[i][0], shapes[i][1]);
            for (int k = 0; k < t.size(); k++) {
                t.data()[k] = (float) (scale * (gaussian ? r.nextGaussian() : r.nextDouble(-1, 1)));
            }
            p.add(t);
        }
        return p;
    }

    /** The same tensors in another order: the platform never does this, a careless optimizer breaks on it. */
    static ParameterSet reordered(ParameterSet p) {
        ParameterSet q = new ParameterSet();
        for (int i = p.count() - 1; i >= 0; i--) {
            q.add(p.get(i).copy());
        }
        return q;
    }

    /** A copy without the tensor {@code missing}. */
    static ParameterSet without(ParameterSet p, String missing) {
        ParameterSet q = new ParameterSet();
        for (Tensor t : p) {
            if (!t.name().equals(missing)) {
                q.add(t.copy());
            }
        }
        return q;
    }

    /** Copies values tensor by tensor without an iterator (used inside allocation-measured steps). */
    static void copy(ParameterSet from, ParameterSet to) {
        for (int i = 0; i < to.count(); i++) {
            float[] src = from.get(i).data();
            System.arraycopy(src, 0, to.get(i).data(), 0, src.length);
        }
    }

    static void record(Recording rec, String label, ParameterSet set) {
        for (Tensor t : set) {
            rec.add(label + " " + t.name(), t.data());
        }
    }

    static double norm(ParameterSet set) {
        double s = 0;
        for (Tensor t : set) {
            for (float v : t.data()) {
                s += (double) v * v;
            }
        }
        return Math.sqrt(s);
    }
}
