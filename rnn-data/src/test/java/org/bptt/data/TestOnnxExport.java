package org.bptt.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bptt.data.TorchModels.Choices;
import org.bptt.data.TorchModels.Imported;
import org.bptt.training.Network;
import org.bptt.training.config.RunConfig;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Exported ONNX graphs run in ONNX Runtime and give PyTorch's readouts (the models PyTorch
 * made in golden/torch), for several batch sizes and lengths of the one graph.
 */
final class TestOnnxExport {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "rnn_tanh,",
        "rnn_relu,relu",
        "gru,",
        "lstm,",
        "rnn_tanh_2layer,",
        "rnn_relu_bidir,relu",
        "gru_bidir,",
        "lstm_2layer_bidir,",
        "gru_3layer,"
    })
    void onnxRuntimeRunsTheExportedGraphAndGetsPyTorchsReadouts(String name, String activation) throws Exception {
        TorchReference ref = new TorchReference(name);
        Imported m = TorchModels.read(ref.model(), new Choices(null, null, activation));
        Network net =
                TorchModels.network(m, TorchModels.shapeOf(m.architecture()), RunConfig.defaults(), Fixtures.PLUGINS);
        Path file = dir.resolve(name + ".onnx");
        OnnxExport.write(net, file);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(file.toString(), new OrtSession.SessionOptions())) {
            assertArrayEquals(ref.y, run(env, s, ref.x, 3, 6), 1e-4f * max(ref.y), name + " N=3 T=6");
            // The same graph for one sequence of its first four steps (all six when bidirectional: the
            // backward pass reads the steps after t): N and T are dynamic.
            int t = m.architecture().bidirectional() ? 6 : 4;
            float[] x1 = new float[t * 3];
            float[] y1 = new float[t * 4];
            System.arraycopy(ref.x, 6 * 3, x1, 0, x1.length);
            System.arraycopy(ref.y, 6 * 4, y1, 0, y1.length);
            assertArrayEquals(y1, run(env, s, x1, 1, t), 1e-4f * max(ref.y), name + " N=1 T=" + t);
            // And what the platform itself predicts, for a batch PyTorch never saw.
            float[] x5 = new float[5 * 9 * 3];
            for (int k = 0; k < x5.length; k++) {
                x5[k] = (float) Math.sin(0.37 * k);
            }
            float[] ours = Predictions.readouts(net, x5, 5, 9, null, 2);
            assertArrayEquals(ours, run(env, s, x5, 5, 9), 1e-4f * max(ours), name + " N=5 T=9 against the platform");
            assertTrue(s.getMetadata()
                    .getCustomMetadata()
                    .get("module")
                    .equals(Map.of("vanilla", "RNN", "gru", "GRU", "lstm", "LSTM")
                            .get(m.architecture().cell())));
        }
        ModelProto graph = OnnxExport.model(net);
        List<NodeProto> recurrences = graph.getGraph().getNodeList().stream()
                .filter(n -> n.getName().startsWith("recurrence"))
                .toList();
        assertEquals(m.architecture().layers(), recurrences.size(), "one operator per layer");
        for (NodeProto n : recurrences) {
            assertEquals(
                    m.architecture().bidirectional(),
                    n.getAttributeList().stream()
                            .anyMatch(a -> a.getName().equals("direction")
                                    && a.getS().toStringUtf8().equals("bidirectional")),
                    n.getName());
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
