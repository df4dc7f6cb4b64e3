package org.bptt.data;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.bptt.api.data.Task;
import org.bptt.api.tensor.ParameterSet;
import org.bptt.api.tensor.Tensor;
import org.bptt.data.SafeTensors.Entry;
import org.bptt.training.LayerStack;
import org.bptt.training.Layers;
import org.bptt.training.Network;
import org.bptt.training.config.RunConfig;
import org.bptt.training.config.RunSettings;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.wiring.PluginChoice;

/**
 * PyTorch models in and out: the {@code state_dict} of a module holding an {@code nn.RNN},
 * {@code nn.GRU} or {@code nn.LSTM} and an {@code nn.Linear} readout, under whatever attribute
 * names the module gave them. The recurrent layer is found by PyTorch's parameter names
 * ({@code weight_ih_l0}, {@code weight_hh_l0}, {@code bias_ih_l0}, {@code bias_hh_l0}), the readout
 * as the {@code weight} [O, H] and {@code bias} [O] beside them. The gated cells use PyTorch's
 * layout and gate order already ([r; z; n] and [i; f; g; o]); the vanilla cell's one bias is
 * {@code bias_ih + bias_hh} (exported as {@code bias_ih} = b, {@code bias_hh} = 0).
 */
public final class TorchModels {
    /** The platform's name of each recurrent kind, and PyTorch's. */
    private static final Map<String, String> TORCH_CLASS = Map.of("vanilla", "RNN", "gru", "GRU", "lstm", "LSTM");

    private TorchModels() {}

    /**
     * What was found in a state_dict.
     *
     * @param cell           vanilla, gru or lstm
     * @param activation     tanh or relu for vanilla, empty otherwise
     * @param layers         num_layers
     * @param bidirectional  whether there are {@code _reverse} parameters
     * @param recurrentPrefix the recurrent module's prefix in the state_dict ("rnn.", "encoder.lstm."…)
     * @param readoutPrefix  the readout's prefix ("fc.", "head."…)
     */
    public record Architecture(
            String cell,
            String activation,
            int layers,
            boolean bidirectional,
            int inputSize,
            int hiddenSize,
            int outputSize,
            String recurrentPrefix,
            String readoutPrefix) {
        public String describe() {
            return String.format(
                    Locale.ROOT,
                    "nn.%s(%d, %d%s%s%s) at '%s' with an nn.Linear(%d, %d) readout at '%s'",
                    TORCH_CLASS.get(cell),
                    inputSize,
                    hiddenSize,
                    layers > 1 ? ", num_layers=" + layers : "",
                    bidirectional ? ", bidirectional=True" : "",
                    cell.equals("vanilla") ? ", nonlinearity='" + activation + "'" : "",
                    recurrentPrefix,
                    hiddenSize * (bidirectional ? 2 : 1),
                    outputSize,
                    readoutPrefix);
        }

        /** Blocks of H rows in each weight: 1 for nn.RNN, 3 for nn.GRU, 4 for nn.LSTM. */
        public int gates() {
            return switch (cell) {
                case "gru" -> 3;
                case "lstm" -> 4;
                default -> 1;
            };
        }

        /** 2 for a bidirectional module, else 1. */
        public int directions() {
            return bidirectional ? 2 : 1;
        }
    }

    /** A model read from a state_dict: its architecture and its parameters under the platform's names. */
    public record Imported(Architecture architecture, Map<String, float[]> parameters) {}

    /**
     * Settles what the file alone does not say. Each may be null: the recurrent module's and the
     * readout's prefixes (needed when several are found), the vanilla cell's activation
     * (default: the file's metadata, else PyTorch's default tanh).
     */
    public record Choices(String recurrentPrefix, String readoutPrefix, String activation) {
        public static final Choices NONE = new Choices(null, null, null);
    }

    /** Several modules fit: {@code candidates} lists their prefixes. */
    public static final class AmbiguousModelException extends DataFileException {
        private static final long serialVersionUID = 1L;
        private final transient List<String> candidates;
        private final boolean recurrent;

        AmbiguousModelException(Path file, boolean recurrent, List<String> candidates) {
            super(
                    file,
                    "holds " + candidates.size()
                            + (recurrent ? " recurrent modules" : " possible readouts (nn.Linear of the right shape)")
                            + ", at "
                            + String.join(
                                    ", ",
                                    candidates.stream().map(c -> "'" + c + "'").toList()) + "; name the one to import");
            this.candidates = List.copyOf(candidates);
            this.recurrent = recurrent;
        }

        public List<String> candidates() {
            return candidates;
        }
        /** True for the recurrent module, false for the readout. */
        public boolean recurrent() {
            return recurrent;
        }
    }

