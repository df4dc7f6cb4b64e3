package org.bptt.plugins.cell;

import java.util.List;
import java.util.Set;

import org.bptt.api.cell.Cell;
import org.bptt.api.cell.CellFactory;
import org.bptt.api.kernel.Activation;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.plugin.PluginParameter;

/** {@code vanilla}: h_t = act(U x_t + W h_{t-1} + b) with act tanh or relu. */
public final class VanillaCellFactory implements CellFactory {
    @Override
    public String name() { return "vanilla"; }

    @Override
    public String description() { return "Elman cell h_t = act(U x_t + W h_(t-1) + b)"; }

    @Override
    public List<PluginParameter> parameters() {
        return List.of(new PluginParameter("activation", "tanh", "tanh or relu"));
    }

    @Override
    public Cell create(PluginOptions options) {
        options.requireOnly(Set.of("activation"));
        String a = options.string("activation", "tanh");
        if (!a.equals("tanh") && !a.equals("relu")) {
            throw new ConfigurationException("vanilla: activation must be tanh or relu, got '" + a + "'");
        }
        return new VanillaCell(Activation.parse(a));
    }
}
