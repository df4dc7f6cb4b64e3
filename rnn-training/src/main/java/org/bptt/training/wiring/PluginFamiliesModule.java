package org.bptt.training.wiring;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import java.util.Map;
import org.bptt.api.plugin.PluginFactory;
import org.bptt.training.plugin.PluginFamily;
import org.bptt.training.plugin.Plugins;

/**
 * One {@link MapBinder MapBinder&lt;String, Factory&gt;} per plugin family, filled with every
 * plugin of a {@link Plugins} set (the class path's and the plugin path's), keyed by name; the
 * set itself is bound too. Duplicate names were already refused, by name, when the set was loaded.
 */
public final class PluginFamiliesModule extends AbstractModule {
    private final Plugins plugins;

    public PluginFamiliesModule(Plugins plugins) {
        this.plugins = requireNonNull(plugins, "plugins is null");
    }

    @Override
    protected void configure() {
        bind(Plugins.class).toInstance(plugins);
        for (PluginFamily f : PluginFamily.values()) {
            family(f);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void family(PluginFamily f) {
        MapBinder binder = MapBinder.newMapBinder(binder(), String.class, (Class) f.type());
        for (Map.Entry<String, ? extends PluginFactory<?>> e :
                plugins.registry(f).all().entrySet()) {
            binder.addBinding(e.getKey()).toInstance(e.getValue());
        }
    }
}
