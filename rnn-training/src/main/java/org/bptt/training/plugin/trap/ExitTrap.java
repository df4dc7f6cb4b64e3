package org.bptt.training.plugin.trap;

/**
 * What a plugin's calls to {@code System.exit}, {@code Runtime.exit} and {@code Runtime.halt}
 * become: the plugin class loader rewrites them, as it defines each plugin class, into calls of
 * these methods, and defines a copy of this class in the plugin's own loader (this one is never
 * called). The exception ends the plugin's call like any bug of the plugin would: the run stops
 * with its checkpoint intact and the failure names the plugin, instead of the process ending
 * with an exit status that says nothing of the work left undone.
 */
public final class ExitTrap {
    private ExitTrap() {}

    public static void exit(int status) {
        throw refused("System.exit", status);
    }

    public static void runtimeExit(Runtime runtime, int status) {
        throw refused("Runtime.exit", status);
    }

    public static void halt(Runtime runtime, int status) {
        throw refused("Runtime.halt", status);
    }

    private static SecurityException refused(String call, int status) {
        return new SecurityException("it called " + call + "(" + status + "), which a plugin may not do (it would end "
                + "the whole process); a plugin reports a failure by throwing an exception");
    }
}
