package org.bptt.training.wiring;

import static java.util.Objects.requireNonNull;

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
import org.bptt.training.BpttTrainer;
import org.bptt.training.LayerStack;
import org.bptt.training.Layers;
import org.bptt.training.Model;
import org.bptt.training.TrainerSettings;
import org.bptt.training.plugin.PluginFailure;
import org.bptt.training.plugin.PluginFamily;
import org.bptt.training.plugin.Plugins;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Provides;
import com.google.inject.Singleton;

/**
 * Binds the strategies a {@link TrainingConfig} names, each looked up by name in its
 * family's map binder and created with its options, so that {@link BpttTrainer} receives
 * them by injection. An unknown name fails with the list of known ones.
 */
public final class TrainingModule extends AbstractModule {
    private final TrainingConfig config;
    private final Layers layers;

    public TrainingModule(TrainingConfig config) {
        this(config, Layers.ONE);
    }

    /** With the cell composed into {@code layers} (the plain cell for {@link Layers#ONE}). */
    public TrainingModule(TrainingConfig config, Layers layers) {
        this.config = requireNonNull(config, "config is null");
        this.layers = requireNonNull(layers, "layers is null");
    }

    /** Builds the trainer for a configuration from the class path's plugins. */
    public static BpttTrainer trainer(TrainingConfig config) {
        return trainer(config, Plugins.discover());
    }

    /** Builds the trainer for a configuration: model initialized from the seed, every plugin created. */
    public static BpttTrainer trainer(TrainingConfig config, Plugins plugins) {
        return trainer(config, Layers.ONE, plugins);
    }

    /** Builds the trainer of a network of {@code layers} of the configuration's cell. */
    public static BpttTrainer trainer(TrainingConfig config, Layers layers, Plugins plugins) {
        Injector injector = injector(config, layers, plugins);
        try {
            return injector.getInstance(BpttTrainer.class);
        } catch (com.google.inject.ProvisionException e) {
            // Providers run here, lazily: hand back the user's mistake or the plugin's failure itself.
            throw unwrap(e);
        }
    }

    public static Injector injector(TrainingConfig config, Plugins plugins) {
        return injector(config, Layers.ONE, plugins);
    }

    public static Injector injector(TrainingConfig config, Layers layers, Plugins plugins) {
        try {
            return Guice.createInjector(new PluginFamiliesModule(plugins), new TrainingModule(config, layers));
        } catch (com.google.inject.CreationException | com.google.inject.ProvisionException e) {
            throw unwrap(e);
        }
    }

    /** Guice wraps what providers throw; hand back a user's mistake or a plugin's failure as it was thrown. */
    static RuntimeException unwrap(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigurationException || t instanceof PluginFailure) {
                return (RuntimeException) t;
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (!(t instanceof com.google.inject.ProvisionException || t instanceof com.google.inject.CreationException)) {
                return PluginFailure.attribute(t);
            }
        }
        return e;
    }

    @Override
    protected void configure() {
        bind(TrainingConfig.class).toInstance(config);
        bind(TrainerSettings.class).toInstance(config.settings());
    }

    @Provides @Singleton
    Kernels kernels() {
        return Backends.select(config.backend(), config.threads());
    }

    @Provides @Singleton
    Cell cell(Plugins plugins) {
        return plugins.create(PluginFamily.CELL, config.cell());
    }

    @Provides @Singleton
    Model model(Cell cell, Plugins plugins, Kernels kernels) {
        Initializer init = plugins.create(PluginFamily.INITIALIZER, config.initializer());
        try {
            // A single forward layer is the cell itself: the same code path as before layers existed.
            LayerStack stack = layers.single() ? null : new LayerStack(cell, layers, config.seed());
            Model m = new Model(stack == null ? cell : stack, config.inputSize(), config.hiddenSize(), config.outputSize());
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

    @Provides @Singleton
    Loss loss(Plugins plugins) {
        return plugins.create(PluginFamily.LOSS, config.loss());
    }

    @Provides @Singleton
    Optimizer optimizer(Plugins plugins) {
        return plugins.create(PluginFamily.OPTIMIZER, config.optimizer());
    }

    @Provides @Singleton
    GradientPolicy policy(Plugins plugins) {
        return plugins.create(PluginFamily.POLICY, config.policy());
    }

    @Provides @Singleton
    Truncation truncation(Plugins plugins) {
        return plugins.create(PluginFamily.TRUNCATION, config.truncation());
    }
}
