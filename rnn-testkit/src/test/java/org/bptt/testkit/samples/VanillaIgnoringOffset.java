package org.bptt.testkit.samples;

import java.util.List;
import java.util.ServiceLoader;
import org.bptt.api.cell.Cell;
import org.bptt.api.cell.CellContext;
import org.bptt.api.cell.CellFactory;
import org.bptt.api.cell.CellRunner;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.plugin.PluginParameter;
import org.bptt.api.tensor.ParameterSpec;

/**
 * The built-in vanilla cell behind a runner that ignores where a window starts: forward(from,
 * to) computes to − from steps from slot 0, as if every call began the sequence.
 */
public final class VanillaIgnoringOffset implements CellFactory {
    private final CellFactory vanilla = ServiceLoader.load(CellFactory.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(f -> f.name().equals("vanilla"))
            .findFirst()
            .orElseThrow();

    @Override
    public String name() {
        return "vanilla-ignoring-offset";
    }

    @Override
    public String description() {
        return "the vanilla cell, restarting at slot 0 on every forward call";
    }

    @Override
    public List<PluginParameter> parameters() {
        return vanilla.parameters();
    }

    @Override
    public Cell create(PluginOptions options) {
        Cell inner = vanilla.create(new PluginOptions(vanilla.name(), options.asMap()));
        return new Cell() {
            @Override
            public List<ParameterSpec> parameters(int in, int hid) {
                return inner.parameters(in, hid);
            }

            @Override
            public int stateWidth(int hid) {
                return inner.stateWidth(hid);
            }

            @Override
            public String describe() {
                return "vanilla-ignoring-offset";
            }

            @Override
            public CellRunner bind(CellContext context) {
                CellRunner r = inner.bind(context);
                return new CellRunner() {
                    @Override
                    public void forward(int from, int to, float[] x, float[] states) {
                        r.forward(0, to - from, x, states);
                    }

                    @Override
                    public void backward(int from, int to, float[] x, float[] states, float[] dStates) {
                        r.backward(from, to, x, states, dStates);
                    }
                };
            }
        };
    }
}
