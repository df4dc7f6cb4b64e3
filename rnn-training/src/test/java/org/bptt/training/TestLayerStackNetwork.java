package org.bptt.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.bptt.api.cell.Cell;
import org.bptt.api.cell.CellContext;
import org.bptt.api.cell.CellRunner;
import org.bptt.api.data.Batch;
import org.bptt.api.data.Targets;
import org.bptt.api.data.Task;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.tensor.ParameterSpec;
import org.bptt.api.tensor.Tensor;
import org.bptt.training.plugin.PluginFamily;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.wiring.PluginChoice;
import org.bptt.training.wiring.TrainingModule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Layers through the library's front door: a stack of one layer computes the plain cell's bits;
 * stateful streams carry every layer's state (against TBPTT over the whole stream, bit for bit);
 * a checkpoint keeps the layers and a resumed run with dropout continues bit for bit; dropout
 * is off at evaluation; what cannot apply is refused with one sentence.
 */
final class TestLayerStackNetwork {
    private static final int T = 10;
    private static final int B = 3;
    private static final int H = 12;

    private static float[][] params(Network n) {
        return n.model().params().tensors().stream().map(t -> t.data().clone()).toArray(float[][]::new);
    }

    private static void assertSameParams(Network a, Network b) {
        float[][] x = params(a);
        float[][] y = params(b);
        assertEquals(x.length, y.length);
        for (int i = 0; i < x.length; i++) {
            assertArrayEquals(
                    x[i], y[i], "parameter " + a.model().params().get(i).name());
        }
    }

    /** A 1-layer stack adds no arithmetic: trained side by side with the plain cell from the same bits, it stays equal. */
    @ParameterizedTest(name = "{0} backend")
    @ValueSource(strings = {"scalar", "auto"})
    void aStackOfOneLayerComputesThePlainCellsBits(String backend) {
        Problems pr = new Problems(5, 3, 7, 4, 12, 4, false, true, Batch.allSteps(12));
        var cfg = pr.config(
                backend,
                PluginChoice.of("adam"),
                new PluginChoice("clip-norm", java.util.Map.of("threshold", "0.3")),
                new PluginChoice("tbptt", java.util.Map.of("k1", "4", "k2", "6")),
                TrainerSettings.defaults());
        Plugins plugins = Plugins.discover();
        BpttTrainer plain = TrainingModule.trainer(cfg, plugins);
        var injector = TrainingModule.injector(cfg, plugins);
        Model stacked = new Model(new LayerStack(plain.model().cell(), Layers.ONE, 7), pr.in, pr.hid, pr.out);
        for (Tensor t : stacked.params()) {
            String base =
                    t.name().endsWith("_l0") ? t.name().substring(0, t.name().length() - 3) : t.name();
            t.copyFrom(new Tensor(
                    t.name(),
                    t.rows(),
                    t.cols(),
                    plain.model().params().get(base).data()));
        }
        BpttTrainer stack = new BpttTrainer(
                stacked,
                plain.loss(),
                plugins.create(PluginFamily.OPTIMIZER, cfg.optimizer()),
                plugins.create(PluginFamily.POLICY, cfg.policy()),
                plain.truncation(),
                injector.getInstance(org.bptt.api.kernel.Kernels.class),
                TrainerSettings.defaults());
        Batch batch = pr.batchOf();
        Batch noH0 = new Batch(
                batch.batch(), batch.steps(), batch.inputSize(), batch.x(), batch.targets(), batch.lossSteps(), null);
        for (int it = 0; it < 5; it++) {
            assertEquals(plain.trainStep(noH0).loss(), stack.trainStep(noH0).loss(), "loss of iteration " + it);
        }
        assertArrayEquals(
                plain.model().params().get("W").data(),
                stacked.params().get("W_l0").data());
        assertArrayEquals(
                plain.model().params().get("V").data(),
                stacked.params().get("V").data());
        assertArrayEquals(plain.outputs(), stack.outputs());
    }

    private static Network.Builder text(int layers) {
        return Network.builder()
                .task("text", "steps", Integer.toString(T))
                .hidden(H)
                .batch(B)
                .seed(11)
                .layers(layers)
                .optimizer("adam", "lr", "0.01")
                .policy("clip-norm", "threshold", "0.5")
                .backend("auto")
                .checkpointEvery(0)
                .diagnosticsEvery(1000);
    }

