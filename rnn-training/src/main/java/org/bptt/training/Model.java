package org.bptt.training;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.bptt.api.cell.Cell;
import org.bptt.api.init.Initializer;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.tensor.ParameterSet;
import org.bptt.api.tensor.ParameterSpec;
import org.bptt.api.tensor.ParameterSpec.Role;
import org.bptt.api.tensor.Structure;
import org.bptt.api.tensor.Tensor;

/**
 * A recurrent network: a cell with its parameters and the readout o_t = V h_t + c. The
 * parameter set lists the cell's parameters in its declared order, then V and c. The cell may
 * be a {@link LayerStack}; the readout then reads its top layer.
 */
public final class Model {
    private final Cell cell;
    private final int inputSize;
    private final int hiddenSize;
    private final int outputSize;
    private final int readoutWidth;
    private final List<ParameterSpec> specs;
    private final ParameterSet params = new ParameterSet();

    public Model(Cell cell, int inputSize, int hiddenSize, int outputSize) {
        this.cell = requireNonNull(cell, "cell is null");
        requirePositive("input size", inputSize);
        requirePositive("hidden size", hiddenSize);
        requirePositive("output size", outputSize);
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.outputSize = outputSize;
        this.readoutWidth = cell instanceof LayerStack s ? s.outputWidth(hiddenSize) : hiddenSize;
        List<ParameterSpec> all = new ArrayList<>(cell.parameters(inputSize, hiddenSize));
        for (ParameterSpec s : all) {
            if (s.name().equals("V") || s.name().equals("c")) {
                throw new IllegalArgumentException(
                        "cell " + cell.describe() + " declares parameter " + s.name() + ", a name the readout owns");
            }
        }
        all.add(new ParameterSpec("V", outputSize, readoutWidth, Role.OUTPUT_WEIGHTS, readoutWidth, outputSize));
        all.add(new ParameterSpec("c", 1, outputSize, Role.OUTPUT_BIAS, readoutWidth, outputSize));
        this.specs = List.copyOf(all);
        for (ParameterSpec s : specs) {
            params.add(s.newTensor());
        }
        if (cell.stateWidth(hiddenSize) < hiddenSize) {
            throw new IllegalArgumentException(
                    "cell " + cell.describe() + " has a state narrower than its hidden size");
        }
    }

    private static void requirePositive(String what, int v) {
        if (v <= 0) {
            throw new ConfigurationException(what + " must be at least 1, got " + v);
        }
    }

    /** Fills every parameter with the initializer, in declaration order, from one generator. */
    public void initialize(Initializer init, RandomGenerator random) {
        for (ParameterSpec s : specs) {
            Structure structure = s.role() == Role.RECURRENT_WEIGHTS ? cell.structure(s) : Structure.OTHER;
            init.initialize(s, structure, params.get(s.name()), random);
        }
    }

    public Cell cell() {
        return cell;
    }

    public int inputSize() {
        return inputSize;
    }

    public int hiddenSize() {
        return hiddenSize;
    }

    public int outputSize() {
        return outputSize;
    }
    /** Floats of each state row the readout reads: H, or D·H for a bidirectional {@link LayerStack}. */
    public int readoutWidth() {
        return readoutWidth;
    }

    public int stateWidth() {
        return cell.stateWidth(hiddenSize);
    }

    public List<ParameterSpec> specs() {
        return specs;
    }

    public ParameterSet params() {
        return params;
    }

    /**
     * The recurrent matrix whose spectrum decides vanishing or exploding, if the cell has exactly
     * one recurrent parameter and it is a square W or a diagonal recurrence (then diag(w), a copy).
     */
    public java.util.Optional<Tensor> recurrentMatrix() {
        return single(cell, specs, "");
    }

    /**
     * Layer {@code layer}'s recurrent matrix in direction {@code direction} (1 = reverse) of a
     * {@link LayerStack}, as {@link #recurrentMatrix()}; for a plain cell, layer 0's forward one
     * is {@link #recurrentMatrix()}.
     */
    public java.util.Optional<Tensor> recurrentMatrix(int layer, int direction) {
        if (!(cell instanceof LayerStack stack)) {
            return layer == 0 && direction == 0 ? recurrentMatrix() : java.util.Optional.empty();
        }
        if (layer < 0
                || layer >= stack.layers().count()
                || direction < 0
                || direction >= stack.layers().directions()) {
            return java.util.Optional.empty();
        }
        return single(
                stack.cell(), stack.layerParameters(layer, inputSize, hiddenSize), LayerStack.suffix(layer, direction));
    }

    private java.util.Optional<Tensor> single(Cell owner, List<ParameterSpec> among, String suffix) {
        ParameterSpec found = null;
        for (ParameterSpec s : among) {
            if (s.role() == Role.RECURRENT_WEIGHTS) {
                if (found != null) {
                    return java.util.Optional.empty();
                }
                found = s;
            }
        }
        if (found == null) {
            return java.util.Optional.empty();
        }
        Tensor t = params.get(found.name() + suffix);
        if (t.rows() == 1 && owner.structure(found) == Structure.DIAGONAL) {
            int n = t.cols();
            Tensor d = new Tensor(t.name(), n, n);
            for (int i = 0; i < n; i++) {
                d.data()[i * n + i] = t.data()[i];
            }
            return java.util.Optional.of(d);
        }
        return t.rows() == t.cols() ? java.util.Optional.of(t) : java.util.Optional.empty();
    }
}
