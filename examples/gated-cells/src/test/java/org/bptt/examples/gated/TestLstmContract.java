package org.bptt.examples.gated;

import org.bptt.api.cell.CellFactory;
import org.bptt.examples.gated.cell.LstmCellFactory;
import org.bptt.testkit.CellContract;

/** The platform's cell contract (rnn-testkit), run on the LSTM: its state row is [h, c], 2H wide. */
final class TestLstmContract extends CellContract {
    @Override
    protected CellFactory factory() {
        return new LstmCellFactory();
    }
}
