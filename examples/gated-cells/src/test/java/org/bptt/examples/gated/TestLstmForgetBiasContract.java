package org.bptt.examples.gated;

import java.util.Map;

import org.bptt.api.cell.CellFactory;
import org.bptt.examples.gated.cell.LstmCellFactory;
import org.bptt.testkit.CellContract;
import org.bptt.testkit.ContractSettings;

/** The cell contract on the LSTM with a forget bias, whose constant must not disturb the gradients. */
final class TestLstmForgetBiasContract extends CellContract {
    @Override
    protected CellFactory factory() {
        return new LstmCellFactory();
    }

    @Override
    protected Map<String, String> options() {
        return Map.of("forget-bias", "1");
    }

    @Override
    protected ContractSettings settings() {
        return ContractSettings.defaults().withBadOptions(Map.of("forget-bias", "21"));
    }
}
