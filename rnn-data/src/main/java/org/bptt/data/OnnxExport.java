package org.bptt.data;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;
import org.bptt.api.internal.io.AtomicFile;
import org.bptt.api.tensor.ParameterSet;
import org.bptt.training.LayerStack;
import org.bptt.training.Layers;
import org.bptt.training.Network;

/**
 * A network as an ONNX graph of standard operators: input {@code x} float [N, T, I] (N and T
 * dynamic), transposed to ONNX's time-major layout, one {@code RNN}, {@code GRU} or {@code LSTM}
 * node per layer (direction "bidirectional" for a bidirectional network), each output
 * [T, D, N, H] transposed and reshaped to the next layer's [T, N, D·H] (the top one's to
 * [N, T, D·H]), then the readout ({@code MatMul} by Vᵀ, {@code Add} c) to output
 * {@code y} float [N, T, O]. ONNX orders the gates differently from PyTorch (GRU z, r, h;
 * LSTM i, o, f, c): the blocks are reordered here. The GRU node has
 * {@code linear_before_reset = 1}, PyTorch's n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)).
 */
public final class OnnxExport {
    /** Opset 14: Squeeze takes its axes as an input (13+), RNN ops as in 7+. */
    private static final long OPSET = 14;

    private static final long IR_VERSION = 8;
    private static final int FLOAT = TensorProto.DataType.FLOAT.getNumber();
    private static final int INT64 = TensorProto.DataType.INT64.getNumber();

    private OnnxExport() {}

    /** Writes the graph; the file appears whole or not at all. */
    public static void write(Network net, Path file) throws IOException {
        byte[] bytes = model(net).toByteArray();
        AtomicFile.write(file, bytes);
    }

