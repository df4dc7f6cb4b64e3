package org.bptt.cli.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipFile;
import org.bptt.cli.CliRunner;
import org.bptt.data.Npy;
import org.bptt.data.SafeTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rnn import}, {@code predict}, {@code export} on a model PyTorch made (golden/torch):
 * the imported run predicts PyTorch's readouts and analyzes; bad input is one sentence, exit 2.
 */
final class TestDataCommands {
    private static final Path TORCH =
            Path.of(System.getProperty("golden.dir", "../golden")).resolve("torch");

    @TempDir
    Path dir;

    @Test
    void importPredictAnalyzeExportAPyTorchModel() throws IOException {
        Path run = dir.resolve("imported");
        CliRunner i =
                CliRunner.run("import", TORCH.resolve("rnn_tanh.safetensors").toString(), "-o", run.toString());
        assertEquals(0, i.code, i.err);
        assertTrue(
                i.out.startsWith(
                        "found nn.RNN(3, 5, nonlinearity='tanh') at 'encoder.' with an nn.Linear(5, 4) readout at 'head.'"),
                i.out);
        assertTrue(
                Files.isRegularFile(run.resolve("checkpoint.bin")) && Files.isRegularFile(run.resolve("report.html")));

        Path x = dir.resolve("x.npy");
        try (OutputStream o = Files.newOutputStream(x)) {
            Npy.writeFloats(o, new long[] {3, 6, 3}, array("rnn_tanh", "x"));
        }
        Path y = dir.resolve("y.npy");
        CliRunner p =
                CliRunner.run("predict", run.toString(), "--data", x.toString(), "-o", y.toString(), "--batch", "2");
        assertEquals(0, p.code, p.err);
        float[] want = array("rnn_tanh", "y");
        float[] got = read(y);
        float max = 0;
        for (float v : want) {
            max = Math.max(max, Math.abs(v));
        }
        assertArrayEquals(want, got, 1e-4f * max);

        CliRunner a = CliRunner.run("analyze", run.toString());
        assertEquals(0, a.code, a.err);
        assertTrue(a.out.contains("spectral radius of W: "), a.out);

        Path st = dir.resolve("out.safetensors");
        CliRunner e = CliRunner.run("export", run.toString(), "--format", "safetensors", "-o", st.toString());
        assertEquals(0, e.code, e.err);
        SafeTensors.Contents c = SafeTensors.read(st);
        assertEquals(
                java.util.List.of(
                        "rnn.weight_ih_l0",
                        "rnn.weight_hh_l0",
                        "rnn.bias_ih_l0",
                        "rnn.bias_hh_l0",
                        "fc.weight",
                        "fc.bias"),
                java.util.List.copyOf(c.tensors().keySet()));
        assertEquals("tanh", c.metadata().get("nonlinearity"));
        Path onnx = dir.resolve("out.onnx");
        CliRunner eo = CliRunner.run("export", run.toString(), "--format", "onnx", "-o", onnx.toString());
        assertEquals(0, eo.code, eo.err);
        assertTrue(Files.size(onnx) > 0);
    }

    @Test
    void badInputIsOneSentenceAndExitTwoWithNothingWritten() throws IOException {
        Path run = dir.resolve("r");
        CliRunner act = CliRunner.run(
                "import",
                TORCH.resolve("rnn_relu.safetensors").toString(),
                "-o",
                run.toString(),
                "--activation",
                "sigmoid");
        assertEquals(2, act.code);
        assertEquals("rnn import: --activation must be tanh or relu, got 'sigmoid'", act.err.strip());
        CliRunner notSt = CliRunner.run("import", TORCH.resolve("gru.npz").toString(), "-o", run.toString());
        assertEquals(2, notSt.code);
        assertTrue(
                notSt.err.strip().startsWith("rnn import: " + TORCH.resolve("gru.npz") + ": is not a safetensors file"),
                notSt.err);
        CliRunner amb = CliRunner.run(
                "import",
                TORCH.resolve("gru_3layer.safetensors").toString(),
                "-o",
                run.toString(),
                "--recurrent",
                "encoder");
        assertEquals(2, amb.code);
        assertEquals(
                "rnn import: " + TORCH.resolve("gru_3layer.safetensors")
                        + ": has no recurrent module at 'encoder.'; it has " + "recurrent modules at 'gru.'",
                amb.err.strip());
        assertFalse(Files.exists(run), "a refused import leaves no folder");
        CliRunner fmt = CliRunner.run(
                "export",
                run.toString(),
                "--format",
                "pt",
                "-o",
                dir.resolve("m.pt").toString());
        assertEquals(2, fmt.code);
        assertEquals("rnn export: --format must be safetensors or onnx, got 'pt'", fmt.err.strip());
    }

