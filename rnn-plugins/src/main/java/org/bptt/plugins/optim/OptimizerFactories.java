package org.bptt.plugins.optim;

import java.util.List;
import org.bptt.api.optim.Optimizer;
import org.bptt.api.optim.OptimizerFactory;
import org.bptt.api.plugin.PluginOption;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.plugin.PluginParameter;

/** The ServiceLoader entry points of the built-in optimizers. Each option is declared once, here. */
public final class OptimizerFactories {
    private OptimizerFactories() {}

    private static PluginOption<Double> lr(double defaultValue) {
        return PluginOption.number("lr", defaultValue, "learning rate").positive();
    }

    private static PluginOption<Double> decay(String name, double defaultValue, String description) {
        return PluginOption.number(name, defaultValue, description).inRange(0, 1);
    }

    private static PluginOption<Double> eps(double defaultValue, String description) {
        return PluginOption.number("eps", defaultValue, description).positive();
    }

    /** {@code sgd}: options lr, momentum. */
    public static final class SgdFactory implements OptimizerFactory {
        static final PluginOption<Double> LR = lr(0.01);
        static final PluginOption<Double> MOMENTUM = decay("momentum", 0.0, "momentum mu");

        @Override
        public String name() {
            return "sgd";
        }

        @Override
        public String description() {
            return "stochastic gradient descent with momentum: v = mu*v + g; theta -= lr*v";
        }

        @Override
        public List<PluginParameter> parameters() {
            return PluginOption.parameters(LR, MOMENTUM);
        }

        @Override
        public Optimizer create(PluginOptions o) {
            PluginOption.requireOnly(o, LR, MOMENTUM);
            return new Sgd(LR.read(o), MOMENTUM.read(o));
        }
    }

    /** {@code adam}: options lr, beta1, beta2, eps. */
    public static final class AdamFactory implements OptimizerFactory {
        static final PluginOption<Double> LR = lr(0.001);
        static final PluginOption<Double> BETA1 = decay("beta1", 0.9, "first-moment decay");
        static final PluginOption<Double> BETA2 = decay("beta2", 0.999, "second-moment decay");
        static final PluginOption<Double> EPS = eps(1e-8, "added to sqrt(v-hat)");

        @Override
        public String name() {
            return "adam";
        }

        @Override
        public String description() {
            return "Adam with bias correction";
        }

        @Override
        public List<PluginParameter> parameters() {
            return PluginOption.parameters(LR, BETA1, BETA2, EPS);
        }

        @Override
        public Optimizer create(PluginOptions o) {
            PluginOption.requireOnly(o, LR, BETA1, BETA2, EPS);
            return new Adam(LR.read(o), BETA1.read(o), BETA2.read(o), EPS.read(o));
        }
    }

    /** {@code adamw}: Adam with decoupled weight decay; options lr, beta1, beta2, eps, weight-decay (PyTorch's defaults). */
    public static final class AdamWFactory implements OptimizerFactory {
        static final PluginOption<Double> WEIGHT_DECAY = PluginOption.number(
                        "weight-decay",
                        0.01,
                        "decoupled weight decay lambda: theta -= lr*lambda*theta before each Adam step")
                .inRange(0, 1);

        @Override
        public String name() {
            return "adamw";
        }

        @Override
        public String description() {
            return "Adam with decoupled weight decay (AdamW, Loshchilov & Hutter)";
        }

        @Override
        public List<PluginParameter> parameters() {
            return PluginOption.parameters(
                    AdamFactory.LR, AdamFactory.BETA1, AdamFactory.BETA2, AdamFactory.EPS, WEIGHT_DECAY);
        }

        @Override
        public Optimizer create(PluginOptions o) {
            PluginOption.requireOnly(
                    o, AdamFactory.LR, AdamFactory.BETA1, AdamFactory.BETA2, AdamFactory.EPS, WEIGHT_DECAY);
            return new Adam(
                    AdamFactory.LR.read(o),
                    AdamFactory.BETA1.read(o),
                    AdamFactory.BETA2.read(o),
                    AdamFactory.EPS.read(o),
                    WEIGHT_DECAY.read(o));
        }
    }

    /** {@code rmsprop}: options lr, alpha, eps. */
    public static final class RmsPropFactory implements OptimizerFactory {
        static final PluginOption<Double> LR = lr(0.01);
        static final PluginOption<Double> ALPHA = decay("alpha", 0.99, "smoothing constant");
        static final PluginOption<Double> EPS = eps(1e-8, "added to sqrt(s)");

        @Override
        public String name() {
            return "rmsprop";
        }

        @Override
        public String description() {
            return "RMSprop: s = alpha*s + (1-alpha)*g^2; theta -= lr*g/(sqrt(s)+eps)";
        }

        @Override
        public List<PluginParameter> parameters() {
            return PluginOption.parameters(LR, ALPHA, EPS);
        }

        @Override
        public Optimizer create(PluginOptions o) {
            PluginOption.requireOnly(o, LR, ALPHA, EPS);
            return new RmsProp(LR.read(o), ALPHA.read(o), EPS.read(o));
        }
    }

    /** {@code adagrad}: options lr, eps. */
    public static final class AdagradFactory implements OptimizerFactory {
        static final PluginOption<Double> LR = lr(0.01);
        static final PluginOption<Double> EPS = eps(1e-10, "added to sqrt(s)");

        @Override
        public String name() {
            return "adagrad";
        }

        @Override
        public String description() {
            return "Adagrad: s += g^2; theta -= lr*g/(sqrt(s)+eps)";
        }

        @Override
        public List<PluginParameter> parameters() {
            return PluginOption.parameters(LR, EPS);
        }

        @Override
        public Optimizer create(PluginOptions o) {
            PluginOption.requireOnly(o, LR, EPS);
            return new Adagrad(LR.read(o), EPS.read(o));
        }
    }
}