    /** The ONNX model of {@code net}. */
    public static ModelProto model(Network net) {
        String cell = TorchModels.cellOf(net);
        ParameterSet ps = net.model().params();
        int in = net.inputSize();
        int h = net.model().hiddenSize();
        int out = net.outputSize();
        GraphProto.Builder g = GraphProto.newBuilder().setName("rnn_bptt");
        g.addInput(value("x", in));
        g.addOutput(value("y", out));
        g.addNode(node("Transpose", "to_time_major", new String[] {"x"}, "x_tm").addAttribute(ints("perm", 1, 0, 2)));
        // Reshape's 0 keeps a dimension, so [T, N, D, H] → [T, N, D·H] holds for any T and N.
        g.addInitializer(TensorProto.newBuilder()
                .setName("merge_directions")
                .setDataType(INT64)
                .addDims(3)
                .addInt64Data(0)
                .addInt64Data(0)
                .addInt64Data(-1));
        Layers layers = net.layers();
        String input = "x_tm";
        for (int l = 0; l < layers.count(); l++) {
            int width = l == 0 ? in : layers.directions() * h;
            String y = layer(g, ps, net, cell, layers, l, width, h, input);
            boolean top = l == layers.count() - 1;
            // ONNX's Y is [T, D, N, H]; the next layer reads [T, N, D·H] and the readout [N, T, D·H],
            // forward then backward as PyTorch concatenates them.
            g.addNode(node("Transpose", "layer" + l + "_directions_last", new String[] {y}, y + "_t")
                    .addAttribute(top ? ints("perm", 2, 0, 1, 3) : ints("perm", 0, 2, 1, 3)));
            input = top ? "h" : "x_l" + (l + 1);
            g.addNode(node("Reshape", "layer" + l + "_merge", new String[] {y + "_t", "merge_directions"}, input));
        }
        int readout = layers.directions() * h;
        g.addInitializer(tensor("V_t", transpose(ps.get("V").data(), out, readout), readout, out));
        g.addInitializer(tensor("c", ps.get("c").data(), out));
        g.addNode(node("MatMul", "readout", new String[] {"h", "V_t"}, "vh"));
        g.addNode(node("Add", "readout_bias", new String[] {"vh", "c"}, "y"));
        ModelProto.Builder m = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("rnn-bptt")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(g);
        for (Map.Entry<String, String> e : TorchModels.metadata(net).entrySet()) {
            m.addMetadataProps(
                    StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()));
        }
        return m.build();
    }

    /** One RNN/GRU/LSTM node for layer {@code l} (both directions), its weights as initializers; returns its output Y. */
    private static String layer(
            GraphProto.Builder g,
            ParameterSet ps,
            Network net,
            String cell,
            Layers layers,
            int l,
            int in,
            int h,
            String input) {
        int dirs = layers.directions();
        int gates = cell.equals("vanilla") ? 1 : cell.equals("gru") ? 3 : 4;
        // PyTorch's gate blocks → ONNX's: GRU [r, z, n] → [z, r, h], LSTM [i, f, g, o] → [i, o, f, c].
        int[] order =
                cell.equals("gru") ? new int[] {1, 0, 2} : cell.equals("lstm") ? new int[] {0, 3, 1, 2} : new int[] {0};
        float[] w = new float[dirs * gates * h * in];
        float[] r = new float[dirs * gates * h * h];
        float[] bias = new float[dirs * 2 * gates * h];
        for (int d = 0; d < dirs; d++) {
            String s = layers.single() ? "" : LayerStack.suffix(l, d);
            float[] bi;
            float[] bh;
            if (cell.equals("vanilla")) {
                System.arraycopy(ps.get("U" + s).data(), 0, w, d * h * in, h * in);
                System.arraycopy(ps.get("W" + s).data(), 0, r, d * h * h, h * h);
                bi = ps.get("b" + s).data();
                bh = new float[h];
            } else {
                System.arraycopy(
                        reorder(ps.get("weight_ih" + s).data(), order, h * in),
                        0,
                        w,
                        d * gates * h * in,
                        gates * h * in);
                System.arraycopy(
                        reorder(ps.get("weight_hh" + s).data(), order, h * h), 0, r, d * gates * h * h, gates * h * h);
                bi = reorder(ps.get("bias_ih" + s).data(), order, h);
                bh = reorder(ps.get("bias_hh" + s).data(), order, h);
            }
            System.arraycopy(bi, 0, bias, d * 2 * gates * h, gates * h);
            System.arraycopy(bh, 0, bias, (d * 2 + 1) * gates * h, gates * h);
        }
        String p = "_l" + l;
        g.addInitializer(tensor("W" + p, w, dirs, gates * h, in));
        g.addInitializer(tensor("R" + p, r, dirs, gates * h, h));
        g.addInitializer(tensor("B" + p, bias, dirs, 2 * gates * h));
        String op = cell.equals("vanilla") ? "RNN" : cell.equals("gru") ? "GRU" : "LSTM";
        String y = "y" + p;
        NodeProto.Builder n = node(op, "recurrence" + p, new String[] {input, "W" + p, "R" + p, "B" + p}, y)
                .addAttribute(AttributeProto.newBuilder()
                        .setName("hidden_size")
                        .setType(AttributeProto.AttributeType.INT)
                        .setI(h));
        if (dirs == 2) {
            n.addAttribute(AttributeProto.newBuilder()
                    .setName("direction")
                    .setType(AttributeProto.AttributeType.STRING)
                    .setS(ByteString.copyFromUtf8("bidirectional")));
        }
        if (cell.equals("vanilla")) {
            String act = TorchModels.activationOf(net).equals("relu") ? "Relu" : "Tanh";
            AttributeProto.Builder a =
                    AttributeProto.newBuilder().setName("activations").setType(AttributeProto.AttributeType.STRINGS);
            for (int d = 0; d < dirs; d++) {
                a.addStrings(ByteString.copyFromUtf8(act));
            }
            n.addAttribute(a);
        } else if (cell.equals("gru")) {
            n.addAttribute(AttributeProto.newBuilder()
                    .setName("linear_before_reset")
                    .setType(AttributeProto.AttributeType.INT)
                    .setI(1));
        }
        g.addNode(n);
        return y;
    }

    private static ValueInfoProto value(String name, int last) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("T"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(last));
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder()
                        .setTensorType(
                                TypeProto.Tensor.newBuilder().setElemType(FLOAT).setShape(shape)))
                .build();
    }

    private static NodeProto.Builder node(String op, String name, String[] inputs, String output) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name).addOutput(output);
        for (String i : inputs) {
            n.addInput(i);
        }
        return n;
    }

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    private static TensorProto tensor(String name, float[] data, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(data.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(data);
        TensorProto.Builder t =
                TensorProto.newBuilder().setName(name).setDataType(FLOAT).setRawData(ByteString.copyFrom(b.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    /** Blocks of {@code block} floats in the order {@code order} (block k of the result is block order[k] of src). */
    private static float[] reorder(float[] src, int[] order, int block) {
        float[] dst = new float[src.length];
        for (int k = 0; k < order.length; k++) {
            System.arraycopy(src, order[k] * block, dst, k * block, block);
        }
        return dst;
    }

    private static float[] transpose(float[] m, int rows, int cols) {
        float[] t = new float[m.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = m[i * cols + j];
            }
        }
        return t;
    }
}
