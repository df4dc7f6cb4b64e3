package org.bptt.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.bptt.api.data.Task;
import org.bptt.training.diag.GradientFlowSnapshot;
import org.bptt.training.diag.Spectral;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Diagnostics that cost little: where training's own backward pass is one full-BPTT window,
 * the recorded flow is read from it instead of a second pass, and must be the second pass's
 * numbers bit for bit; a dense spectrum is spaced by its cost; a repeated spectrum of the same
 * W is computed once.
 */
final class TestDiagnosticsCost {
    /** What fit records, iteration by iteration. */
    private static final class Recorder implements FitListener {
        final List<GradientFlowSnapshot> flow = new ArrayList<>();
        final List<List<GradientFlowSnapshot>> layers = new ArrayList<>();
        final List<IterationMetrics> rows = new ArrayList<>();

        @Override
        public void onGradientFlow(Network n, GradientFlowSnapshot s) {
            flow.add(s);
        }

        @Override
        public void onLayerGradientFlow(Network n, List<GradientFlowSnapshot> l) {
            layers.add(l);
        }

        @Override
        public void onIteration(Network n, IterationMetrics m) {
            rows.add(m);
        }
    }

    private static Network.Builder adding(int layers) {
        return Network.builder()
                .task("adding", "steps", "12")
                .hidden(10)
                .batch(4)
                .seed(3)
                .layers(layers)
                .optimizer("adam", "lr", "0.01")
                .diagnosticsEvery(1);
    }

    @ParameterizedTest(name = "{0} layer(s)")
    @ValueSource(ints = {1, 2})
    void theFlowReadFromTheTrainingPassIsTheSecondPassesFlowBitForBit(int layers) throws IOException {
        // tbptt with k1 = k2 = T is one full window, as full BPTT is: the training pass has the numbers. The second
        // pass runs on a twin, so that nothing it leaves behind in the trainer can stand in for the training pass's.
        for (boolean tbptt : new boolean[] {false, true}) {
            Network net = tbptt
                    ? adding(layers).truncation("tbptt", "k1", "12", "k2", "12").build()
                    : adding(layers).build();
            Network twin = tbptt
                    ? adding(layers).truncation("tbptt", "k1", "12", "k2", "12").build()
                    : adding(layers).build();
            Task task = net.task();
            for (int it = 0; it < 3; it++) {
                GradientFlowSnapshot measured = twin.gradientFlow(task);
                List<GradientFlowSnapshot> measuredLayers = twin.layerGradientFlow(task);
                twin.fit(task, 1, FitListener.NONE);
                Recorder r = new Recorder();
                net.fit(task, 1, r);
                assertEquals(1, r.flow.size());
                assertEquals(it, r.flow.get(0).iteration());
                assertArrayEquals(measured.hiddenGradNorms(), r.flow.get(0).hiddenGradNorms(), "iteration " + it);
                if (layers > 1) {
                    for (int l = 0; l < layers; l++) {
                        assertArrayEquals(
                                measuredLayers.get(l).hiddenGradNorms(),
                                r.layers.get(0).get(l).hiddenGradNorms(),
                                "layer " + l);
                    }
                }
            }
        }
    }

    @Test
    void truncatedTrainingStillMeasuresTheFullBpttFlowInASecondPass() throws IOException {
        // TBPTT(3, 6) back-propagates no further than 6 steps: its own pass does not hold the full-BPTT flow.
        Network net = adding(1).truncation("tbptt", "k1", "3", "k2", "6").build();
        GradientFlowSnapshot measured = net.gradientFlow(net.task());
        Recorder r = new Recorder();
        net.fit(net.task(), 1, r);
        assertArrayEquals(measured.hiddenGradNorms(), r.flow.get(0).hiddenGradNorms());
        assertTrue(measured.hiddenGradNorms()[0] > 0, "the full-BPTT flow reaches step 0");
    }

    @Test
    void aSmallModelsSpectrumComesAtEveryDiagnosisALargeOnesIsSpacedByItsCost() throws IOException {
        Network small = adding(1).diagnosticsEvery(20).build();
        assertEquals(20, small.spectrumEvery(4, 12));
        // H = 256, a batch of 32 x 64 steps: a spectrum costs about 25 steps, spaced to stay within 2%.
        Network large = Network.builder()
                .task("adding", "steps", "64")
                .hidden(256)
                .batch(32)
                .diagnosticsEvery(20)
                .build();
        long every = large.spectrumEvery(32, 64);
        assertEquals(0, every % 20, "a multiple of the diagnostics interval");
        assertTrue(every >= 1000, "spaced: " + every);
        Network asked = Network.builder()
                .task("adding", "steps", "64")
                .hidden(256)
                .batch(32)
                .diagnosticsEvery(20)
                .set(org.bptt.training.config.RunSettings.SPECTRUM_EVERY, 30L)
                .build();
        assertEquals(40, asked.spectrumEvery(32, 64), "the setting, rounded up to a diagnosis");
        Recorder r = new Recorder();
        Network spaced = adding(1).diagnosticsEvery(2).build();
        long s = spaced.spectrumEvery(4, 12);
        spaced.fit(spaced.task(), 7, r);
        for (IterationMetrics m : r.rows) {
            boolean due = m.iteration() % 2 == 0 && m.iteration() % s == 0;
            assertEquals(due, !Double.isNaN(m.spectralRadius()), "iteration " + m.iteration());
        }
    }

    @Test
    void aStacksLayerSpectraFollowTheSingleLayersCadence() throws IOException {
        Network net = adding(2)
                .bidirectional(true)
                .diagnosticsEvery(1)
                .set(org.bptt.training.config.RunSettings.SPECTRUM_EVERY, 3L)
                .build();
        assertEquals(3, net.spectrumEvery(4, 12));
        List<Long> iterations = new ArrayList<>();
        List<List<Spectral>> spectra = new ArrayList<>();
        net.fit(net.task(), 8, new FitListener() {
            @Override
            public void onLayerGradientFlow(Network n, List<GradientFlowSnapshot> l) {
                iterations.add(l.get(0).iteration());
                spectra.add(n.layerSpectra());
            }
        });
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L), iterations);
        for (int i = 0; i < iterations.size(); i++) {
            List<Spectral> s = spectra.get(i);
            assertEquals(4, s.size(), "every layer and direction");
            for (Spectral one : s) {
                // Every third, and the last, where the chart of the run ends.
                assertEquals(
                        iterations.get(i) % 3 == 0 || iterations.get(i) == 7,
                        one != null,
                        "iteration " + iterations.get(i));
            }
        }
        // Outside a diagnosis every layer's spectrum is there, and is the spectrum of the layer's W now.
        List<Spectral> now = net.layerSpectra();
        assertEquals(
                Spectral.of(net.model().params().get("W_l1_reverse")).radius(),
                now.get(3).radius(),
                0);
    }

    @Test
    void theSameWsSpectrumIsComputedOnceAndAChangedWsAgain() throws IOException {
        Network net = adding(1).build();
        Spectral a = net.spectral();
        assertSame(a, net.spectral(), "W has not changed");
        net.fit(net.task(), 1, FitListener.NONE);
        Spectral b = net.spectral();
        assertFalse(a == b, "W has changed");
        assertEquals(Spectral.of(net.model().recurrentMatrix().orElseThrow()).radius(), b.radius(), 0);
    }
}