    @Test
    void statefulStreamsCarryEveryLayersState() throws IOException {
        int chunks = 5;
        Network net = text(2).stateful(true).build();
        net.fit(chunks, FitListener.NONE);
        Network ref = text(2).truncation("tbptt", "k1", Integer.toString(T))
                .updatePerWindow(true)
                .build();
        Task task = net.task();
        Batch chunk = task.newBatch(B);
        int in = task.inputSize();
        float[] x = new float[chunks * T * B * in];
        int[] classes = new int[chunks * T * B];
        for (int c = 0; c < chunks; c++) {
            task.fillChunk(chunk, c);
            System.arraycopy(chunk.x(), 0, x, c * T * B * in, T * B * in);
            System.arraycopy(chunk.targets().classes(), 0, classes, c * T * B, T * B);
        }
        ref.trainer()
                .trainStep(new Batch(B, chunks * T, in, x, Targets.classes(classes), Batch.allSteps(chunks * T), null));
        assertSameParams(ref, net);
        int width = net.model().stateWidth();
        assertEquals(H + 2 * H, width);
        float[] last = Arrays.copyOfRange(ref.trainer().states(), chunks * T * B * width, (chunks * T + 1) * B * width);
        assertArrayEquals(last, net.carriedState());
    }

    @Test
    void aResumedRunWithDropoutContinuesBitForBit(@TempDir Path dir) throws IOException {
        Network straight = text(3).dropout(0.3).build();
        straight.fit(8, FitListener.NONE);
        Network first = text(3).dropout(0.3).build();
        first.fit(4, FitListener.NONE);
        Path file = dir.resolve("half.ckpt");
        first.save(file);
        Network resumed = Network.load(file, first.plugins());
        assertEquals(new Layers(3, false, 0.3, false), resumed.layers());
        resumed.fit(4, FitListener.NONE);
        assertSameParams(straight, resumed);
        // Without dropout the same run ends elsewhere: the masks acted.
        Network plain = text(3).build();
        plain.fit(8, FitListener.NONE);
        assertFalse(Arrays.equals(params(plain)[1], params(straight)[1]), "dropout changed nothing");
    }

    /** Clipping sees one vector: the global norm is over every layer's gradient and the readout's. */
    @Test
    void clippingTakesTheNormOverEveryLayer() {
        Network net = Network.builder()
                .task("adding", "steps", "8")
                .hidden(6)
                .batch(4)
                .seed(3)
                .layers(3)
                .optimizer("sgd", "lr", "0.1")
                .policy("clip-norm", "threshold", "1e-3")
                .checkpointEvery(0)
                .build();
        Task task = net.task();
        Batch b = task.newBatch(4);
        task.fill(b, new SplittableRandom(2));
        var g = net.trainer().gradients(b, List.of(new org.bptt.api.truncation.Truncation.Window(0, 8, 0, 8)), null);
        double all = 0;
        double top = 0;
        for (Tensor t : g) {
            for (float v : t.data()) {
                all += (double) v * v;
                top += t.name().endsWith("_l0") || t.name().endsWith("_l1") ? 0 : (double) v * v;
            }
        }
        var before = net.model().params().copy();
        var r = net.trainer().trainStep(b);
        assertEquals(Math.sqrt(all), r.maxNormBefore(), 1e-5 * Math.sqrt(all));
        assertTrue(Math.sqrt(all) > Math.sqrt(top) * (1 + 1e-6), "the lower layers' gradients count");
        // The step taken is lr·threshold long over all parameters together.
        double step = 0;
        for (Tensor t : net.model().params()) {
            for (int i = 0; i < t.size(); i++) {
                double d = t.data()[i] - before.get(t.name()).data()[i];
                step += d * d;
            }
        }
        assertEquals(0.1 * 1e-3, Math.sqrt(step), 1e-3 * 0.1 * 1e-3);
    }

    @Test
    void dropoutIsOffAtEvaluation() {
        Network with = text(2).dropout(0.5).variationalDropout(true).build();
        Network without = text(2).build();
        assertSameParams(with, without); // the same initial bits: dropout draws nothing at initialization
        float[] x = new float[T * with.inputSize()];
        for (int t = 0; t < T; t++) {
            x[t * with.inputSize() + t % with.inputSize()] = 1;
        }
        assertArrayEquals(without.predict(x, T), with.predict(x, T));
        // While training, the masks change the loss of the same batch.
        Task task = with.task();
        Batch b = task.newBatch(B);
        task.fill(b, new SplittableRandom(1));
        double evaluated = with.trainer().forward(b);
        assertTrue(
                Math.abs(with.trainer().trainStep(b).loss() - evaluated) > 1e-4, "dropout did not act while training");
    }