    @Test
    void importAStackedModelThenTrainFromItAndFromItsFile() throws IOException {
        Path imported = dir.resolve("tanh2");
        CliRunner i = CliRunner.run(
                "import", TORCH.resolve("rnn_tanh_2layer.safetensors").toString(), "-o", imported.toString());
        assertEquals(0, i.code, i.err);
        assertTrue(
                i.out.startsWith(
                        "found nn.RNN(3, 5, num_layers=2, nonlinearity='tanh') at 'rnn.' with an nn.Linear(5, 4) readout at 'fc.'"),
                i.out);
        Path x = dir.resolve("x.npy");
        try (OutputStream o = Files.newOutputStream(x)) {
            Npy.writeFloats(o, new long[] {3, 6, 3}, array("rnn_tanh_2layer", "x"));
        }
        Path y = dir.resolve("y.npy");
        assertEquals(0, CliRunner.run("predict", imported.toString(), "--data", x.toString(), "-o", y.toString()).code);
        assertClose(array("rnn_tanh_2layer", "y"), read(y));

        // The reference's npz holds y = PyTorch's readouts: a model started from those weights fits it already.
        String data = TORCH.resolve("rnn_tanh_2layer.npz").toString();
        for (String source :
                new String[] {TORCH.resolve("rnn_tanh_2layer.safetensors").toString(), imported.toString()}) {
            Path run = dir.resolve("from-" + Path.of(source).getFileName());
            CliRunner t = CliRunner.run(
                    "train",
                    "--quiet",
                    "--init-from",
                    source,
                    "--data",
                    data,
                    "--iterations",
                    "0",
                    "-o",
                    run.toString());
            assertEquals(0, t.code, t.err);
            var config = org.bptt.training.config.Json.read(run.resolve("config.json"));
            assertEquals("vanilla", config.cell().name());
            assertEquals(2, config.get(org.bptt.training.config.RunSettings.LAYERS));
            Path yr = dir.resolve("y-" + run.getFileName() + ".npy");
            assertEquals(0, CliRunner.run("predict", run.toString(), "--data", x.toString(), "-o", yr.toString()).code);
            assertClose(array("rnn_tanh_2layer", "y"), read(yr));
        }
        Path refused = dir.resolve("refused");
        CliRunner r = CliRunner.run(
                "train",
                "--init-from",
                TORCH.resolve("rnn_tanh_2layer.safetensors").toString(),
                "--data",
                data,
                "--layers",
                "3",
                "-o",
                refused.toString());
        assertEquals(2, r.code);
        assertEquals(
                "rnn train: the run starts from the weights of " + TORCH.resolve("rnn_tanh_2layer.safetensors")
                        + ", whose "
                        + "architecture it takes, but 'layers' is 3 where it has 2; leave that setting out or give the source's",
                r.err.strip());
        assertFalse(Files.exists(refused));
        CliRunner missing = CliRunner.run(
                "train", "--init-from", dir.resolve("nope").toString(), "--data", data, "-o", refused.toString());
        assertEquals(2, missing.code);
        assertEquals(
                "rnn train: " + dir.resolve("nope") + ": no such run folder, checkpoint or .safetensors file",
                missing.err.strip());
    }

    @Test
    void aBidirectionalImportAnalyzesWithoutALyapunovExponent() {
        Path run = dir.resolve("bidir");
        CliRunner i = CliRunner.run(
                "import",
                TORCH.resolve("rnn_relu_bidir.safetensors").toString(),
                "--activation",
                "relu",
                "-o",
                run.toString());
        assertEquals(0, i.code, i.err);
        CliRunner a = CliRunner.run("analyze", run.toString());
        assertEquals(0, a.code, a.err);
        assertTrue(a.out.contains("largest Lyapunov exponent λ₁: n/a") && a.out.contains("bidirectional"), a.out);
    }