    /** Reads a state_dict saved with safetensors. */
    public static Imported read(Path file, Choices choices) {
        SafeTensors.Contents c = SafeTensors.read(file);
        return fromStateDict(file, c.tensors(), c.metadata(), choices);
    }

    static Imported fromStateDict(Path file, Map<String, Entry> sd, Map<String, String> metadata, Choices choices) {
        requireNonNull(choices, "choices is null");
        String rp = pick(
                file,
                true,
                prefixes(sd, "weight_ih_l0"),
                choices.recurrentPrefix(),
                () -> "has no recurrent layer: no tensor named "
                        + "'…weight_ih_l0' (PyTorch's nn.RNN, nn.GRU and nn.LSTM parameters); it holds " + names(sd));
        Entry wih = sd.get(rp + "weight_ih_l0");
        Entry whh = require(file, sd, rp + "weight_hh_l0");
        if (sd.containsKey(rp + "weight_hr_l0")) {
            throw new DataFileException(
                    file, "holds an LSTM with proj_size (" + rp + "weight_hr_l0), which has no counterpart here");
        }
        if (whh.rank() != 2
                || wih.rank() != 2
                || whh.shape()[1] < 1
                || wih.shape()[1] < 1
                || whh.shape()[0] % whh.shape()[1] != 0
                || wih.shape()[0] != whh.shape()[0]) {
            throw new DataFileException(
                    file,
                    "has " + rp + "weight_ih_l0 of shape " + wih.shapeText() + " and " + rp + "weight_hh_l0 of shape "
                            + whh.shapeText() + ", which are not an nn.RNN, nn.GRU or nn.LSTM's [G·H, I] and [G·H, H]");
        }
        int h = (int) whh.shape()[1];
        int in = (int) wih.shape()[1];
        int gates = (int) (whh.shape()[0] / h);
        String cell = switch (gates) {
            case 1 -> "vanilla";
            case 3 -> "gru";
            case 4 -> "lstm";
            default ->
                throw new DataFileException(
                        file,
                        "has " + rp + "weight_hh_l0 of shape " + whh.shapeText() + ", " + gates + " blocks of H = " + h
                                + " rows: not an nn.RNN (1), nn.GRU (3) or nn.LSTM (4)");
        };
        int layers = 1;
        while (sd.containsKey(rp + "weight_ih_l" + layers)) {
            layers++;
        }
        boolean bidirectional = sd.containsKey(rp + "weight_ih_l0_reverse");
        int dirs = bidirectional ? 2 : 1;
        String activation = "";
        if (cell.equals("vanilla")) {
            activation =
                    choices.activation() != null ? choices.activation() : metadata.getOrDefault("nonlinearity", "tanh");
            if (!activation.equals("tanh") && !activation.equals("relu")) {
                throw new DataFileException(
                        file, "asks for the nonlinearity '" + activation + "', but nn.RNN has tanh and relu");
            }
        }
        List<String> readouts = new ArrayList<>();
        for (String p : prefixes(sd, "weight")) {
            Entry w = sd.get(p + "weight");
            if (!p.startsWith(rp)
                    && (p.isEmpty() || p.endsWith("."))
                    && w.rank() == 2
                    && w.shape()[1] == (long) h * dirs) {
                readouts.add(p);
            }
        }
        String op = pick(
                file,
                false,
                readouts,
                choices.readoutPrefix(),
                () -> "has no readout: no nn.Linear weight of shape [O, " + h * dirs
                        + "] beside the recurrent layer at '" + rp + "'; it holds " + names(sd));
        Entry v = sd.get(op + "weight");
        int out = (int) v.shape()[0];
        Architecture arch = new Architecture(cell, activation, layers, bidirectional, in, h, out, rp, op);
        Map<String, float[]> params = new LinkedHashMap<>();
        boolean single = layers == 1 && !bidirectional;
        for (int l = 0; l < layers; l++) {
            for (int d = 0; d < dirs; d++) {
                layer(file, sd, arch, l, d, single ? "" : LayerStack.suffix(l, d), params);
            }
        }
        params.put("V", finite(file, op + "weight", v));
        params.put("c", bias(file, sd, op + "bias", out));
        return new Imported(arch, params);
    }

