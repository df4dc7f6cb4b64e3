package org.bptt.training.wiring;

import static java.util.Objects.requireNonNull;

import java.util.SplittableRandom;

import org.bptt.api.cell.Cell;
import org.bptt.api.gradient.GradientPolicy;
import org.bptt.api.kernel.Backends;
import org.bptt.api.kernel.Kernels;
import org.bptt.api.loss.Loss;
import org.bptt.api.optim.Optimizer;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.truncation.Truncation;
import org.bptt.training.BpttTrainer;
import org.bptt.training.Model;
import org.bptt.training.TrainerSettings;

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

    public TrainingModule(TrainingConfig config) {
        this.config = requireNonNull(config, "config is null");
    }

    /** Builds the trainer for a configuration: model initialized from the seed, every plugin created. */
    public static BpttTrainer trainer(TrainingConfig config) {
        Injector injector = injector(config);
        try {
            return injector.getInstance(BpttTrainer.class);
        } catch (com.google.inject.ProvisionException e) {
            // Providers run here, lazily (e.g. an unknown backend name): unwrap the user's mistake as at creation.
            throw unwrap(e);
        }
    }

    public static Injector injector(TrainingConfig config) {
        try {
            return Guice.createInjector(new PluginFamiliesModule(), new TrainingModule(config));
        } catch (com.google.inject.CreationException | com.google.inject.ProvisionException e) {
            throw unwrap(e);
        }
    }

    /** Guice wraps a user's configuration mistake; hand back the mistake itself. */
    static RuntimeException unwrap(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigurationException c) {
                return c;
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
        return plugins.cells().get(config.cell().name()).create(config.cell().pluginOptions());
    }

    @Provides @Singleton
    Model model(Cell cell, Plugins plugins) {
        Model m = new Model(cell, config.inputSize(), config.hiddenSize(), config.outputSize());
        m.initialize(plugins.initializers().get(config.initializer().name()).create(config.initializer().pluginOptions()),
                new SplittableRandom(config.seed()));
        return m;
    }

    @Provides @Singleton
    Loss loss(Plugins plugins) {
        return plugins.losses().get(config.loss().name()).create(config.loss().pluginOptions());
    }

    @Provides @Singleton
    Optimizer optimizer(Plugins plugins) {
        return plugins.optimizers().get(config.optimizer().name()).create(config.optimizer().pluginOptions());
    }

    @Provides @Singleton
    GradientPolicy policy(Plugins plugins) {
        return plugins.policies().get(config.policy().name()).create(config.policy().pluginOptions());
    }

    @Provides @Singleton
    Truncation truncation(Plugins plugins) {
        return plugins.truncations().get(config.truncation().name()).create(config.truncation().pluginOptions());
    }
}
