package org.bptt.data;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.training.Network;
import org.bptt.training.plugin.Plugins;

/** Variable-length data sets with garbage in their padding, written as NPZ and CSV. */
final class Fixtures {
    private Fixtures() {}

    static final Plugins PLUGINS = Plugins.discover();

    /** N sequences of up to T steps, I inputs, one of C classes each; padding filled from {@code garbage}. */
    record Ragged(int n, int t, int i, float[] x, int[] lengths, int[] labels) {}

    static Ragged ragged(long seed, int n, int t, int i, int classes) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * t * i];
        int[] lengths = new int[n];
        int[] labels = new int[n];
        for (int a = 0; a < n; a++) {
            lengths[a] = 1 + r.nextInt(t);
            labels[a] = r.nextInt(classes);
            for (int s = 0; s < lengths[a]; s++) {
                for (int j = 0; j < i; j++) {
                    x[(a * t + s) * i + j] = (float) r.nextGaussian() + (j == 0 ? labels[a] * 0.5f : 0f);
                }
            }
        }
        return new Ragged(n, t, i, x, lengths, labels);
    }

    /** A copy of x whose padding holds {@code kind}: 0 zeros, 1 huge values, 2 NaN and infinities. */
    static float[] padded(Ragged d, int kind, long seed) {
        float[] x = d.x().clone();
        SplittableRandom r = new SplittableRandom(seed);
        for (int a = 0; a < d.n(); a++) {
            for (int s = d.lengths()[a]; s < d.t(); s++) {
                for (int j = 0; j < d.i(); j++) {
                    x[(a * d.t() + s) * d.i() + j] = switch (kind) {
                        case 0 -> 0f;
                        case 1 -> (float) (r.nextGaussian() * 1e30);
                        default -> r.nextBoolean() ? Float.NaN : Float.NEGATIVE_INFINITY;
                    };
                }
            }
        }
        return x;
    }

    static void writeNpz(Path file, Ragged d, float[] x, boolean withLengths) throws IOException {
        try (OutputStream o = Files.newOutputStream(file);
                ZipOutputStream z = new ZipOutputStream(o)) {
            z.putNextEntry(new ZipEntry("x.npy"));
            Npy.writeFloats(z, new long[] {d.n(), d.t(), d.i()}, x);
            z.closeEntry();
            z.putNextEntry(new ZipEntry("y.npy"));
            Npy.writeInts(z, new long[] {d.n()}, d.labels());
            z.closeEntry();
            if (withLengths) {
                z.putNextEntry(new ZipEntry("lengths.npy"));
                Npy.writeInts(z, new long[] {d.n()}, d.lengths());
                z.closeEntry();
            }
        }
    }

    /** Long form, rows of each sequence in reverse step order (order within a sequence must not matter), label on the last row. */
    static void writeCsv(Path file, Ragged d) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("sequence,step");
            for (int j = 0; j < d.i(); j++) {
                w.write(",f" + j);
            }
            w.write(",label\n");
            for (int a = 0; a < d.n(); a++) {
                for (int s = d.lengths()[a] - 1; s >= 0; s--) {
                    w.write("s" + a + "," + s);
                    for (int j = 0; j < d.i(); j++) {
                        w.write("," + d.x()[(a * d.t() + s) * d.i() + j]);
                    }
                    w.write("," + (s == d.lengths()[a] - 1 ? Integer.toString(d.labels()[a]) : "") + "\n");
                }
            }
        }
    }

    static Network network(String cell, ArrayTask task, long seed) {
        var config = Network.builder()
                .cell(cell)
                .hidden(6)
                .batch(4)
                .seed(seed)
                .optimizer("adam")
                .config();
        return Network.create(config, task, PLUGINS);
    }

    static PluginOptions none(String owner) {
        return PluginOptions.empty(owner);
    }
}
