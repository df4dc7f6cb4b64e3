package org.bptt.examples.gated.cell;

import java.util.Set;

import org.bptt.api.cell.Cell;
import org.bptt.api.cell.CellFactory;
import org.bptt.api.plugin.PluginOptions;

/** {@code lstm}: PyTorch's nn.LSTM cell, state [h, c]; no options. */
public final class LstmCellFactory implements CellFactory {
    @Override
    public String name() { return "lstm"; }

    @Override
    public String description() {
        return "long short-term memory, PyTorch's nn.LSTM equations and parameters; state [h, c]";
    }

    @Override
    public Cell create(PluginOptions options) {
        options.requireOnly(Set.of());
        ApiCheck.requireKernels("lstm", "lstmUpdate", "lstmBackward");
        return new LstmCell();
    }
}
