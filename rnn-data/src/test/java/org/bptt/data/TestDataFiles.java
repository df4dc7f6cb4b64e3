package org.bptt.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.bptt.api.tensor.Tensor;
import org.bptt.data.SequenceData.TargetKind;
import org.bptt.training.FitListener;
import org.bptt.training.Network;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading NPZ and CSV files: the same data in either trains to the same bits; bad files are refused with a sentence. */
final class TestDataFiles {
    @TempDir
    Path dir;

    @Test
    void npzWithGarbageInItsPaddingAndCsvTrainToTheSameBits() throws IOException {
        Fixtures.Ragged d = Fixtures.ragged(7, 23, 9, 3, 3);
        Path npz = dir.resolve("train.npz");
        Path csv = dir.resolve("train.csv");
        Fixtures.writeNpz(npz, d, Fixtures.padded(d, 2, 1), true);
        Fixtures.writeCsv(csv, d);
        SequenceData a = DataFiles.read(npz, 0);
        SequenceData b = DataFiles.read(csv, 0);
        assertEquals(TargetKind.SEQUENCE_CLASSES, a.kind());
        assertEquals(TargetKind.SEQUENCE_CLASSES, b.kind());
        assertEquals(3, a.outputSize());
        assertArrayEquals(a.lengths(), b.lengths());
        assertArrayEquals(a.classes(), b.classes());
        for (String cell : new String[] {"vanilla", "gru", "lstm"}) {
            Network na = Fixtures.network(cell, ArrayTask.of(a, null), 5);
            Network nb = Fixtures.network(cell, ArrayTask.of(b, null), 5);
            float[] before = na.model().params().get(0).data().clone();
            na.fit(17, FitListener.NONE);
            nb.fit(17, FitListener.NONE);
            for (int k = 0; k < na.model().params().count(); k++) {
                Tensor pa = na.model().params().get(k);
                assertArrayEquals(pa.data(), nb.model().params().get(k).data(), cell + " parameter " + pa.name());
                for (float v : pa.data()) {
                    assertTrue(Float.isFinite(v), cell + ": garbage reached parameter " + pa.name());
                }
            }
            assertNotEquals(before[0], na.model().params().get(0).data()[0], cell + ": training changed nothing");
        }
    }

    @Test
    void epochsVisitEverySequenceOnceInAnOrderThatDependsOnTheSeed() throws IOException {
        Fixtures.Ragged d = Fixtures.ragged(3, 12, 4, 1, 2);
        // Each sequence's first input is its index: the batch says which sequences were drawn.
        float[] x = new float[d.n() * d.t()];
        for (int a = 0; a < d.n(); a++) {
            x[a * d.t()] = a;
        }
        ArrayTask task = ArrayTask.of(
                new SequenceData(
                        "t", d.n(), d.t(), 1, x, d.lengths(), TargetKind.SEQUENCE_CLASSES, 2, null, d.labels()),
                null);
        var batch = task.newBatch(4);
        int[] seen = new int[d.n()];
        int[] firstOrder = new int[d.n()];
        for (long it = 0; it < 3; it++) {
            task.fill(batch, null, 42, it);
            for (int b = 0; b < 4; b++) {
                int id = (int) batch.x()[b];
                seen[id]++;
                firstOrder[(int) it * 4 + b] = id;
            }
        }
        for (int c : seen) {
            assertEquals(1, c, "an epoch draws each sequence once");
        }
        task.fill(batch, null, 43, 0);
        int[] other = new int[4];
        for (int b = 0; b < 4; b++) {
            other[b] = (int) batch.x()[b];
        }
        assertNotEquals(
                java.util.Arrays.toString(java.util.Arrays.copyOf(firstOrder, 4)), java.util.Arrays.toString(other));
        // A pure function of (seed, iteration): iteration 1 again, after iteration 2, gives the same batch.
        task.fill(batch, null, 42, 1);
        for (int b = 0; b < 4; b++) {
            assertEquals(firstOrder[4 + b], (int) batch.x()[b]);
        }
    }

    @Test
    void inferredTaskSaysWhatItIs() throws IOException {
        Fixtures.Ragged d = Fixtures.ragged(1, 40, 6, 2, 4);
        Path npz = dir.resolve("d.npz");
        Fixtures.writeNpz(npz, d, d.x(), true);
        ArrayTask task = (ArrayTask) new FileTaskFactory()
                .create(org.bptt.api.plugin.PluginOptions.empty("data")
                        .with("file", npz.toString())
                        .with("validation", 0.25));
        assertEquals("ce", task.defaultLoss());
        assertEquals(30, task.data().sequences());
        assertEquals(10, task.heldOut().sequences());
        int[] count = new int[task.outputSize()];
        for (int l : task.data().classes()) {
            count[l]++;
        }
        double h = 0;
        for (int c : count) {
            h -= c == 0 ? 0 : c / 30.0 * Math.log(c / 30.0);
        }
        assertEquals(h, task.baselineLoss(), 1e-12);
        String text = task.describeKind();
        assertTrue(
                text.contains("30 sequences of up to 6 steps")
                        && text.contains("one of " + task.outputSize() + " classes per sequence")
                        && text.contains("loss ce")
                        && text.contains("accuracy"),
                text);
    }

    // ------------------------------------------------------------------ bad files

