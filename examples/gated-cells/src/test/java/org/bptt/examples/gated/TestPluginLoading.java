package org.bptt.examples.gated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.bptt.api.cell.Cell;
import org.bptt.api.cell.CellFactory;
import org.bptt.api.gradient.GradientPolicy;
import org.bptt.api.gradient.GradientPolicyFactory;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.plugin.PluginFactory;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.tensor.ParameterSpec;
import org.bptt.api.tensor.ParameterSpec.Role;
import org.bptt.training.plugin.Plugins;
import org.junit.jupiter.api.Test;

/** The three plugins load through ServiceLoader by name, beside the built-in ones, and check their options. */
final class TestPluginLoading {

    private static <F extends PluginFactory<?>> Map<String, F> byName(Class<F> family) {
        Map<String, F> m = new HashMap<>();
        for (F f : ServiceLoader.load(family)) {
            m.put(f.name(), f);
        }
        return m;
    }

    @Test
    void cellsLoadByNameWithPyTorchsParameters() {
        Map<String, CellFactory> cells = byName(CellFactory.class);
        assertTrue(cells.containsKey("vanilla"), "the platform's own cell is there too: " + cells.keySet());
        Cell gru = cells.get("gru").create(PluginOptions.empty("gru"));
        Cell lstm = cells.get("lstm").create(PluginOptions.empty("lstm"));
        assertEquals("gru", gru.describe());
        assertEquals("lstm", lstm.describe());
        assertEquals(7, gru.stateWidth(7));
        assertEquals(14, lstm.stateWidth(7));
        assertEquals(List.of(
                new ParameterSpec("weight_ih", 21, 3, Role.INPUT_WEIGHTS, 3, 7),
                new ParameterSpec("weight_hh", 21, 7, Role.RECURRENT_WEIGHTS, 7, 7),
                new ParameterSpec("bias_ih", 1, 21, Role.BIAS, 1, 7),
                new ParameterSpec("bias_hh", 1, 21, Role.BIAS, 1, 7)), gru.parameters(3, 7));
        assertEquals(List.of(
                new ParameterSpec("weight_ih", 28, 3, Role.INPUT_WEIGHTS, 3, 7),
                new ParameterSpec("weight_hh", 28, 7, Role.RECURRENT_WEIGHTS, 7, 7),
                new ParameterSpec("bias_ih", 1, 28, Role.BIAS, 1, 7),
                new ParameterSpec("bias_hh", 1, 28, Role.BIAS, 1, 7)), lstm.parameters(3, 7));
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> cells.get("lstm").create(PluginOptions.empty("lstm").with("activation", "relu")));
        assertTrue(e.getMessage().contains("unknown option 'activation'; accepted: forget-bias"), e.getMessage());
    }

    @Test
    void autoclipLoadsByNameAndChecksItsOptions() {
        GradientPolicyFactory f = byName(GradientPolicyFactory.class).get("autoclip");
        GradientPolicy p = f.create(PluginOptions.empty("autoclip"));
        assertEquals("autoclip(percentile=10.0, history=1000)", p.describe());
        assertEquals("autoclip(percentile=2.5, history=7)",
                f.create(PluginOptions.empty("autoclip").with("percentile", 2.5).with("history", 7)).describe());
        assertEquals(List.of("percentile", "history"), f.parameters().stream().map(x -> x.name()).toList());
        assertEquals(List.of("10", "1000"), f.parameters().stream().map(x -> x.defaultValue()).toList());
        for (Map.Entry<String, String> bad : Map.of("percentile", "101", "history", "0").entrySet()) {
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> f.create(PluginOptions.empty("autoclip").with(bad.getKey(), bad.getValue())));
            assertTrue(e.getMessage().contains("autoclip") && e.getMessage().contains(bad.getKey()), e.getMessage());
        }
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> f.create(PluginOptions.empty("autoclip").with("threshold", 1)));
        assertTrue(e.getMessage().contains("accepted: history, percentile"), e.getMessage());
    }

    @Test
    void thePlatformsRegistriesListThem() {
        Plugins plugins = Plugins.discover();
        assertTrue(plugins.cells().all().keySet().containsAll(List.of("gru", "lstm", "vanilla")), plugins.cells().all().keySet().toString());
        assertTrue(plugins.policies().all().containsKey("autoclip"));
        assertEquals("autoclip", plugins.policies().get("autoclip").name());
    }
}
