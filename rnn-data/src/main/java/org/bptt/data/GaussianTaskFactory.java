package org.bptt.data;

import java.util.List;
import java.util.random.RandomGenerator;
import org.bptt.api.data.Batch;
import org.bptt.api.data.Targets;
import org.bptt.api.data.Task;
import org.bptt.api.data.TaskFactory;
import org.bptt.api.plugin.PluginOption;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.plugin.PluginParameter;

/**
 * {@code gaussian}: inputs drawn from N(0, 1), zero targets. Not a task to learn: the sample
 * sequences on which a model brought in without its data (an imported PyTorch model) is
 * analyzed, its gradient flow measured and its verdict given.
 */
public final class GaussianTaskFactory implements TaskFactory {
    static final PluginOption<Integer> INPUTS =
            PluginOption.integer("inputs", null, "input size I").atLeast(1);
    static final PluginOption<Integer> OUTPUTS =
            PluginOption.integer("outputs", null, "output size O").atLeast(1);
    static final PluginOption<Integer> STEPS =
            PluginOption.integer("steps", 50, "sequence length T").atLeast(1).atMost(1_000_000);

    @Override
    public String name() {
        return "gaussian";
    }

    @Override
    public String description() {
        return "standard normal inputs and zero targets (mse): sample sequences for analyzing a model imported without its data";
    }

    @Override
    public List<PluginParameter> parameters() {
        return PluginOption.parameters(INPUTS, OUTPUTS, STEPS);
    }

    @Override
    public Task create(PluginOptions options) {
        PluginOption.requireOnly(options, INPUTS, OUTPUTS, STEPS);
        return new Gaussian(INPUTS.read(options), OUTPUTS.read(options), STEPS.read(options));
    }

    private record Gaussian(int inputSize, int outputSize, int steps) implements Task {
        @Override
        public String defaultLoss() {
            return "mse";
        }

        @Override
        public Batch newBatch(int batchSize) {
            return new Batch(
                    batchSize,
                    steps,
                    inputSize,
                    new float[steps * batchSize * inputSize],
                    Targets.vectors(new float[steps * batchSize * outputSize], outputSize),
                    Batch.allSteps(steps),
                    null);
        }

        @Override
        public void fill(Batch batch, RandomGenerator random) {
            float[] x = batch.x();
            for (int k = 0; k < x.length; k++) {
                x[k] = (float) random.nextGaussian();
            }
        }

        @Override
        public String describe() {
            return "gaussian(I=" + inputSize + ", T=" + steps + ")";
        }
    }
}
