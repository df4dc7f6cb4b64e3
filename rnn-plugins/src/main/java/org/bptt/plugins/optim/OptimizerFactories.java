package org.bptt.plugins.optim;

import java.util.List;
import java.util.Set;

import org.bptt.api.optim.Optimizer;
import org.bptt.api.optim.OptimizerFactory;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.plugin.PluginParameter;

/** The ServiceLoader entry points of the built-in optimizers. */
public final class OptimizerFactories {
    private OptimizerFactories() {}

    /** {@code sgd}: options lr, momentum. */
    public static final class SgdFactory implements OptimizerFactory {
        @Override public String name() { return "sgd"; }
        @Override public String description() { return "stochastic gradient descent with momentum: v = mu*v + g; theta -= lr*v"; }
        @Override public List<PluginParameter> parameters() {
            return List.of(new PluginParameter("lr", "0.01", "learning rate"),
                    new PluginParameter("momentum", "0", "momentum mu in [0, 1)"));
        }
        @Override public Optimizer create(PluginOptions o) {
            o.requireOnly(Set.of("lr", "momentum"));
            return new Sgd(o.positive("lr", 0.01), o.inRange("momentum", 0, 0, 1));
        }
    }

    /** {@code adam}: options lr, beta1, beta2, eps. */
    public static final class AdamFactory implements OptimizerFactory {
        @Override public String name() { return "adam"; }
        @Override public String description() { return "Adam with bias correction"; }
        @Override public List<PluginParameter> parameters() {
            return List.of(new PluginParameter("lr", "0.001", "learning rate"),
                    new PluginParameter("beta1", "0.9", "first-moment decay in [0, 1)"),
                    new PluginParameter("beta2", "0.999", "second-moment decay in [0, 1)"),
                    new PluginParameter("eps", "1e-8", "added to sqrt(v-hat)"));
        }
        @Override public Optimizer create(PluginOptions o) {
            o.requireOnly(Set.of("lr", "beta1", "beta2", "eps"));
            return new Adam(o.positive("lr", 0.001), o.inRange("beta1", 0.9, 0, 1), o.inRange("beta2", 0.999, 0, 1),
                    o.positive("eps", 1e-8));
        }
    }

    /** {@code rmsprop}: options lr, alpha, eps. */
    public static final class RmsPropFactory implements OptimizerFactory {
        @Override public String name() { return "rmsprop"; }
        @Override public String description() { return "RMSprop: s = alpha*s + (1-alpha)*g^2; theta -= lr*g/(sqrt(s)+eps)"; }
        @Override public List<PluginParameter> parameters() {
            return List.of(new PluginParameter("lr", "0.01", "learning rate"),
                    new PluginParameter("alpha", "0.99", "smoothing constant in [0, 1)"),
                    new PluginParameter("eps", "1e-8", "added to sqrt(s)"));
        }
        @Override public Optimizer create(PluginOptions o) {
            o.requireOnly(Set.of("lr", "alpha", "eps"));
            return new RmsProp(o.positive("lr", 0.01), o.inRange("alpha", 0.99, 0, 1), o.positive("eps", 1e-8));
        }
    }

    /** {@code adagrad}: options lr, eps. */
    public static final class AdagradFactory implements OptimizerFactory {
        @Override public String name() { return "adagrad"; }
        @Override public String description() { return "Adagrad: s += g^2; theta -= lr*g/(sqrt(s)+eps)"; }
        @Override public List<PluginParameter> parameters() {
            return List.of(new PluginParameter("lr", "0.01", "learning rate"),
                    new PluginParameter("eps", "1e-10", "added to sqrt(s)"));
        }
        @Override public Optimizer create(PluginOptions o) {
            o.requireOnly(Set.of("lr", "eps"));
            return new Adagrad(o.positive("lr", 0.01), o.positive("eps", 1e-10));
        }
    }
}
