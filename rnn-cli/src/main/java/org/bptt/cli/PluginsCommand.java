package org.bptt.cli;

import java.io.PrintWriter;
import java.net.URL;
import java.security.CodeSource;
import java.util.Map;
import java.util.concurrent.Callable;

import org.bptt.api.kernel.Backends;
import org.bptt.api.plugin.PluginFactory;
import org.bptt.api.plugin.PluginParameter;
import org.bptt.api.plugin.PluginRegistry;
import org.bptt.training.wiring.Plugins;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code rnn plugins}: everything ServiceLoader finds, with names, options and origins. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "List every cell, loss, optimizer, gradient policy, truncation, initializer and task that "
                + "ServiceLoader finds, with its options and where it came from.")
public final class PluginsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Plugins plugins = Plugins.discover();
        for (Map.Entry<String, PluginRegistry<? extends PluginFactory<?>>> family : plugins.families().entrySet()) {
            out.println(family.getKey() + ":");
            for (PluginFactory<?> f : family.getValue().all().values()) {
                out.printf("  %-16s %s%n", f.name(), f.description());
                for (PluginParameter p : f.parameters()) {
                    out.printf("  %-16s   %s=%s  %s%n", "", p.name(), p.defaultValue() == null ? "(required)" : p.defaultValue(),
                            p.description());
                }
                out.printf("  %-16s   from %s%n", "", origin(f.getClass()));
            }
            out.println();
        }
        out.println("kernel backends: " + String.join(", ", Backends.names()));
        return 0;
    }

    static String origin(Class<?> c) {
        String module = c.getModule().isNamed() ? "module " + c.getModule().getName() + ", " : "";
        CodeSource cs = c.getProtectionDomain().getCodeSource();
        URL where = cs == null ? null : cs.getLocation();
        String loc = where == null ? "unknown location" : where.getPath();
        int slash = loc.lastIndexOf('/', loc.length() - 2);
        return module + c.getName() + " in " + (slash >= 0 ? loc.substring(slash + 1) : loc);
    }
}
