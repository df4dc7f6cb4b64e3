package org.bptt.api.plugin;

import java.util.List;

/**
 * A named maker of one kind of strategy, found by {@link java.util.ServiceLoader}. Each plugin
 * family has its own sub-interface (for example {@code GradientPolicyFactory}); a provider
 * registers it in BOTH its {@code module-info.java} ({@code provides … with …}) and
 * {@code META-INF/services/<family interface>}, so it is found on the module path and the
 * class path alike, and must have a public no-argument constructor.
 *
 * <p>Lifecycle: the platform instantiates the factory once, reads {@link #name()} and
 * {@link #parameters()}, then calls {@link #create} once per training run. Factories are
 * stateless and thread-safe; what {@code create} returns belongs to one run.
 *
 * @param <T> the strategy this factory makes
 */
public interface PluginFactory<T> {

    /** Short, stable, lower-case name the user selects the plugin by ({@code clip-norm}, {@code tbptt}). */
    String name();

    /** One line for {@code rnn plugins}. */
    String description();

    /**
     * The options {@link #create} understands.
     *
     * @implSpec The default declares none.
     */
    default List<PluginParameter> parameters() {
        return List.of();
    }

    /**
     * Makes a fresh strategy for one run.
     *
     * @param options the user's options for this plugin; not modified
     * @throws ConfigurationException when an option is missing or out of range
     */
    T create(PluginOptions options);
}
