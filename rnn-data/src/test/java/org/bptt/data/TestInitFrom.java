package org.bptt.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;

import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.tensor.Tensor;
import org.bptt.training.FitListener;
import org.bptt.training.Network;
import org.bptt.training.run.RunConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting a network from a saved run or a PyTorch file: the architecture and weights are the source's. */
final class TestInitFrom {
    @TempDir
    Path dir;

    @Test
    void fromASavedNetworkAndFromPyTorch() throws IOException {
        Fixtures.Ragged d = Fixtures.ragged(5, 20, 6, 3, 4);
        ArrayTask task = ArrayTask.of(DataFilesFixture.read(dir, d), null);
        Network trained = Fixtures.network("gru", task, 3);
        trained.fit(5, FitListener.NONE);
        Path ckpt = dir.resolve("gru.ckpt");
        trained.save(ckpt);
        RunConfig base = Network.builder().cell("vanilla").hidden(99).batch(4).optimizer("sgd").config();
        Network n = InitFrom.network(ckpt, task, base, Fixtures.PLUGINS);
        assertEquals("gru", n.config().cell().name());
        assertEquals(6, n.model().hiddenSize());
        assertEquals("sgd", n.config().optimizer().name());
        for (Tensor t : trained.model().params()) {
            assertArrayEquals(t.data(), n.model().params().get(t.name()).data(), t.name());
        }

        TorchReference ref = new TorchReference("lstm");
        ArrayTask shaped = ArrayTask.of(new float[1][1][3], new float[1][1][4], null);
        Network fromTorch = InitFrom.network(ref.model(), shaped, base, Fixtures.PLUGINS);
        assertEquals("lstm", fromTorch.config().cell().name());
        assertArrayEquals(SafeTensors.read(ref.model()).tensors().get("lstm.weight_hh_l0").data(),
                fromTorch.model().params().get("weight_hh").data());

        ArrayTask other = ArrayTask.of(new float[1][1][2], new float[1][1][4], null);
        var e = assertThrows(ConfigurationException.class, () -> InitFrom.network(ckpt, other, base, Fixtures.PLUGINS));
        assertEquals(ckpt + " holds a model of 3 inputs and 4 outputs, but the task 'data(arrays: 1 sequences, T=1, 4 values per step)' "
                + "has 2 and 4", e.getMessage());
    }

    /** The fixture's data through the file reader, as a user's would come. */
    private static final class DataFilesFixture {
        static SequenceData read(Path dir, Fixtures.Ragged d) throws IOException {
            Path f = dir.resolve("d.npz");
            Fixtures.writeNpz(f, d, d.x(), true);
            return DataFiles.read(f, 0);
        }
    }
}
