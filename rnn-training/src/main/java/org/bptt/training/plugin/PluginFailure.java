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
        return new PluginFailure(
                "the " + family.singular() + " plugin '" + factory.name() + "' from " + o.describe() + " "
                        + what(e, null),
                e);
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
                if (o != null && el.getClassName().equals(ExitCalls.TRAP.replace('/', '.'))) {
                    continue; // the trap's own frame: the plugin's call to it is the next one
                }
                if (o != null) {
                    return new PluginFailure("the plugin " + o.describe() + " " + what(e, el), e);
                }
            }
        }
        return e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }

    /** What went wrong, in a few words: the error's kind and message, and where in the plugin. */
    private static String what(Throwable e, StackTraceElement at) {
        String where = at == null
                ? ""
                : " at " + at.getClassName() + "." + at.getMethodName()
                        + (at.getFileName() == null ? "" : "(" + at.getFileName() + ":" + at.getLineNumber() + ")");
        String msg = e.getMessage() == null ? "" : ", \"" + oneLine(e.getMessage()) + "\"";
        if (e instanceof ExceptionInInitializerError i && i.getCause() != null) {
            Throwable c = i.getCause();
            return "failed in a static initializer with " + c.getClass().getSimpleName()
                    + (c.getMessage() == null ? "" : ", \"" + oneLine(c.getMessage()) + "\"") + where;
        }
        if (e instanceof StackOverflowError) {
            return "recursed without end (StackOverflowError" + where + ")";
        }
        if (e instanceof LinkageError le) {
            return PluginLoader.linkageWords(le, e.getClass().getSimpleName() + msg + where);
        }
        return "failed with " + e.getClass().getSimpleName() + msg + where;
    }

    private static String oneLine(String s) {
        String t = s.replaceAll("\\s+", " ").strip();
        return t.length() > 200 ? t.substring(0, 197) + "…" : t;
    }
}
