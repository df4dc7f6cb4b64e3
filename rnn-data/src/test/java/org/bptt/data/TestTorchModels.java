package org.bptt.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bptt.data.SafeTensors.Entry;
import org.bptt.data.TorchModels.Choices;
import org.bptt.data.TorchModels.Imported;
import org.bptt.training.LossMean;
import org.bptt.training.Network;
import org.bptt.training.config.RunConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * PyTorch state_dicts in and out, against files PyTorch made (tools/torch-reference.py): the
 * imported model predicts what PyTorch predicted, and one SGD step on its own data changes
 * every parameter as PyTorch's autograd did.
 */
final class TestTorchModels {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "rnn_tanh,",
        "rnn_relu,relu",
        "gru,",
        "lstm,",
        "rnn_tanh_2layer,",
        "rnn_relu_bidir,relu",
        "gru_bidir,",
        "lstm_2layer_bidir,",
        "gru_3layer,"
    })
    void importedModelsPredictWhatPyTorchPredicts(String name, String activation) {
        TorchReference ref = new TorchReference(name);
        Imported m = TorchModels.read(ref.model(), new Choices(null, null, activation));
        Network net =
                TorchModels.network(m, TorchModels.shapeOf(m.architecture()), RunConfig.defaults(), Fixtures.PLUGINS);
        float[] got = Predictions.readouts(net, ref.x, TorchReference.N, TorchReference.T, null, 2);
        assertClose(ref.y, got, name);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "rnn_tanh,,U,weight_ih_l0,W,weight_hh_l0,b,bias_ih_l0",
        "rnn_relu,relu,U,weight_ih_l0,W,weight_hh_l0,b,bias_hh_l0",
        "gru,,weight_ih,weight_ih_l0,weight_hh,weight_hh_l0,bias_hh,bias_hh_l0",
        "lstm,,weight_ih,weight_ih_l0,weight_hh,weight_hh_l0,bias_ih,bias_ih_l0"
    })
    void oneSgdStepChangesEveryParameterAsPyTorchsAutogradDoes(
            String name, String activation, String p1, String t1, String p2, String t2, String p3, String t3) {
        TorchReference ref = new TorchReference(name);
        Imported m = TorchModels.read(ref.model(), new Choices(null, null, activation));
        RunConfig base = Network.builder()
                .optimizer("sgd", "lr", Float.toString(TorchReference.LR))
                .policy("none")
                .truncation("full")
                .lossMean(LossMean.SEQUENCE)
                .config();
        Network net = TorchModels.network(m, TorchModels.shapeOf(m.architecture()), base, Fixtures.PLUGINS);
        Map<String, float[]> before = new LinkedHashMap<>();
        net.model().params().forEach(t -> before.put(t.name(), t.data().clone()));
        net.trainer().trainStep(ref.batch());
        Map<String, Entry> was = SafeTensors.read(ref.model()).tensors();
        Map<String, Entry> is = SafeTensors.read(ref.afterSgd()).tensors();
        String rp = m.architecture().recurrentPrefix();
        String op = m.architecture().readoutPrefix();
        Map<String, String> pairs = Map.of(p1, rp + t1, p2, rp + t2, p3, rp + t3, "V", op + "weight", "c", op + "bias");
        for (var e : pairs.entrySet()) {
            float[] now = net.model().params().get(e.getKey()).data();
            float[] then = before.get(e.getKey());
            float[] tNow = is.get(e.getValue()).data();
            float[] tThen = was.get(e.getValue()).data();
            double num = 0;
            double den = 0;
            for (int k = 0; k < now.length; k++) {
                double ours = (double) now[k] - then[k];
                double theirs = (double) tNow[k] - tThen[k];
                num += (ours - theirs) * (ours - theirs);
                den += theirs * theirs;
            }
            double rel = Math.sqrt(num / den);
            assertTrue(
                    den > 0 && rel <= 1e-3,
                    name + ": the step of " + e.getKey() + " differs from PyTorch's " + e.getValue() + " by " + rel);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"rnn_tanh_2layer,", "rnn_relu_bidir,relu", "gru_bidir,", "lstm_2layer_bidir,", "gru_3layer,"})
    void oneSgdStepChangesEveryLayerAsPyTorchsAutogradDoes(String name, String activation) {
        TorchReference ref = new TorchReference(name);
        Imported m = TorchModels.read(ref.model(), new Choices(null, null, activation));
        RunConfig base = Network.builder()
                .optimizer("sgd", "lr", Float.toString(TorchReference.LR))
                .policy("none")
                .truncation("full")
                .lossMean(LossMean.SEQUENCE)
                .config();
        Network net = TorchModels.network(m, TorchModels.shapeOf(m.architecture()), base, Fixtures.PLUGINS);
        Map<String, Entry> before = TorchModels.stateDict(net);
        net.trainer().trainStep(ref.batch());
        Map<String, Entry> after = TorchModels.stateDict(net);
        Map<String, Entry> was = SafeTensors.read(ref.model()).tensors();
        Map<String, Entry> is = SafeTensors.read(ref.afterSgd()).tensors();
        String rp = m.architecture().recurrentPrefix();
        String op = m.architecture().readoutPrefix();
        int compared = 0;
        for (String mine : before.keySet()) {
            if (name.startsWith("rnn") && mine.contains("bias_hh")) {
                continue; // exported as 0: the vanilla cell's one b is bias_ih + bias_hh, whose step bias_ih carries
            }
            String theirs = mine.replace("rnn.", rp).replace("fc.", op);
            double num = 0;
            double den = 0;
            float[] now = after.get(mine).data();
            float[] then = before.get(mine).data();
            for (int k = 0; k < now.length; k++) {
                double ours = (double) now[k] - then[k];
                double torch =
                        (double) is.get(theirs).data()[k] - was.get(theirs).data()[k];
                num += (ours - torch) * (ours - torch);
                den += torch * torch;
            }
            double rel = Math.sqrt(num / den);
            assertTrue(
                    den > 0 && rel <= 1e-3,
                    name + ": the step of " + mine + " differs from PyTorch's " + theirs + " by " + rel);
            compared++;
        }
        assertEquals(
                was.size()
                        - (name.startsWith("rnn")
                                ? m.architecture().layers() * m.architecture().directions()
                                : 0),
                compared);
    }

    @Test
    void exportedStateDictHasPyTorchsNamesShapesAndMetadataAndComesBackTheSame() throws IOException {
        for (String name :
                new String[] {"rnn_relu", "gru", "lstm", "rnn_relu_bidir", "lstm_2layer_bidir", "gru_3layer"}) {
            TorchReference ref = new TorchReference(name);
            Imported m =
                    TorchModels.read(ref.model(), new Choices(null, null, name.startsWith("rnn_relu") ? "relu" : null));
            Network net = TorchModels.network(
                    m, TorchModels.shapeOf(m.architecture()), RunConfig.defaults(), Fixtures.PLUGINS);
            Path out = dir.resolve(name + ".safetensors");
            TorchModels.exportSafetensors(net, out);
            SafeTensors.Contents c = SafeTensors.read(out);
            Map<String, Entry> torch = SafeTensors.read(ref.model()).tensors();
            String rp = m.architecture().recurrentPrefix();
            String op = m.architecture().readoutPrefix();
            assertEquals(
                    torch.keySet().stream()
                            .map(k -> k.replace(rp, "rnn.").replace(op, "fc."))
                            .toList(),
                    List.copyOf(c.tensors().keySet()),
                    name);
            for (var e : torch.entrySet()) {
                String mine = e.getKey().replace(rp, "rnn.").replace(op, "fc.");
                assertArrayEquals(e.getValue().shape(), c.tensors().get(mine).shape(), mine);
                if (!name.startsWith("rnn")) {
                    assertArrayEquals(e.getValue().data(), c.tensors().get(mine).data(), mine);
                }
            }
            if (name.startsWith("rnn_relu")) {
                assertEquals("relu", c.metadata().get("nonlinearity"));
                float[] b = c.tensors().get("rnn.bias_ih_l0").data();
                for (int k = 0; k < b.length; k++) {
                    assertEquals(
                            torch.get("rnn.bias_ih_l0").data()[k]
                                    + torch.get("rnn.bias_hh_l0").data()[k],
                            b[k],
                            0f);
                    assertEquals(0f, c.tensors().get("rnn.bias_hh_l0").data()[k]);
                }
            }
            assertEquals(TorchModels.metadata(net), c.metadata());
            assertEquals(
                    Integer.toString(m.architecture().layers()), c.metadata().get("num_layers"));
            assertEquals(
                    Boolean.toString(m.architecture().bidirectional()),
                    c.metadata().get("bidirectional"));
            Imported back = TorchModels.read(out, Choices.NONE);
            assertEquals(m.parameters().keySet(), back.parameters().keySet(), name);
            for (var e : m.parameters().entrySet()) {
                assertArrayEquals(
                        e.getValue(),
                        back.parameters().get(e.getKey()),
                        name + " " + e.getKey() + " back from the export");
            }
            Network again = TorchModels.network(
                    back, TorchModels.shapeOf(back.architecture()), RunConfig.defaults(), Fixtures.PLUGINS);
            assertArrayEquals(
                    Predictions.readouts(net, ref.x, 3, 6, null, 3),
                    Predictions.readouts(again, ref.x, 3, 6, null, 3),
                    name);
        }
    }

    @Test
    void severalRecurrentModulesOrReadoutsAreOneSentenceListingThem() {
        Map<String, Entry> sd = new LinkedHashMap<>(
                SafeTensors.read(new TorchReference("gru").model()).tensors());
        sd.put("decoder.gru.weight_ih_l0", sd.get("body.gru.weight_ih_l0"));
        sd.put("decoder.gru.weight_hh_l0", sd.get("body.gru.weight_hh_l0"));
        sd.put("aux.weight", sd.get("out.weight"));
        Path f = Path.of("model.safetensors");
        var e = assertThrows(
                TorchModels.AmbiguousModelException.class,
                () -> TorchModels.fromStateDict(f, sd, Map.of(), Choices.NONE));
        assertEquals(
                "model.safetensors: holds 2 recurrent modules, at 'body.gru.', 'decoder.gru.'; name the one to import",
                e.getMessage());
        var r = assertThrows(
                TorchModels.AmbiguousModelException.class,
                () -> TorchModels.fromStateDict(f, sd, Map.of(), new Choices("body.gru", null, null)));
        assertEquals(List.of("aux.", "out."), r.candidates());
        Imported m = TorchModels.fromStateDict(f, sd, Map.of(), new Choices("body.gru", "out", null));
        assertEquals("gru", m.architecture().cell());
        assertEquals(5, m.architecture().hiddenSize());
        var none = assertThrows(
                DataFileException.class,
                () -> TorchModels.fromStateDict(f, Map.of("fc.weight", sd.get("out.weight")), Map.of(), Choices.NONE));
        assertTrue(none.getMessage().startsWith("model.safetensors: has no recurrent layer"), none.getMessage());
    }

    @Test
    void stackedAndBidirectionalModelsAreDescribedAsPyTorchWouldPrintThem() {
        Imported m = TorchModels.read(new TorchReference("lstm_2layer_bidir").model(), Choices.NONE);
        assertEquals(
                "nn.LSTM(3, 5, num_layers=2, bidirectional=True) at 'lstm.' with an nn.Linear(10, 4) readout at 'fc.'",
                m.architecture().describe());
        assertEquals(
                List.of(
                        "weight_ih_l0",
                        "weight_hh_l0",
                        "bias_ih_l0",
                        "bias_hh_l0",
                        "weight_ih_l0_reverse",
                        "weight_hh_l0_reverse",
                        "bias_ih_l0_reverse",
                        "bias_hh_l0_reverse",
                        "weight_ih_l1",
                        "weight_hh_l1",
                        "bias_ih_l1",
                        "bias_hh_l1",
                        "weight_ih_l1_reverse",
                        "weight_hh_l1_reverse",
                        "bias_ih_l1_reverse",
                        "bias_hh_l1_reverse",
                        "V",
                        "c"),
                List.copyOf(m.parameters().keySet()));
        assertEquals(
                20 * 10, m.parameters().get("weight_ih_l1_reverse").length, "layer 1 reads both directions of layer 0");
    }

    @Test
    void aLayerOfTheWrongShapeIsOneSentence() {
        Map<String, Entry> sd = new LinkedHashMap<>(
                SafeTensors.read(new TorchReference("gru_3layer").model()).tensors());
        sd.put("gru.weight_hh_l2", sd.get("gru.weight_ih_l0"));
        var e = assertThrows(
                DataFileException.class,
                () -> TorchModels.fromStateDict(Path.of("m.safetensors"), sd, Map.of(), Choices.NONE));
        assertEquals("m.safetensors: has gru.weight_hh_l2 of shape [15, 3], expected [15, 5]", e.getMessage());
        sd.remove("gru.weight_hh_l2");
        var gone = assertThrows(
                DataFileException.class,
                () -> TorchModels.fromStateDict(Path.of("m.safetensors"), sd, Map.of(), Choices.NONE));
        assertTrue(gone.getMessage().contains("'gru.weight_hh_l2'"), gone.getMessage());
    }

    @Test
    void anImportedRunsStartingSpectrumIsThatOfTheImportedW() throws IOException {
        Imported m = TorchModels.read(new TorchReference("rnn_tanh").model(), Choices.NONE);
        Path run = dir.resolve("run");
        ImportedRuns.create(m, run, null, Fixtures.PLUGINS, new org.bptt.training.run.RunListener() {});
        org.bptt.training.diag.Spectrum start = org.bptt.training.run.History.read(run.resolve("diagnostics.json"), 0)
                .spectrumStart();
        org.bptt.training.diag.Spectral want = org.bptt.training.diag.Spectral.of(
                new org.bptt.api.tensor.Tensor("W", 5, 5, m.parameters().get("W")));
        double[] re = want.real();
        double[] got = start.real();
        java.util.Arrays.sort(re);
        java.util.Arrays.sort(got);
        assertArrayEquals(re, got, 1e-9, "the spectrum at the start is of the imported W, not of the initializer's");
    }

    private static void assertClose(float[] want, float[] got, String what) {
        float max = 0;
        for (float v : want) {
            max = Math.max(max, Math.abs(v));
        }
        float worst = 0;
        for (int k = 0; k < want.length; k++) {
            worst = Math.max(worst, Math.abs(want[k] - got[k]));
        }
        assertTrue(worst <= 1e-4 * max, what + ": largest error " + worst + " against readouts up to " + max);
    }
}
