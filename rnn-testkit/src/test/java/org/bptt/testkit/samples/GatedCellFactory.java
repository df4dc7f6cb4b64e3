package org.bptt.testkit.samples;

import java.util.List;
import java.util.Set;
import org.bptt.api.cell.Cell;
import org.bptt.api.cell.CellFactory;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.plugin.PluginParameter;

/** {@code gated}: option {@code flaw} picks one of {@link GatedCell.Flaw} (default none). */
public class GatedCellFactory implements CellFactory {
    @Override
    public String name() {
        return "gated";
    }

    @Override
    public String description() {
        return "a small gated test cell, state [h, c]";
    }

    @Override
    public List<PluginParameter> parameters() {
        return List.of(new PluginParameter("flaw", "none", "a deliberate mistake, for the kit's own tests"));
    }

    @Override
    public Cell create(PluginOptions options) {
        options.requireOnly(Set.of("flaw"));
        return new GatedCell(Flaws.parse(GatedCell.Flaw.class, "gated", options.string("flaw", "none")));
    }
}
