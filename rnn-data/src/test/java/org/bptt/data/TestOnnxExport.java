package org.bptt.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

import org.bptt.data.TorchModels.Choices;
import org.bptt.data.TorchModels.Imported;
import org.bptt.training.Network;
import org.bptt.training.run.RunConfig;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

/**
 * Exported ONNX graphs run in ONNX Runtime and give PyTorch's readouts (the models PyTorch
 * made in golden/torch), for several batch sizes and lengths of the one graph.
 */
final class TestOnnxExport {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"rnn_tanh,", "rnn_relu,relu", "gru,", "lstm,"})
    void onnxRuntimeRunsTheExportedGraphAndGetsPyTorchsReadouts(String name, String activation) throws Exception {
        TorchReference ref = new TorchReference(name);
        Imported m = TorchModels.read(ref.model(), new Choices(null, null, activation));
        Network net = TorchModels.network(m, TorchModels.shapeOf(m.architecture()), RunConfig.defaults(), Fixtures.PLUGINS);
        Path file = dir.resolve(name + ".onnx");
        OnnxExport.write(net, file);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(file.toString(), new OrtSession.SessionOptions())) {
            assertArrayEquals(ref.y, run(env, s, ref.x, 3, 6), 1e-4f * max(ref.y), name + " N=3 T=6");
            // The same graph for one sequence of its first four steps: N and T are dynamic.
            float[] x1 = new float[4 * 3];
            float[] y1 = new float[4 * 4];
            System.arraycopy(ref.x, 6 * 3, x1, 0, x1.length);
            System.arraycopy(ref.y, 6 * 4, y1, 0, y1.length);
            assertArrayEquals(y1, run(env, s, x1, 1, 4), 1e-4f * max(ref.y), name + " N=1 T=4");
            assertTrue(s.getMetadata().getCustomMetadata().get("module").equals(Map.of("vanilla", "RNN", "gru", "GRU", "lstm", "LSTM")
                    .get(m.architecture().cell())));
        }
    }

    private static float[] run(OrtEnvironment env, OrtSession s, float[] x, int n, int t) throws Exception {
        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {n, t, 3});
             OrtSession.Result r = s.run(Map.of("x", in))) {
            OnnxTensor y = (OnnxTensor) r.get("y").orElseThrow();
            long[] shape = y.getInfo().getShape();
            assertArrayEquals(new long[] {n, t, 4}, shape);
            FloatBuffer b = y.getFloatBuffer();
            float[] out = new float[b.remaining()];
            b.get(out);
            return out;
        }
    }

    private static float max(float[] v) {
        float m = 0;
        for (float f : v) {
            m = Math.max(m, Math.abs(f));
        }
        return m;
    }
}
