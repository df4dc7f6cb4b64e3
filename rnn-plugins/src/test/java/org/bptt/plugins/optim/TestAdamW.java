package org.bptt.plugins.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ServiceLoader;
import org.bptt.api.kernel.Backends;
import org.bptt.api.optim.Optimizer;
import org.bptt.api.optim.OptimizerFactory;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.tensor.ParameterSet;
import org.bptt.api.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * AdamW's decoupled weight decay against its definition (Loshchilov &amp; Hutter; PyTorch's
 * AdamW): θ ← θ(1 − lr·λ) − lr·m̂/(√v̂ + ε), worked in float64 for two steps; a schedule's
 * learning rate reaches the decay too.
 */
final class TestAdamW {

    @Test
    void twoStepsMatchTheDefinition() {
        OptimizerFactory f = ServiceLoader.load(OptimizerFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(x -> x.name().equals("adamw"))
                .findFirst()
                .orElseThrow();
        double lr = 0.01, wd = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        Optimizer o = f.create(PluginOptions.empty("adamw").with("lr", lr).with("weight-decay", wd));
        assertEquals("adamw(lr=0.01, beta1=0.9, beta2=0.999, eps=1.0E-8, weight-decay=0.1)", o.describe());
        float[] theta = {0.5f, -1.0f, 2.0f};
        float[][] grads = {{0.1f, -0.2f, 0.3f}, {-0.05f, 0.4f, 0.0f}};
        ParameterSet p = new ParameterSet().add(new Tensor("w", 1, 3, theta.clone()));
        ParameterSet g = p.zerosLike();
        o.bind(p, Backends.select("scalar", 1));
        double[] ref = {0.5, -1.0, 2.0};
        double[] m = new double[3];
        double[] v = new double[3];
        for (int step = 1; step <= 2; step++) {
            double rate = step == 1 ? lr : lr / 2;
            o.setLearningRate(rate);
            System.arraycopy(grads[step - 1], 0, g.get("w").data(), 0, 3);
            o.step(p, g);
            for (int i = 0; i < 3; i++) {
                double gi = grads[step - 1][i];
                m[i] = b1 * m[i] + (1 - b1) * gi;
                v[i] = b2 * v[i] + (1 - b2) * gi * gi;
                double mHat = m[i] / (1 - Math.pow(b1, step));
                double vHat = v[i] / (1 - Math.pow(b2, step));
                ref[i] = ref[i] * (1 - rate * wd) - rate * mHat / (Math.sqrt(vHat) + eps);
            }
            for (int i = 0; i < 3; i++) {
                assertEquals(ref[i], p.get("w").data()[i], 2e-7 * Math.abs(ref[i]), "step " + step + " element " + i);
            }
        }
        // Without the decay the parameters end elsewhere: the check above tells the two apart.
        double withoutDecay = 2.0
                - lr * 1.0
                - lr / 2 * ((0.9 * 0.03) / (1 - 0.81)) / (Math.sqrt((0.999 * 0.001 * 0.09) / (1 - 0.998001)) + eps);
        assertTrue(Math.abs(withoutDecay - p.get("w").data()[2]) > 1e-3, "the decay changed nothing");
        Optimizer plain = ServiceLoader.load(OptimizerFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(x -> x.name().equals("adam"))
                .findFirst()
                .orElseThrow()
                .create(PluginOptions.empty("adam"));
        assertTrue(
                plain.describe().startsWith("adam(") && !plain.describe().contains("weight-decay"), plain.describe());
    }
}
