package org.bptt.data;

import java.io.IOException;
import java.nio.file.Path;
import org.bptt.api.data.Batch;
import org.bptt.api.data.Targets;
import org.bptt.api.internal.io.AtomicFile;
import org.bptt.training.BpttTrainer;
import org.bptt.training.Network;

/**
 * The raw readouts o_t = V h_t + c of a network over many sequences, computed in batches by
 * the network's own trainer (its kernels, SIMD where available). Softmax, if wanted, is the
 * reader's business.
 */
public final class Predictions {
    private Predictions() {}

    /**
     * Readouts of N sequences: {@code x} is [N, T, I] (sequence-major), {@code lengths} the valid
     * steps of each (null: all T); returns [N, T, O], 0 at padded steps. Runs {@code batch}
     * sequences at a time.
     */
    public static float[] readouts(Network net, float[] x, int n, int steps, int[] lengths, int batch) {
        int in = net.inputSize();
        int out = net.outputSize();
        if (n < 1 || steps < 1 || x.length != (long) n * steps * in) {
            throw new IllegalArgumentException(
                    "x has " + x.length + " floats, expected N·T·I = " + n + "·" + steps + "·" + in);
        }
        if (lengths != null && lengths.length != n) {
            throw new IllegalArgumentException("lengths has " + lengths.length + " entries, expected N = " + n);
        }
        float[] y = new float[n * steps * out];
        BpttTrainer trainer = net.trainer();
        boolean classes = trainer.loss().wantsClassTargets();
        Batch b = null;
        for (int first = 0; first < n; first += batch) {
            int m = Math.min(batch, n - first);
            if (b == null || b.batch() != m) {
                Targets dummy = classes
                        ? Targets.classes(new int[steps * m])
                        : Targets.vectors(new float[steps * m * out], out);
                b = new Batch(
                        m,
                        steps,
                        in,
                        new float[steps * m * in],
                        dummy,
                        new boolean[steps],
                        null,
                        lengths == null ? null : new int[m]);
            }
            for (int s = 0; s < m; s++) {
                for (int t = 0; t < steps; t++) {
                    System.arraycopy(x, ((first + s) * steps + t) * in, b.x(), (t * m + s) * in, in);
                }
                if (lengths != null) {
                    b.lengths()[s] = lengths[first + s];
                }
            }
            trainer.forward(b);
            float[] o = trainer.outputs();
            for (int s = 0; s < m; s++) {
                int len = lengths == null ? steps : lengths[first + s];
                for (int t = 0; t < len; t++) {
                    System.arraycopy(o, (t * m + s) * out, y, ((first + s) * steps + t) * out, out);
                }
            }
        }
        return y;
    }

    /** Writes readouts [N, T, O] as a float32 .npy; the file appears whole or not at all. */
    public static void writeNpy(Path file, float[] y, int n, int steps, int out) throws IOException {
        AtomicFile.write(file, os -> Npy.writeFloats(os, new long[] {n, steps, out}, y));
    }
}
