package org.bptt.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.run.ClipThreshold;
import org.bptt.training.wiring.PluginChoice;
import org.junit.jupiter.api.Test;

/** What the engine and pages learn by asking a plugin (its threshold, its period), never by its name. */
final class TestPluginQuestions {
    private final Plugins plugins = Plugins.discover();

    @Test
    void clipThresholdIsThePoliciesOwn() {
        assertEquals(1.0, ClipThreshold.of(PluginChoice.of("clip-norm"), plugins), 0, "clip-norm's declared default");
        assertEquals(2.5, ClipThreshold.of(PluginChoice.of("clip-norm").with("threshold", "2.5"), plugins), 0);
        assertTrue(Double.isNaN(ClipThreshold.of(PluginChoice.of("none"), plugins)), "no clipping, no threshold");
        assertTrue(
                Double.isNaN(ClipThreshold.of(PluginChoice.of("clip-value").with("value", "3"), plugins)),
                "clipping by value draws no norm threshold");
        assertTrue(Double.isNaN(ClipThreshold.of(PluginChoice.of("no-such-policy"), plugins)));
    }

    @Test
    void truncationPeriodLongerThanTheSequenceIsRefused() {
        var e = assertThrows(
                ConfigurationException.class,
                () -> Network.builder()
                        .task("adding", "steps", "8")
                        .truncation("tbptt", "k1", "9")
                        .hidden(4)
                        .build(plugins));
        assertTrue(e.getMessage().contains("every 9 steps") && e.getMessage().contains("(8 steps)"), e.getMessage());
        // The default k1 (10) is asked of the plugin too.
        assertThrows(
                ConfigurationException.class,
                () -> Network.builder()
                        .task("adding", "steps", "8")
                        .truncation("tbptt")
                        .hidden(4)
                        .build(plugins));
        assertEquals(
                8,
                Network.builder()
                        .task("adding", "steps", "8")
                        .truncation("tbptt", "k1", "8")
                        .hidden(4)
                        .build(plugins)
                        .trainer()
                        .truncation()
                        .period()
                        .getAsInt());
    }
}