    /**
     * Layer {@code l}, direction {@code d} of the recurrent module under the platform's names:
     * the cell's own, plus {@code suffix} in a stack ({@link LayerStack}'s names are PyTorch's).
     */
    private static void layer(
            Path file,
            Map<String, Entry> sd,
            Architecture a,
            int l,
            int d,
            String suffix,
            Map<String, float[]> params) {
        String rp = a.recurrentPrefix();
        String torch = LayerStack.suffix(l, d);
        int h = a.hiddenSize();
        int g = a.gates() * h;
        int in = l == 0 ? a.inputSize() : a.directions() * h;
        float[] wih = matrix(file, sd, rp + "weight_ih" + torch, g, in);
        float[] whh = matrix(file, sd, rp + "weight_hh" + torch, g, h);
        float[] bih = bias(file, sd, rp + "bias_ih" + torch, g);
        float[] bhh = bias(file, sd, rp + "bias_hh" + torch, g);
        if (a.cell().equals("vanilla")) {
            float[] b = new float[h];
            for (int k = 0; k < h; k++) {
                b[k] = bih[k] + bhh[k];
            }
            params.put("U" + suffix, wih);
            params.put("W" + suffix, whh);
            params.put("b" + suffix, b);
        } else {
            params.put("weight_ih" + suffix, wih);
            params.put("weight_hh" + suffix, whh);
            params.put("bias_ih" + suffix, bih);
            params.put("bias_hh" + suffix, bhh);
        }
    }

    private static float[] matrix(Path file, Map<String, Entry> sd, String name, int rows, int cols) {
        Entry e = require(file, sd, name);
        if (e.rank() != 2 || e.shape()[0] != rows || e.shape()[1] != cols) {
            throw new DataFileException(
                    file, "has " + name + " of shape " + e.shapeText() + ", expected [" + rows + ", " + cols + "]");
        }
        return finite(file, name, e);
    }

    private static float[] bias(Path file, Map<String, Entry> sd, String name, int size) {
        Entry e = sd.get(name);
        if (e == null) {
            return new float[size]; // bias=False
        }
        if (e.data().length != size) {
            throw new DataFileException(
                    file, "has " + name + " of shape " + e.shapeText() + ", expected [" + size + "]");
        }
        return finite(file, name, e);
    }

    /** The tensor's values, unless one is NaN or infinite: a damaged file or a diverged model, refused here rather than trained. */
    private static float[] finite(Path file, String name, Entry e) {
        float[] v = e.data();
        for (int k = 0; k < v.length; k++) {
            if (!Float.isFinite(v[k])) {
                throw new DataFileException(
                        file,
                        "has " + v[k] + " in " + name + " (element " + k + " of " + e.shapeText()
                                + "); a model's parameters must be finite numbers");
            }
        }
        return v;
    }

    private static Entry require(Path file, Map<String, Entry> sd, String name) {
        Entry e = sd.get(name);
        if (e == null) {
            throw new DataFileException(
                    file, "has no tensor '" + name + "', which every nn.RNN, nn.GRU and nn.LSTM has");
        }
        return e;
    }

    private static List<String> prefixes(Map<String, Entry> sd, String suffix) {
        TreeSet<String> p = new TreeSet<>();
        for (String k : sd.keySet()) {
            if (k.endsWith(suffix)) {
                p.add(k.substring(0, k.length() - suffix.length()));
            }
        }
        return new ArrayList<>(p);
    }

    private static String pick(
            Path file,
            boolean recurrent,
            List<String> candidates,
            String chosen,
            java.util.function.Supplier<String> none) {
        if (chosen != null) {
            String c = chosen.isEmpty() || chosen.endsWith(".") ? chosen : chosen + ".";
            if (!candidates.contains(c)) {
                throw new DataFileException(
                        file,
                        "has no " + (recurrent ? "recurrent module" : "readout") + " at '" + c + "'"
                                + (candidates.isEmpty()
                                        ? ""
                                        : "; it has " + (recurrent ? "recurrent modules" : "readouts") + " at "
                                                + String.join(
                                                        ", ",
                                                        candidates.stream()
                                                                .map(x -> "'" + x + "'")
                                                                .toList())));
            }
            return c;
        }
        if (candidates.isEmpty()) {
            throw new DataFileException(file, none.get());
        }
        if (candidates.size() > 1) {
            throw new AmbiguousModelException(file, recurrent, candidates);
        }
        return candidates.get(0);
    }

    private static String names(Map<String, Entry> sd) {
        List<String> n = new ArrayList<>(sd.keySet());
        return n.size() <= 8 ? n.toString() : n.subList(0, 8) + " and " + (n.size() - 8) + " more";
    }

    /**
     * A network of the imported architecture holding the imported parameters; {@code task} gives
     * its loss and data (a {@link #shapeOf shape-only task} when there are none), {@code base} the
     * rest of the run's configuration (optimizer, batch, seed…).
     */
    public static Network network(Imported m, Task task, RunConfig base, Plugins plugins) {
        Architecture a = m.architecture();
        if (task.inputSize() != a.inputSize() || task.outputSize() != a.outputSize()) {
            throw new org.bptt.api.plugin.ConfigurationException(
                    "the model takes " + a.inputSize() + " inputs and gives " + a.outputSize()
                            + " outputs, but the data have " + task.inputSize() + " and " + task.outputSize());
        }
        Network n = Network.create(configFor(a, base), task, plugins);
        ParameterSet ps = n.model().params();
        for (var e : m.parameters().entrySet()) {
            Tensor t = ps.get(e.getKey());
            if (t.size() != e.getValue().length) {
                throw new IllegalStateException(
                        "parameter " + e.getKey() + " has " + t.size() + " floats, the import " + e.getValue().length);
            }
            System.arraycopy(e.getValue(), 0, t.data(), 0, t.size());
        }
        return n;
    }

