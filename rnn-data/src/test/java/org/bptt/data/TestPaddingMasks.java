package org.bptt.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.bptt.api.data.Batch;
import org.bptt.api.data.Targets;
import org.bptt.api.tensor.ParameterSet;
import org.bptt.api.truncation.Truncation.Window;
import org.bptt.training.BpttTrainer;
import org.bptt.training.Network;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Per-sequence lengths in the trainer ({@link Batch#lengths}): padding carries no loss, and
 * whatever it holds (inputs and targets) never changes a valid output, a gradient or a trained
 * parameter, for the built-in cell and the example plugin's gated cells.
 */
final class TestPaddingMasks {
    private static final int B = 5;
    private static final int T = 7;
    private static final int I = 3;
    private static final int[] LENGTHS = {7, 3, 1, 5, 3};

    @ParameterizedTest(name = "{0}, class targets {1}, every step {2}, {3} layers, bidirectional {4}")
    @CsvSource({
        "vanilla,true,false,1,false",
        "vanilla,false,true,1,false",
        "vanilla,true,true,1,false",
        "gru,true,false,1,false",
        "gru,false,true,1,false",
        "lstm,true,false,1,false",
        "lstm,false,true,1,false",
        "vanilla,true,true,2,true",
        "vanilla,false,false,1,true",
        "gru,true,true,2,true",
        "lstm,false,true,2,true"
    })
    void paddingChangesNoBitOfOutputsGradientsOrTraining(
            String cell, boolean classes, boolean everyStep, int layers, boolean bidirectional) {
        Batch clean = batch(classes, everyStep, 0);
        Batch dirty = batch(classes, everyStep, 1);
        Batch nan = batch(classes, everyStep, 2);
        Network a = network(cell, classes, layers, bidirectional);
        Network b = network(cell, classes, layers, bidirectional);
        Network c = network(cell, classes, layers, bidirectional);
        List<Window> full = List.of(new Window(0, T, 0, T));
        ParameterSet ga = a.trainer().gradients(clean, full, null).copy();
        float[] oa = a.trainer().outputs().clone();
        ParameterSet gb = b.trainer().gradients(dirty, full, null).copy();
        float[] ob = b.trainer().outputs().clone();
        ParameterSet gc = c.trainer().gradients(nan, full, null).copy();
        for (int k = 0; k < ga.count(); k++) {
            assertArrayEquals(
                    ga.get(k).data(),
                    gb.get(k).data(),
                    cell + " gradient " + ga.get(k).name() + " with huge padding");
            assertArrayEquals(
                    ga.get(k).data(),
                    gc.get(k).data(),
                    cell + " gradient " + ga.get(k).name() + " with NaN padding");
        }
        int o = a.outputSize();
        for (int t = 0; t < T; t++) {
            for (int s = 0; s < B; s++) {
                if (t < LENGTHS[s]) {
                    int at = (t * B + s) * o;
                    assertArrayEquals(
                            Arrays.copyOfRange(oa, at, at + o),
                            Arrays.copyOfRange(ob, at, at + o),
                            "output at a valid step");
                }
            }
        }
        for (int it = 0; it < 5; it++) {
            a.trainer().trainStep(batch(classes, everyStep, 0));
            b.trainer().trainStep(batch(classes, everyStep, 1));
            c.trainer().trainStep(batch(classes, everyStep, 2));
        }
        for (int k = 0; k < ga.count(); k++) {
            float[] pa = a.model().params().get(k).data();
            assertArrayEquals(
                    pa,
                    b.model().params().get(k).data(),
                    cell + " trained " + ga.get(k).name());
            assertArrayEquals(
                    pa,
                    c.model().params().get(k).data(),
                    cell + " trained " + ga.get(k).name() + ", NaN padding");
        }
    }

    /**
     * Independently of how the trainer keeps padding out: the padded batch's gradient is the
     * mean of each sequence's gradient computed alone, unpadded, in a batch of one. For a
     * bidirectional network this says its backward direction starts at each sequence's own last
     * valid step, as PyTorch's packed sequences do.
     */
    @ParameterizedTest(name = "{0}, class targets {1}, every step {2}, {3} layers, bidirectional {4}")
    @CsvSource({
        "vanilla,true,false,1,false",
        "vanilla,false,true,1,false",
        "gru,false,true,1,false",
        "lstm,true,false,1,false",
        "vanilla,true,false,1,true",
        "vanilla,false,true,3,true",
        "gru,true,true,2,true",
        "lstm,false,false,2,true"
    })
    void paddedGradientIsTheMeanOfEachSequenceAlone(
            String cell, boolean classes, boolean everyStep, int layers, boolean bidirectional) {
        Network net = network(cell, classes, layers, bidirectional);
        BpttTrainer tr = net.trainer();
        Batch padded = batch(classes, everyStep, 1);
        ParameterSet g =
                tr.gradients(padded, List.of(new Window(0, T, 0, T)), null).copy();
        double loss = tr.forward(batch(classes, everyStep, 1));
        ParameterSet sum = g.zerosLike();
        double lossSum = 0;
        for (int s = 0; s < B; s++) {
            Batch one = alone(padded, batch(classes, everyStep, 0), s, classes, everyStep);
            ParameterSet gs = tr.gradients(one, List.of(new Window(0, LENGTHS[s], 0, LENGTHS[s])), null);
            lossSum += tr.forward(one);
            for (int k = 0; k < g.count(); k++) {
                float[] d = sum.get(k).data();
                float[] v = gs.get(k).data();
                for (int j = 0; j < d.length; j++) {
                    d[j] += v[j] / B;
                }
            }
        }
        assertEquals(lossSum / B, loss, 1e-6 * Math.abs(loss));
        for (int k = 0; k < g.count(); k++) {
            float[] want = sum.get(k).data();
            float[] got = g.get(k).data();
            double num = 0;
            double den = 0;
            for (int j = 0; j < want.length; j++) {
                num += (got[j] - want[j]) * (double) (got[j] - want[j]);
                den += want[j] * (double) want[j];
            }
            assertTrue(
                    Math.sqrt(num) <= 1e-5 * Math.sqrt(den) + 1e-9,
                    cell + " " + g.get(k).name() + ": relative error " + Math.sqrt(num / den));
        }
    }

    /** Layer 2 reads layer 1's states at padded steps too: those must not reach a valid step either. */
    @Test
    void aStackKeepsPaddingOutOfEveryLayer() {
        Network a = network("vanilla", true, 2, false);
        Network c = network("vanilla", true, 2, false);
        List<Window> full = List.of(new Window(0, T, 0, T));
        ParameterSet ga =
                a.trainer().gradients(batch(true, false, 0), full, null).copy();
        ParameterSet gc =
                c.trainer().gradients(batch(true, false, 2), full, null).copy();
        assertTrue(ga.count() > 4, "a two-layer stack has more than one layer's parameters");
        for (int k = 0; k < ga.count(); k++) {
            assertArrayEquals(
                    ga.get(k).data(),
                    gc.get(k).data(),
                    "stack gradient " + ga.get(k).name() + " with NaN padding");
        }
    }

    private static Network network(String cell, boolean classes) {
        return network(cell, classes, 1, false);
    }

    private static Network network(String cell, boolean classes, int layers, boolean bidirectional) {
        float[][][] x = new float[1][T][I];
        ArrayTask shape = classes ? ArrayTask.of(x, new int[] {3}, null) : ArrayTask.of(x, new float[1][T][2], null);
        var config = Network.builder()
                .cell(cell)
                .hidden(6)
                .batch(B)
                .seed(11)
                .optimizer("sgd", "lr", "0.1")
                .layers(layers)
                .bidirectional(bidirectional)
                .config();
        return Network.create(config, shape, Fixtures.PLUGINS);
    }

    /** The batch; padding (inputs and targets) from garbage kind 0 (zeros), 1 (huge, class ids out of range), 2 (NaN). */
    private static Batch batch(boolean classes, boolean everyStep, int garbage) {
        SplittableRandom r = new SplittableRandom(3);
        SplittableRandom g = new SplittableRandom(99);
        float[] x = new float[T * B * I];
        int[] ids = new int[T * B];
        float[] values = new float[T * B * 2];
        for (int t = 0; t < T; t++) {
            for (int s = 0; s < B; s++) {
                boolean valid = t < LENGTHS[s];
                for (int j = 0; j < I; j++) {
                    float v = (float) r.nextGaussian();
                    x[(t * B + s) * I + j] = valid ? v : junk(garbage, g);
                }
                int id = r.nextInt(4);
                ids[t * B + s] = valid ? id : garbage == 0 ? 0 : 1000 + g.nextInt(5);
                for (int j = 0; j < 2; j++) {
                    float v = (float) r.nextGaussian();
                    values[(t * B + s) * 2 + j] = valid ? v : junk(garbage, g);
                }
            }
        }
        Targets targets = classes ? Targets.classes(ids) : Targets.vectors(values, 2);
        return new Batch(B, T, I, x, targets, everyStep ? Batch.allSteps(T) : Batch.lastStep(T), null, LENGTHS.clone());
    }

    private static float junk(int garbage, SplittableRandom g) {
        return switch (garbage) {
            case 0 -> 0f;
            case 1 -> (float) (g.nextGaussian() * 1e30);
            default -> g.nextBoolean() ? Float.NaN : Float.POSITIVE_INFINITY;
        };
    }

    /** Sequence s of the batch alone: its valid steps, targets where the padded batch has them (at its end for the last step). */
    private static Batch alone(Batch padded, Batch clean, int s, boolean classes, boolean everyStep) {
        int len = LENGTHS[s];
        float[] x = new float[len * I];
        for (int t = 0; t < len; t++) {
            System.arraycopy(clean.x(), (t * B + s) * I, x, t * I, I);
        }
        Targets targets;
        if (classes) {
            int[] ids = new int[len];
            for (int t = 0; t < len; t++) {
                ids[t] = clean.targets().classes()[t * B + s];
            }
            targets = Targets.classes(ids);
        } else {
            float[] v = new float[len * 2];
            for (int t = 0; t < len; t++) {
                System.arraycopy(clean.targets().values(), (t * B + s) * 2, v, t * 2, 2);
            }
            targets = Targets.vectors(v, 2);
        }
        return new Batch(1, len, I, x, targets, everyStep ? Batch.allSteps(len) : Batch.lastStep(len), null);
    }
}