    private static void assertClose(float[] want, float[] got) {
        float max = 0;
        for (float v : want) {
            max = Math.max(max, Math.abs(v));
        }
        assertArrayEquals(want, got, 1e-4f * max);
    }

    @Test
    void trainOnNpzWithNanPaddingAndOnCsvToTheSameBitsThenEvaluateOnAFile() throws IOException {
        // 12 sequences of up to 5 steps, 2 inputs, one of 3 classes each; NaN in the NPZ's padding.
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        int n = 12;
        int t = 5;
        float[] x = new float[n * t * 2];
        int[] lengths = new int[n];
        int[] labels = new int[n];
        StringBuilder csv = new StringBuilder("sequence,step,a,b,label\n");
        for (int s = 0; s < n; s++) {
            lengths[s] = 2 + r.nextInt(t - 1);
            labels[s] = r.nextInt(3);
            for (int k = 0; k < t; k++) {
                for (int j = 0; j < 2; j++) {
                    x[(s * t + k) * 2 + j] = k < lengths[s] ? (float) r.nextGaussian() : Float.NaN;
                }
                if (k < lengths[s]) {
                    csv.append(s)
                            .append(',')
                            .append(k)
                            .append(',')
                            .append(x[(s * t + k) * 2])
                            .append(',')
                            .append(x[(s * t + k) * 2 + 1])
                            .append(',')
                            .append(k == lengths[s] - 1 ? Integer.toString(labels[s]) : "")
                            .append('\n');
                }
            }
        }
        Path npz = dir.resolve("seqs.npz");
        try (OutputStream o = Files.newOutputStream(npz);
                java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(o)) {
            z.putNextEntry(new java.util.zip.ZipEntry("x.npy"));
            Npy.writeFloats(z, new long[] {n, t, 2}, x);
            z.putNextEntry(new java.util.zip.ZipEntry("y.npy"));
            Npy.writeInts(z, new long[] {n}, labels);
            z.putNextEntry(new java.util.zip.ZipEntry("lengths.npy"));
            Npy.writeInts(z, new long[] {n}, lengths);
        }
        Path csvFile = dir.resolve("seqs.csv");
        Files.writeString(csvFile, csv);
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        for (Path[] run : new Path[][] {{npz, a}, {csvFile, b}}) {
            CliRunner c = CliRunner.run(
                    "train",
                    "--quiet",
                    "--data",
                    run[0].toString(),
                    "--hidden",
                    "8",
                    "--batch",
                    "4",
                    "--iterations",
                    "9",
                    "-o",
                    run[1].toString());
            assertEquals(0, c.code, c.err);
        }
        var pa = org.bptt.training.config.Checkpoint.read(a.resolve("checkpoint.bin"))
                .parameters();
        var pb = org.bptt.training.config.Checkpoint.read(b.resolve("checkpoint.bin"))
                .parameters();
        for (String k : pa.keySet()) {
            assertArrayEquals(pa.get(k), pb.get(k), k);
        }
        CliRunner e = CliRunner.run("evaluate", a.toString(), "--data", csvFile.toString(), "--sequences", "50");
        assertEquals(0, e.code, e.err);
        assertTrue(
                e.out.contains("data(seqs.csv: 12 sequences, T=5, 3 classes per sequence)")
                        && e.out.contains("accuracy"),
                e.out);
    }

    private static float[] array(String model, String key) throws IOException {
        try (ZipFile z = new ZipFile(TORCH.resolve(model + ".npz").toFile());
                InputStream in = new BufferedInputStream(z.getInputStream(z.getEntry(key + ".npy")))) {
            return Npy.readFloats(in, Npy.readHeader(in, key), key);
        }
    }

    private static float[] read(Path npy) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(npy))) {
            Npy.Header h = Npy.readHeader(in, npy.toString());
            assertArrayEquals(new long[] {3, 6, 4}, h.shape());
            return Npy.readFloats(in, h, npy.toString());
        }
    }
}
