package org.bptt.examples.gated.cell;

import java.util.Set;

import org.bptt.api.cell.Cell;
import org.bptt.api.cell.CellFactory;
import org.bptt.api.plugin.PluginOptions;

/** {@code gru}: PyTorch's nn.GRU cell; no options. */
public final class GruCellFactory implements CellFactory {
    @Override
    public String name() { return "gru"; }

    @Override
    public String description() {
        return "gated recurrent unit, PyTorch's nn.GRU equations and parameters (weight_ih, weight_hh, bias_ih, bias_hh)";
    }

    @Override
    public Cell create(PluginOptions options) {
        options.requireOnly(Set.of());
        ApiCheck.requireKernels("gru", "multiplyAddElements", "gruUpdate", "gruBackward");
        return new GruCell();
    }
}
