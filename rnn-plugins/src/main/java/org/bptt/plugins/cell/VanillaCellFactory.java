package org.bptt.plugins.cell;

import java.util.List;
import org.bptt.api.cell.Cell;
import org.bptt.api.cell.CellFactory;
import org.bptt.api.kernel.Activation;
import org.bptt.api.plugin.PluginOption;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.plugin.PluginParameter;

/** {@code vanilla}: h_t = act(U x_t + W h_{t-1} + b) with act tanh or relu. */
public final class VanillaCellFactory implements CellFactory {
    static final PluginOption<String> ACTIVATION =
            PluginOption.choice("activation", "tanh", "the non-linearity act", "tanh", "relu", "linear");

    @Override
    public String name() {
        return "vanilla";
    }

    @Override
    public String description() {
        return "Elman cell h_t = act(U x_t + W h_(t-1) + b)";
    }

    @Override
    public List<PluginParameter> parameters() {
        return PluginOption.parameters(ACTIVATION);
    }

    @Override
    public Cell create(PluginOptions options) {
        PluginOption.requireOnly(options, ACTIVATION);
        String a = ACTIVATION.read(options);
        // "linear" is the lecture's h_t = W h_(t-1) + ..., where the flow follows rho(W) exactly.
        return new VanillaCell(a.equals("linear") ? Activation.IDENTITY : Activation.parse(a));
    }
}