    @Test
    void layersAreRunSettingsKeptInCheckpoints(@TempDir Path dir) throws IOException {
        Network one = text(1).build();
        Path file = dir.resolve("one.ckpt");
        one.save(file);
        assertEquals(Layers.ONE, Network.load(file, one.plugins()).layers());
        assertEquals(List.of("U", "W", "b", "V", "c"), one.model().params().names());
        // A configuration written before layers existed reads as one layer.
        String old = org.bptt.training.config.Json.write(one.config())
                .replaceAll(
                        ",\\s*\"(layers|bidirectional|dropout|variationalDropout|schedule|earlyStop)\" : [^,}]*", "");
        assertTrue(!old.contains("layers") && !old.contains("dropout"), old);
        assertEquals(Layers.ONE, Network.layersOf(org.bptt.training.config.Json.parse(old, "old")));
        Network two = text(2).bidirectional(true).build();
        Path twoFile = dir.resolve("two.ckpt");
        two.save(twoFile);
        assertEquals(
                new Layers(2, true, 0, false),
                Network.load(twoFile, two.plugins()).layers());
        assertEquals(
                List.of(
                        "U_l0",
                        "W_l0",
                        "b_l0",
                        "U_l0_reverse",
                        "W_l0_reverse",
                        "b_l0_reverse",
                        "U_l1",
                        "W_l1",
                        "b_l1",
                        "U_l1_reverse",
                        "W_l1_reverse",
                        "b_l1_reverse",
                        "V",
                        "c"),
                two.model().params().names());
        assertEquals(2 * H, two.model().params().get("U_l1").cols());
        assertEquals(2 * H, two.model().params().get("V").cols());
        String e = assertThrows(
                        ConfigurationException.class, () -> text(2).dropout(1.5).build())
                .getMessage();
        assertTrue(e.contains("dropout must be a number") && e.contains("below 1"), e);
    }

    @Test
    void eachLayerHasItsOwnSpectrumAndGradientFlow() {
        Network net = text(2).bidirectional(true).build();
        List<org.bptt.training.diag.Spectral> spectra = net.layerSpectra();
        assertEquals(4, spectra.size());
        String[] names = {"W_l0", "W_l0_reverse", "W_l1", "W_l1_reverse"};
        for (int i = 0; i < 4; i++) {
            var expected =
                    org.bptt.training.diag.Spectral.of(net.model().params().get(names[i]));
            assertEquals(expected.radius(), spectra.get(i).radius(), 0, names[i]);
        }
        assertTrue(spectra.get(0).radius() != spectra.get(2).radius(), "the layers' matrices differ");
        assertEquals(null, net.spectral(), "no single W for the whole stack");
        var flow = net.layerGradientFlow(net.task());
        assertEquals(2, flow.size());
        assertEquals(T, flow.get(0).steps());
        assertTrue(flow.get(0).norm(T - 1) > 0 && flow.get(1).norm(0) > 0);
        assertEquals(1, text(1).build().layerSpectra().size());
    }

    @Test
    void whatCannotApplyIsRefusedWithOneSentence() {
        String e = assertThrows(
                        ConfigurationException.class,
                        () -> text(2).bidirectional(true).stateful(true).build())
                .getMessage();
        assertTrue(e.contains("cannot carry its state"), e);
        e = assertThrows(
                        ConfigurationException.class,
                        () -> text(1).bidirectional(true)
                                .truncation("tbptt", "k1", "5")
                                .build())
                .getMessage();
        assertTrue(e.contains("full backpropagation through time"), e);
        Network bi = text(1).bidirectional(true).build();
        e = assertThrows(ConfigurationException.class, () -> bi.step(new float[bi.inputSize()], bi.newState()))
                .getMessage();
        assertTrue(e.contains("one step at a time"), e);
        e = assertThrows(
                        ConfigurationException.class, () -> text(1).dropout(0.2).build())
                .getMessage();
        assertTrue(e.contains("at least 2 layers"), e);
        e = assertThrows(ConfigurationException.class, () -> text(0).build()).getMessage();
        assertTrue(e.contains("at least 1"), e);
    }

    /** A cell that does not report its input gradient (as one built against an older SPI) is refused above the first layer. */
    @Test
    void aCellWithoutInputGradientsCannotBeStacked() {
        Cell vanilla = Plugins.discover().create(PluginFamily.CELL, PluginChoice.of("vanilla"));
        Cell older = new Cell() {
            @Override
            public List<ParameterSpec> parameters(int in, int hid) {
                return vanilla.parameters(in, hid);
            }

            @Override
            public String describe() {
                return "older";
            }

            @Override
            public CellRunner bind(CellContext ctx) {
                CellRunner r = vanilla.bind(ctx);
                return new CellRunner() {
                    @Override
                    public void forward(int from, int to, float[] x, float[] s) {
                        r.forward(from, to, x, s);
                    }

                    @Override
                    public void backward(int from, int to, float[] x, float[] s, float[] ds) {
                        r.backward(from, to, x, s, ds);
                    }
                };
            }
        };
        Model m = new Model(new LayerStack(older, Layers.of(2), 1), 3, 4, 2);
        LayerStack stack = (LayerStack) m.cell();
        String e = assertThrows(
                        ConfigurationException.class,
                        () -> stack.requireStackable(
                                m.params(), 3, 4, org.bptt.api.kernel.Backends.select("scalar", 1)))
                .getMessage();
        assertTrue(e.startsWith("the cell older cannot be stacked"), e);
        // As a single layer (or the first of a stack) it is fine.
        new LayerStack(older, Layers.ONE, 1)
                .requireStackable(m.params(), 3, 4, org.bptt.api.kernel.Backends.select("scalar", 1));
    }
}
