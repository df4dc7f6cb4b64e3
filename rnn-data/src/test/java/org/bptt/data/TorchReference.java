package org.bptt.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.zip.ZipFile;
import org.bptt.api.data.Batch;
import org.bptt.api.data.Targets;

/** The files tools/torch-reference.py made once with PyTorch (golden/torch). */
final class TorchReference {
    static final int N = 3;
    static final int T = 6;
    static final int I = 3;
    static final int O = 4;
    static final float LR = 0.1f;

    final String name;
    final float[] x;
    final float[] y;
    final float[] target;

    TorchReference(String name) {
        this.name = name;
        Path npz = dir().resolve(name + ".npz");
        x = array(npz, "x");
        y = array(npz, "y");
        target = array(npz, "target");
    }

    static Path dir() {
        return Path.of(System.getProperty("golden.dir", "../golden")).resolve("torch");
    }

    Path model() {
        return dir().resolve(name + ".safetensors");
    }

    Path afterSgd() {
        return dir().resolve(name + "-sgd.safetensors");
    }

    /** The inputs and targets as one time-major batch of N sequences. */
    Batch batch() {
        float[] xt = new float[T * N * I];
        float[] yt = new float[T * N * O];
        for (int n = 0; n < N; n++) {
            for (int t = 0; t < T; t++) {
                System.arraycopy(x, (n * T + t) * I, xt, (t * N + n) * I, I);
                System.arraycopy(target, (n * T + t) * O, yt, (t * N + n) * O, O);
            }
        }
        return new Batch(N, T, I, xt, Targets.vectors(yt, O), Batch.allSteps(T), null);
    }

    static float[] array(Path npz, String key) {
        try (ZipFile z = new ZipFile(npz.toFile());
                InputStream in = new BufferedInputStream(z.getInputStream(z.getEntry(key + ".npy")))) {
            Npy.Header h = Npy.readHeader(in, key);
            return Npy.readFloats(in, h, key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