    /** {@code base} with the architecture's cell, hidden size, layers and directions. */
    public static RunConfig configFor(Architecture a, RunConfig base) {
        return base.toBuilder()
                .hidden(a.hiddenSize())
                .set(RunSettings.LAYERS, a.layers())
                .set(RunSettings.BIDIRECTIONAL, a.bidirectional())
                .cell(
                        a.cell().equals("vanilla")
                                ? new PluginChoice("vanilla", Map.of("activation", a.activation()))
                                : PluginChoice.of(a.cell()))
                .build();
    }

    /** A task that only states sizes (no data), for a model imported without data. */
    public static Task shapeOf(Architecture a) {
        return ArrayTask.of(new float[1][1][a.inputSize()], new float[1][1][a.outputSize()], null);
    }

    /**
     * Writes {@code net} as a PyTorch state_dict ({@code rnn.weight_ih_l0}…, {@code fc.weight},
     * {@code fc.bias}) with metadata naming the module to load it into.
     */
    public static void exportSafetensors(Network net, Path file) throws IOException {
        SafeTensors.write(file, stateDict(net), metadata(net));
    }

    /** The network's parameters under PyTorch's names, shapes as PyTorch's, layer by layer, forward then reverse. */
    public static Map<String, Entry> stateDict(Network net) {
        String cell = cellOf(net);
        ParameterSet ps = net.model().params();
        int h = net.model().hiddenSize();
        Layers layers = net.layers();
        Map<String, Entry> sd = new LinkedHashMap<>();
        for (int l = 0; l < layers.count(); l++) {
            for (int d = 0; d < layers.directions(); d++) {
                String torch = LayerStack.suffix(l, d);
                String ours = layers.single() ? "" : torch;
                if (cell.equals("vanilla")) {
                    sd.put("rnn.weight_ih" + torch, entry(ps.get("U" + ours)));
                    sd.put("rnn.weight_hh" + torch, entry(ps.get("W" + ours)));
                    sd.put(
                            "rnn.bias_ih" + torch,
                            new Entry(new long[] {h}, ps.get("b" + ours).data().clone()));
                    sd.put("rnn.bias_hh" + torch, new Entry(new long[] {h}, new float[h]));
                } else {
                    for (String p : new String[] {"weight_ih", "weight_hh", "bias_ih", "bias_hh"}) {
                        Tensor t = ps.get(p + ours);
                        sd.put(
                                "rnn." + p + torch,
                                p.startsWith("bias")
                                        ? new Entry(
                                                new long[] {t.size()}, t.data().clone())
                                        : entry(t));
                    }
                }
            }
        }
        sd.put("fc.weight", entry(ps.get("V")));
        sd.put(
                "fc.bias",
                new Entry(new long[] {ps.get("c").size()}, ps.get("c").data().clone()));
        return sd;
    }

    /** What {@code load_state_dict} needs to know of the module: the class and its arguments. */
    public static Map<String, String> metadata(Network net) {
        String cell = cellOf(net);
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", "pt");
        m.put("module", TORCH_CLASS.get(cell));
        if (cell.equals("vanilla")) {
            m.put("nonlinearity", activationOf(net));
        }
        m.put("input_size", Integer.toString(net.inputSize()));
        m.put("hidden_size", Integer.toString(net.model().hiddenSize()));
        m.put("num_layers", Integer.toString(net.layers().count()));
        m.put("bidirectional", Boolean.toString(net.layers().bidirectional()));
        if (net.layers().dropout() > 0) {
            m.put("dropout", Double.toString(net.layers().dropout()));
        }
        m.put("batch_first", "true");
        m.put("output_size", Integer.toString(net.outputSize()));
        m.put("producer", "rnn-bptt");
        return m;
    }

    static String cellOf(Network net) {
        String cell = net.config().cell().name();
        if (!TORCH_CLASS.containsKey(cell)) {
            throw new org.bptt.api.plugin.ConfigurationException(
                    "the cell '" + cell + "' has no PyTorch counterpart; vanilla, gru and lstm do");
        }
        return cell;
    }

    static String activationOf(Network net) {
        return net.config().cell().options().getOrDefault("activation", "tanh");
    }

    private static Entry entry(Tensor t) {
        return new Entry(new long[] {t.rows(), t.cols()}, t.data().clone());
    }
}
