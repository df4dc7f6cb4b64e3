package org.bptt.training;

import java.util.Map;
import java.util.SplittableRandom;
import org.bptt.api.data.Batch;
import org.bptt.api.data.Targets;
import org.bptt.api.tensor.ParameterSet;
import org.bptt.training.wiring.PluginChoice;
import org.bptt.training.wiring.TrainingConfig;
import org.bptt.training.wiring.TrainingModule;

/** A random small problem held both as the trainer's float batch and as the reference's doubles. */
final class Problems {
    final int in;
    final int hid;
    final int out;
    final int steps;
    final int batch;
    final boolean relu;
    final boolean ce;
    final double[][][] x;
    final int[][] classes;
    final double[][][] targets;
    final double[][] h0;
    final boolean[] lossSteps;

    Problems(long seed, int in, int hid, int out, int steps, int batch, boolean relu, boolean ce, boolean[] lossSteps) {
        this.in = in;
        this.hid = hid;
        this.out = out;
        this.steps = steps;
        this.batch = batch;
        this.relu = relu;
        this.ce = ce;
        this.lossSteps = lossSteps;
        SplittableRandom r = new SplittableRandom(seed);
        x = new double[batch][steps][in];
        classes = new int[batch][steps];
        targets = new double[batch][steps][out];
        h0 = new double[batch][hid];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                for (int i = 0; i < in; i++) {
                    x[b][t][i] = r.nextDouble(-1, 1);
                }
                classes[b][t] = r.nextInt(out);
                for (int o = 0; o < out; o++) {
                    targets[b][t][o] = r.nextDouble(-1, 1);
                }
            }
            for (int j = 0; j < hid; j++) {
                h0[b][j] = r.nextDouble(-0.5, 0.5);
            }
        }
    }

    TrainingConfig config(
            String backend,
            PluginChoice optimizer,
            PluginChoice policy,
            PluginChoice truncation,
            TrainerSettings settings) {
        return config(backend, 1, optimizer, policy, truncation, settings);
    }

    TrainingConfig config(
            String backend,
            int threads,
            PluginChoice optimizer,
            PluginChoice policy,
            PluginChoice truncation,
            TrainerSettings settings) {
        return new TrainingConfig(
                in,
                hid,
                out,
                new PluginChoice("vanilla", Map.of("activation", relu ? "relu" : "tanh")),
                PluginChoice.of(ce ? "ce" : "mse"),
                optimizer,
                policy,
                truncation,
                PluginChoice.of("xavier"),
                7L,
                backend,
                threads,
                settings);
    }

    BpttTrainer trainer(String backend) {
        return TrainingModule.trainer(config(
                backend,
                PluginChoice.of("sgd"),
                PluginChoice.of("none"),
                PluginChoice.of("full"),
                TrainerSettings.defaults()));
    }

    Batch batchOf() {
        float[] fx = new float[steps * batch * in];
        int[] fc = new int[steps * batch];
        float[] ft = new float[steps * batch * out];
        float[] fh = new float[batch * hid];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                for (int i = 0; i < in; i++) {
                    fx[(t * batch + b) * in + i] = (float) x[b][t][i];
                }
                fc[t * batch + b] = classes[b][t];
                for (int o = 0; o < out; o++) {
                    ft[(t * batch + b) * out + o] = (float) targets[b][t][o];
                }
            }
            for (int j = 0; j < hid; j++) {
                fh[b * hid + j] = (float) h0[b][j];
            }
        }
        return new Batch(batch, steps, in, fx, ce ? Targets.classes(fc) : Targets.vectors(ft, out), lossSteps, fh);
    }

    /** The model's float parameters as exact doubles, in the reference's order. */
    static double[][] params(ParameterSet p) {
        String[] names = {"U", "W", "b", "V", "c"};
        double[][] d = new double[5][];
        for (int i = 0; i < 5; i++) {
            float[] f = p.get(names[i]).data();
            d[i] = new double[f.length];
            for (int k = 0; k < f.length; k++) {
                d[i][k] = f[k];
            }
        }
        return d;
    }

    static double relativeError(float[] got, double[] ref) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < ref.length; i++) {
            double d = got[i] - ref[i];
            diff += d * d;
            norm += ref[i] * ref[i];
        }
        return Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-12);
    }
}
