package org.bptt.examples.gated;

import java.util.SplittableRandom;

import org.bptt.api.data.Batch;
import org.bptt.api.data.Targets;
import org.bptt.training.BpttTrainer;
import org.bptt.training.LossMean;
import org.bptt.training.NonFinitePolicy;
import org.bptt.training.TrainerSettings;
import org.bptt.training.wiring.PluginChoice;
import org.bptt.training.wiring.TrainingConfig;
import org.bptt.training.wiring.TrainingModule;

/** Trainers built through the platform's wiring, and random batches, for the tests. */
final class Fixtures {
    private Fixtures() {}

    static boolean simdAvailable() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /** Sizes and plugins of a test run; the cell is looked up by name like any plugin. */
    record Setup(String cell, int in, int hid, int out, String loss, PluginChoice optimizer, PluginChoice policy,
                 PluginChoice truncation, PluginChoice init, boolean perWindow) {
        BpttTrainer trainer(String backend, int threads, long seed) {
            return TrainingModule.trainer(new TrainingConfig(in, hid, out, PluginChoice.of(cell), PluginChoice.of(loss),
                    optimizer, policy, truncation, init, seed, backend, threads,
                    new TrainerSettings(LossMean.SEQUENCE, perWindow, NonFinitePolicy.STOP, false)));
        }

        int width() {
            return cell.equals("lstm") ? 2 * hid : hid;
        }

        /** Normal inputs, random targets, the given loss steps, and a random initial state row (h0, and c0 for the LSTM). */
        Batch batch(SplittableRandom r, int batch, int steps, boolean[] lossSteps) {
            float[] x = new float[steps * batch * in];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
            }
            Targets targets;
            if (loss.equals("ce")) {
                int[] c = new int[steps * batch];
                for (int i = 0; i < c.length; i++) {
                    c[i] = r.nextInt(out);
                }
                targets = Targets.classes(c);
            } else {
                float[] v = new float[steps * batch * out];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) r.nextGaussian();
                }
                targets = Targets.vectors(v, out);
            }
            float[] h0 = new float[batch * width()];
            for (int i = 0; i < h0.length; i++) {
                h0[i] = (float) (0.8 * (2 * r.nextDouble() - 1));
            }
            return new Batch(batch, steps, in, x, targets, lossSteps, h0);
        }
    }
}
