package org.bptt.examples.gated;

import org.bptt.api.cell.CellFactory;
import org.bptt.examples.gated.cell.GruCellFactory;
import org.bptt.testkit.CellContract;

/** The platform's cell contract (rnn-testkit), run on the GRU as on any outside cell. */
final class TestGruContract extends CellContract {
    @Override
    protected CellFactory factory() {
        return new GruCellFactory();
    }
}
