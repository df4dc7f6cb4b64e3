package org.bptt.training.plugin;

import org.bptt.api.plugin.PluginFactory;

/**
 * An outside plugin failed at run time (an exception or a linkage error from its code), as
 * opposed to a user's mistake. The message is one sentence naming the plugin, where it came
 * from and what failed; the cause keeps the details.
 */
public final class PluginFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PluginFailure(String message, Throwable cause) {
        super(message, cause);
    }

    static PluginFailure of(Plugins plugins, PluginFactory<?> factory, PluginFamily family, Throwable e) {
        PluginOrigin o = plugins.origin(factory);
        String what = e instanceof LinkageError ? "was built for an incompatible rnn-api (" + e + ")" : "failed: " + e;
        return new PluginFailure("the " + family.singular() + " plugin '" + factory.name() + "' from " + o.describe() + " "
                + what, e);
    }

    /**
     * If {@code e} was thrown from the code of an outside plugin (a class of a plugin class
     * loader on its stack), a failure naming that plugin; otherwise {@code e} itself.
     */
    public static RuntimeException attribute(Throwable e) {
        if (e instanceof PluginFailure f) {
            return f;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            for (StackTraceElement el : t.getStackTrace()) {
                PluginOrigin o = PluginLoader.originOfLoader(el.getClassLoaderName());
                if (o != null) {
                    String what = e instanceof LinkageError ? "was built for an incompatible rnn-api (" + e + ")"
                            : "failed: " + e;
                    return new PluginFailure("the plugin " + o.describe() + " " + what + " (at " + el + ")", e);
                }
            }
        }
        return e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
}
