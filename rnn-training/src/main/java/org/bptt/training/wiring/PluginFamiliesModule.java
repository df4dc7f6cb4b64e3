package org.bptt.training.wiring;

import java.util.ServiceLoader;

import org.bptt.api.cell.CellFactory;
import org.bptt.api.data.TaskFactory;
import org.bptt.api.gradient.GradientPolicyFactory;
import org.bptt.api.init.InitializerFactory;
import org.bptt.api.loss.LossFactory;
import org.bptt.api.optim.OptimizerFactory;
import org.bptt.api.plugin.PluginFactory;
import org.bptt.api.truncation.TruncationFactory;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;

/**
 * One {@link MapBinder MapBinder&lt;String, Factory&gt;} per plugin family, filled with every
 * provider {@link ServiceLoader} finds, keyed by the plugin's name. Two providers of one
 * family with the same name make the injector fail at creation, naming both.
 */
public final class PluginFamiliesModule extends AbstractModule {
    private final ClassLoader loader;

    public PluginFamiliesModule() {
        this(PluginFamiliesModule.class.getClassLoader());
    }

    public PluginFamiliesModule(ClassLoader loader) {
        this.loader = loader;
    }

    @Override
    protected void configure() {
        family(CellFactory.class);
        family(LossFactory.class);
        family(OptimizerFactory.class);
        family(GradientPolicyFactory.class);
        family(TruncationFactory.class);
        family(InitializerFactory.class);
        family(TaskFactory.class);
    }

    private <F extends PluginFactory<?>> void family(Class<F> type) {
        MapBinder<String, F> binder = MapBinder.newMapBinder(binder(), String.class, type);
        for (F factory : ServiceLoader.load(type, loader)) {
            binder.addBinding(factory.name()).toInstance(factory);
        }
    }
}
