package org.bptt.training.wiring;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.util.Modules;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.BpttTrainer;
import org.bptt.training.Layers;
import org.bptt.training.TrainerSettings;
import org.bptt.training.plugin.PluginFailure;
import org.bptt.training.plugin.Plugins;

/**
 * The composition root of a trainer: binds the {@link TrainingConfig}, its settings and layers,
 * and installs {@link FamilyModules} (one module per part, each creating the plugin the
 * configuration names with its options), so that {@link BpttTrainer} receives them by
 * injection. An unknown name fails with the list of known ones. Providers run lazily, when the
 * trainer is asked for: {@link #unwrap} hands back the user's mistake or the plugin's failure itself.
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
        return trainer(config, layers, plugins, Modules.EMPTY_MODULE);
    }

    public static Injector injector(TrainingConfig config, Plugins plugins) {
        return injector(config, Layers.ONE, plugins);
    }

    public static Injector injector(TrainingConfig config, Layers layers, Plugins plugins) {
        return injector(config, layers, plugins, Modules.EMPTY_MODULE);
    }

    /**
     * The injector of a trainer whose bindings {@code overrides} replace ({@code Modules.override}):
     * an embedder's own gradient policy, kernels or optimizer instance, the rest as configured.
     */
    public static Injector injector(TrainingConfig config, Layers layers, Plugins plugins, Module overrides) {
        try {
            return Guice.createInjector(
                    new PluginFamiliesModule(plugins),
                    Modules.override(new TrainingModule(config, layers)).with(overrides));
        } catch (com.google.inject.CreationException | com.google.inject.ProvisionException e) {
            throw unwrap(e);
        }
    }

    /** Builds the trainer of a configuration with some of its bindings replaced by {@code overrides}. */
    public static BpttTrainer trainer(TrainingConfig config, Layers layers, Plugins plugins, Module overrides) {
        Injector injector = injector(config, layers, plugins, overrides);
        try {
            return injector.getInstance(BpttTrainer.class);
        } catch (com.google.inject.ProvisionException e) {
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
            if (!(t instanceof com.google.inject.ProvisionException
                    || t instanceof com.google.inject.CreationException)) {
                return PluginFailure.attribute(t);
            }
        }
        return e;
    }

    @Override
    protected void configure() {
        bind(TrainingConfig.class).toInstance(config);
        bind(TrainerSettings.class).toInstance(config.settings());
        bind(Layers.class).toInstance(layers);
        FamilyModules.all().forEach(this::install);
    }
}