    @Test
    void badFilesAreRefusedWithOneSentenceNamingTheFileAndTheFault() throws IOException {
        Fixtures.Ragged d = Fixtures.ragged(2, 5, 4, 2, 3);
        assertRefused(
                npz("shape.npz", z -> {
                    put(z, "x", new long[] {5, 8}, new float[40]);
                    putInts(z, "y", new long[] {5}, d.labels());
                }),
                "shape.npz",
                "has x of dtype float32 and shape [5, 8], but the inputs must be float32 of shape [N, T, I]");
        assertRefused(
                npz("dtype.npz", z -> {
                    putInts(z, "x", new long[] {5, 4, 2}, new int[40]);
                    putInts(z, "y", new long[] {5}, d.labels());
                }),
                "dtype.npz",
                "has x of dtype int32 and shape [5, 4, 2], but the inputs must be float32");
        assertRefused(
                npz("targets.npz", z -> {
                    put(z, "x", new long[] {5, 4, 2}, d.x());
                    putInts(z, "y", new long[] {5, 4, 7}, new int[140]);
                    putInts(z, "lengths", new long[] {5}, d.lengths());
                }),
                "targets.npz",
                "has y of dtype int32 and shape [5, 4, 7], but with x of shape [5, 4, 2] y must be");
        float[] nan = d.x().clone();
        nan[(3 * 4) * 2 + 1] = Float.NaN;
        assertRefused(
                npz("nan.npz", z -> {
                    put(z, "x", new long[] {5, 4, 2}, nan);
                    putInts(z, "y", new long[] {5}, d.labels());
                }),
                "nan.npz",
                "has NaN in x at sequence 3, step 0, input 1");
        assertRefused(
                npz("lengths.npz", z -> {
                    put(z, "x", new long[] {5, 4, 2}, d.x());
                    putInts(z, "y", new long[] {5}, d.labels());
                    putInts(z, "lengths", new long[] {5}, new int[] {1, 2, 5, 1, 1});
                }),
                "lengths.npz",
                "gives sequence 2 the length 5, but lengths must be from 1 to T = 4");
        assertRefused(
                npz("class.npz", z -> {
                    put(z, "x", new long[] {5, 4, 2}, d.x());
                    putInts(z, "y", new long[] {5}, new int[] {0, 1, 2, 3, 1});
                }),
                3,
                "class.npz",
                "has the class id 3 at sequence 3, but there are 3 classes (ids 0 to 2)");
        Path ragged = dir.resolve("ragged.csv");
        Files.writeString(ragged, "sequence,step,a,b,label\n0,0,1,2,\n0,1,1,2,1\n1,0,3\n");
        assertRefused(ragged, "ragged.csv", "has 3 values on line 4 but 5 columns in its header (a ragged CSV)");
        Path gap = dir.resolve("gap.csv");
        Files.writeString(gap, "sequence,step,a,y0\n0,0,1,2\n0,2,1,2\n");
        assertRefused(gap, "gap.csv", "has sequence '0' with steps [0, 2]");
        assertRefused(dir.resolve("absent.npz"), "absent.npz", "no such file");
    }

    @Test
    void aFileLargerThanMemoryIsRefusedWithTheEstimateBeforeAllocating() throws IOException {
        // The header claims 4·10^10 floats; the data are not there, and nothing of that size is allocated.
        Path big = npz("big.npz", z -> {
            z.putNextEntry(new ZipEntry("x.npy"));
            byte[] h =
                    "{'descr': '<f4', 'fortran_order': False, 'shape': (400000, 1000, 100), }          \n".getBytes();
            z.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) h.length, 0});
            z.write(h);
            z.closeEntry();
            putInts(z, "y", new long[] {2}, new int[] {0, 1});
        });
        DataFileException e = assertThrows(DataFileException.class, () -> DataFiles.read(big, 0));
        assertTrue(
                e.getMessage().startsWith(big + ": would need about 149.0 GiB of memory, more than the "),
                e.getMessage());
    }

    private interface Entries {
        void write(ZipOutputStream z) throws IOException;
    }

    private Path npz(String name, Entries entries) throws IOException {
        Path f = dir.resolve(name);
        try (OutputStream o = Files.newOutputStream(f);
                ZipOutputStream z = new ZipOutputStream(o)) {
            entries.write(z);
        }
        return f;
    }

    private static void put(ZipOutputStream z, String name, long[] shape, float[] v) throws IOException {
        z.putNextEntry(new ZipEntry(name + ".npy"));
        Npy.writeFloats(z, shape, v);
        z.closeEntry();
    }

    private static void putInts(ZipOutputStream z, String name, long[] shape, int[] v) throws IOException {
        z.putNextEntry(new ZipEntry(name + ".npy"));
        Npy.writeInts(z, shape, v);
        z.closeEntry();
    }

    private static void assertRefused(Path file, String name, String what) {
        assertRefused(file, 0, name, what);
    }

    private static void assertRefused(Path file, int classes, String name, String what) {
        DataFileException e = assertThrows(DataFileException.class, () -> DataFiles.read(file, classes));
        assertTrue(
                e.getMessage().startsWith(file + ": ")
                        && e.getMessage().contains(what)
                        && e.getMessage().contains(name)
                        && !e.getMessage().contains("\n"),
                e.getMessage());
    }
}
