package org.bptt.training.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.util.List;
import java.util.SplittableRandom;
import org.bptt.api.cell.Cell;
import org.bptt.api.gradient.GradientPolicy;
import org.bptt.api.init.Initializer;
import org.bptt.api.kernel.Backends;
import org.bptt.api.kernel.Kernels;
import org.bptt.api.loss.Loss;
import org.bptt.api.optim.Optimizer;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.truncation.Truncation;
import org.bptt.training.LayerStack;
import org.bptt.training.Layers;
import org.bptt.training.Model;
import org.bptt.training.plugin.PluginFailure;
import org.bptt.training.plugin.PluginFamily;
import org.bptt.training.plugin.Plugins;

/**
 * The trainer's object graph, one Guice module per part: each binds one SPI type to the plugin
 * the {@link TrainingConfig} chooses (created with its options from the bound {@link Plugins}).
 * {@link TrainingModule} installs them all; an embedder or a test replaces one binding with
 * {@code Modules.override(...)} (see {@link TrainingModule#trainer(TrainingConfig, Layers, Plugins, Module)})
 * and keeps the rest. Every binding is a singleton of its injector, so one trainer's parts are
 * never shared with another's.
 */
public final class FamilyModules {
    private FamilyModules() {}

    /** All of them, in the order a trainer needs them. */
    public static List<Module> all() {
        return List.of(
                new KernelsModule(),
                new CellModule(),
                new ModelModule(),
                new LossModule(),
                new OptimizerModule(),
                new PolicyModule(),
                new TruncationModule());
    }

    /** {@link Kernels}: the backend the configuration asks for, with its threads. */
    public static final class KernelsModule extends AbstractModule {
        @Provides
        @Singleton
        Kernels kernels(TrainingConfig config) {
            return Backends.select(config.backend(), config.threads());
        }
    }

    /** {@link Cell}: the cell plugin. */
    public static final class CellModule extends AbstractModule {
        @Provides
        @Singleton
        Cell cell(TrainingConfig config, Plugins plugins) {
            return plugins.create(PluginFamily.CELL, config.cell());
        }
    }

    /** {@link Model}: the cell composed into the layers, initialized by the initializer plugin from the seed. */
    public static final class ModelModule extends AbstractModule {
        @Provides
        @Singleton
        Initializer initializer(TrainingConfig config, Plugins plugins) {
            return plugins.create(PluginFamily.INITIALIZER, config.initializer());
        }

        @Provides
        @Singleton
        Model model(TrainingConfig config, Layers layers, Cell cell, Initializer init, Kernels kernels) {
            try {
                // A single forward layer is the cell itself: the same code path as before layers existed.
                LayerStack stack = layers.single() ? null : new LayerStack(cell, layers, config.seed());
                Model m = new Model(
                        stack == null ? cell : stack, config.inputSize(), config.hiddenSize(), config.outputSize());
                m.initialize(init, new SplittableRandom(config.seed()));
                if (stack != null) {
                    stack.requireStackable(m.params(), config.inputSize(), config.hiddenSize(), kernels);
                }
                return m;
            } catch (ConfigurationException e) {
                throw e;
            } catch (RuntimeException | LinkageError e) {
                throw PluginFailure.attribute(e);
            }
        }
    }

    /** {@link Loss}: the loss plugin. */
    public static final class LossModule extends AbstractModule {
        @Provides
        @Singleton
        Loss loss(TrainingConfig config, Plugins plugins) {
            return plugins.create(PluginFamily.LOSS, config.loss());
        }
    }

    /** {@link Optimizer}: the optimizer plugin. */
    public static final class OptimizerModule extends AbstractModule {
        @Provides
        @Singleton
        Optimizer optimizer(TrainingConfig config, Plugins plugins) {
            return plugins.create(PluginFamily.OPTIMIZER, config.optimizer());
        }
    }

    /** {@link GradientPolicy}: the gradient policy plugin. */
    public static final class PolicyModule extends AbstractModule {
        @Provides
        @Singleton
        GradientPolicy policy(TrainingConfig config, Plugins plugins) {
            return plugins.create(PluginFamily.POLICY, config.policy());
        }
    }

    /** {@link Truncation}: the truncation plugin. */
    public static final class TruncationModule extends AbstractModule {
        @Provides
        @Singleton
        Truncation truncation(TrainingConfig config, Plugins plugins) {
            return plugins.create(PluginFamily.TRUNCATION, config.truncation());
        }
    }
}
