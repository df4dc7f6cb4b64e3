package org.bptt.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.bptt.api.cell.CellFactory;
import org.bptt.api.data.TaskFactory;
import org.bptt.api.optim.OptimizerFactory;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.plugin.PluginFactory;
import org.bptt.training.plugin.Plugins;
import org.junit.jupiter.api.Test;

/** Plugins found by name across families, as {@code rnn check NAME} finds them. */
final class TestPluginsByName {
    private final Plugins plugins = Plugins.discover();

    @Test
    void aNameFindsItsPluginWhateverItsFamily() {
        List<PluginFactory<?>> vanilla = plugins.named("vanilla");
        assertEquals(1, vanilla.size(), vanilla.toString());
        assertInstanceOf(CellFactory.class, vanilla.get(0));
        assertInstanceOf(OptimizerFactory.class, plugins.named("adam").get(0));
        assertInstanceOf(TaskFactory.class, plugins.named("adding").get(0));
    }

    @Test
    void allListsEveryFamilyCellsFirstTasksLast() {
        List<PluginFactory<?>> all = plugins.all();
        assertInstanceOf(CellFactory.class, all.get(0));
        assertInstanceOf(TaskFactory.class, all.get(all.size() - 1));
        assertTrue(all.contains(plugins.named("clip-norm").get(0)));
        assertTrue(all.contains(plugins.named("tbptt").get(0)));
    }

    @Test
    void anUnknownNameIsRefusedWithTheKnownNamesSorted() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> plugins.named("no-such"));
        String m = e.getMessage();
        assertTrue(m.startsWith("no plugin named 'no-such'; known: "), m);
        assertTrue(m.indexOf("adam") < m.indexOf("adding") && m.indexOf("adding") < m.indexOf("vanilla"), m);
    }
}
