package org.bptt.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;

import org.bptt.api.tensor.ParameterSet;
import org.bptt.training.Network;
import org.bptt.api.internal.io.AtomicFile;

import com.google.protobuf.ByteString;

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

/**
 * A network as an ONNX graph of standard operators: input {@code x} float [N, T, I] (N and T
 * dynamic), transposed to ONNX's time-major layout, one {@code RNN}, {@code GRU} or {@code LSTM}
 * node, transposed back, then the readout ({@code MatMul} by Vᵀ, {@code Add} c) to output
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
        String op;
        int gates;
        float[] w;
        float[] r;
        float[] bias;
        if (cell.equals("vanilla")) {
            op = "RNN";
            gates = 1;
            w = ps.get("U").data();
            r = ps.get("W").data();
            bias = concat(ps.get("b").data(), new float[h]);
        } else {
            op = cell.equals("gru") ? "GRU" : "LSTM";
            gates = cell.equals("gru") ? 3 : 4;
            // PyTorch's gate blocks → ONNX's: GRU [r, z, n] → [z, r, h], LSTM [i, f, g, o] → [i, o, f, c].
            int[] order = cell.equals("gru") ? new int[] {1, 0, 2} : new int[] {0, 3, 1, 2};
            w = reorder(ps.get("weight_ih").data(), order, h * in);
            r = reorder(ps.get("weight_hh").data(), order, h * h);
            bias = concat(reorder(ps.get("bias_ih").data(), order, h), reorder(ps.get("bias_hh").data(), order, h));
        }
        g.addInitializer(tensor("W", w, 1, gates * h, in));
        g.addInitializer(tensor("R", r, 1, gates * h, h));
        g.addInitializer(tensor("B", bias, 1, 2 * gates * h));
        NodeProto.Builder rnn = node(op, "recurrence", new String[] {"x_tm", "W", "R", "B"}, "h_all")
                .addAttribute(AttributeProto.newBuilder().setName("hidden_size").setType(AttributeProto.AttributeType.INT).setI(h));
        if (cell.equals("vanilla")) {
            String act = TorchModels.activationOf(net).equals("relu") ? "Relu" : "Tanh";
            rnn.addAttribute(AttributeProto.newBuilder().setName("activations").setType(AttributeProto.AttributeType.STRINGS)
                    .addStrings(ByteString.copyFromUtf8(act)));
        } else if (cell.equals("gru")) {
            rnn.addAttribute(AttributeProto.newBuilder().setName("linear_before_reset").setType(AttributeProto.AttributeType.INT).setI(1));
        }
        g.addNode(rnn);
        // h_all is [T, directions, N, H]: drop the direction axis, back to [N, T, H].
        g.addInitializer(TensorProto.newBuilder().setName("direction_axis").setDataType(INT64).addDims(1).addInt64Data(1));
        g.addNode(node("Squeeze", "one_direction", new String[] {"h_all", "direction_axis"}, "h_tm"));
        g.addNode(node("Transpose", "to_batch_major", new String[] {"h_tm"}, "h").addAttribute(ints("perm", 1, 0, 2)));
        g.addInitializer(tensor("V_t", transpose(ps.get("V").data(), out, h), h, out));
        g.addInitializer(tensor("c", ps.get("c").data(), out));
        g.addNode(node("MatMul", "readout", new String[] {"h", "V_t"}, "vh"));
        g.addNode(node("Add", "readout_bias", new String[] {"vh", "c"}, "y"));
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("rnn-bptt")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET)).setGraph(g);
        for (Map.Entry<String, String> e : TorchModels.metadata(net).entrySet()) {
            m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()));
        }
        return m.build();
    }

    private static ValueInfoProto value(String name, int last) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("T"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(last));
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(FLOAT).setShape(shape))).build();
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
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(FLOAT).setRawData(ByteString.copyFrom(b.array()));
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

    private static float[] concat(float[] a, float[] b) {
        float[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
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
