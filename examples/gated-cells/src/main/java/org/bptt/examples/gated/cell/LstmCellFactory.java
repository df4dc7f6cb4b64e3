package org.bptt.examples.gated.cell;

import java.util.List;
import java.util.Set;

import org.bptt.api.cell.Cell;
import org.bptt.api.cell.CellFactory;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.plugin.PluginParameter;

/** {@code lstm}: PyTorch's nn.LSTM cell, state [h, c]; option forget-bias. */
public final class LstmCellFactory implements CellFactory {
    @Override
    public String name() { return "lstm"; }

    @Override
    public String description() {
        return "long short-term memory, PyTorch's nn.LSTM equations and parameters; state [h, c]";
    }

    /** Beyond this a sigmoid is 1 in float for any input the gate sees: nothing to learn. */
    static final double MAX_FORGET_BIAS = 20;

    @Override
    public List<PluginParameter> parameters() {
        return List.of(new PluginParameter("forget-bias", "0",
                "added to the forget gate's pre-activation, in [-20, 20]; 0 is PyTorch's cell, 1 TensorFlow's default, which long lags need"));
    }

    @Override
    public Cell create(PluginOptions options) {
        options.requireOnly(Set.of("forget-bias"));
        double forgetBias = options.number("forget-bias", 0);
        if (!(Math.abs(forgetBias) <= MAX_FORGET_BIAS)) {
            throw new ConfigurationException("lstm: option 'forget-bias' must be in [-20, 20], got " + options.string("forget-bias", ""));
        }
        ApiCheck.requireKernels("lstm", "lstmUpdate", "lstmBackward");
        return new LstmCell((float) forgetBias);
    }
}
