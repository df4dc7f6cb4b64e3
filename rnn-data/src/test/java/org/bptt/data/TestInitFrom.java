package org.bptt.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.tensor.Tensor;
import org.bptt.training.FitListener;
import org.bptt.training.Network;
import org.bptt.training.config.Json;
import org.bptt.training.config.RunConfig;
import org.bptt.training.config.RunSettings;
import org.bptt.training.run.TrainingRun;
import org.bptt.training.wiring.PluginChoice;
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
        RunConfig base = Network.builder()
                .cell("vanilla")
                .hidden(99)
                .batch(4)
                .optimizer("sgd")
                .config();
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
        assertArrayEquals(
                SafeTensors.read(ref.model()).tensors().get("lstm.weight_hh_l0").data(),
                fromTorch.model().params().get("weight_hh").data());

        ArrayTask other = ArrayTask.of(new float[1][1][2], new float[1][1][4], null);
        var e = assertThrows(ConfigurationException.class, () -> InitFrom.network(ckpt, other, base, Fixtures.PLUGINS));
        assertEquals(
                ckpt
                        + " holds a model of 3 inputs and 4 outputs, but the task 'data(arrays: 1 sequences, T=1, 4 values per step)' "
                        + "has 2 and 4",
                e.getMessage());
    }

    @Test
    void aRunStartsFromAStackedBidirectionalPyTorchModelWithItsArchitecture() throws IOException {
        TorchReference ref = new TorchReference("lstm_2layer_bidir");
        // The reference's own file: y holds PyTorch's readouts, so the imported model fits it to rounding.
        PluginChoice data = new PluginChoice(
                "data",
                Map.of(
                        "file",
                        TorchReference.dir().resolve("lstm_2layer_bidir.npz").toString()));
        RunConfig config = RunConfig.defaults().toBuilder()
                .task(data)
                .iterations(0)
                .set(RunSettings.INIT_FROM, ref.model().toString())
                .build();
        Path run = dir.resolve("run");
        try (TrainingRun r = TrainingRun.create(config, run, Fixtures.PLUGINS, "csv")) {
            assertEquals("lstm", r.config().cell().name());
            assertEquals(5, r.config().hidden());
            assertEquals(2, r.config().get(RunSettings.LAYERS));
            assertEquals(true, r.config().get(RunSettings.BIDIRECTIONAL));
            Map<String, SafeTensors.Entry> sd = SafeTensors.read(ref.model()).tensors();
            for (String name : List.of("weight_ih_l1_reverse", "bias_hh_l0_reverse", "weight_hh_l1")) {
                assertArrayEquals(
                        sd.get("lstm." + name).data(),
                        r.network().model().params().get(name).data(),
                        name);
            }
            assertArrayEquals(
                    sd.get("fc.weight").data(),
                    r.network().model().params().get("V").data());
            float[] got = Predictions.readouts(r.network(), ref.x, TorchReference.N, TorchReference.T, null, 3);
            float worst = 0;
            float max = 0;
            for (int k = 0; k < got.length; k++) {
                worst = Math.max(worst, Math.abs(got[k] - ref.y[k]));
                max = Math.max(max, Math.abs(ref.y[k]));
            }
            assertTrue(worst <= 1e-4f * max, "largest error " + worst + " against readouts up to " + max);
        }
        assertEquals(
                2,
                Json.read(run.resolve("config.json")).get(RunSettings.LAYERS),
                "config.json holds the source's architecture");
    }

    @Test
    void aSettingThatContradictsTheSourceIsOneSentenceAndNothingIsWritten() {
        Path file = new TorchReference("gru_3layer").model();
        PluginChoice data = new PluginChoice(
                "data",
                Map.of("file", TorchReference.dir().resolve("gru_3layer.npz").toString()));
        RunConfig config = RunConfig.defaults().toBuilder()
                .task(data)
                .iterations(0)
                .hidden(9)
                .set(RunSettings.LAYERS, 3)
                .set(RunSettings.INIT_FROM, file.toString())
                .cell(PluginChoice.of("lstm"))
                .build();
        Path run = dir.resolve("refused");
        var e = assertThrows(
                ConfigurationException.class, () -> TrainingRun.create(config, run, Fixtures.PLUGINS, "csv"));
        assertEquals(
                "the run starts from the weights of " + file
                        + ", whose architecture it takes, but 'cell' is lstm where it has "
                        + "gru and 'hidden' is 9 where it has 5; leave those settings out or give the source's",
                e.getMessage());
        assertFalse(Files.exists(run));
        // Giving the source's own values is no contradiction.
        RunConfig same =
                config.toBuilder().hidden(5).cell(PluginChoice.of("gru")).build();
        assertEquals(3, InitFrom.architecture(file, same).get(RunSettings.LAYERS));
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
