package org.bptt.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bptt.api.kernel.Backends;
import org.bptt.api.plugin.PluginFactory;
import org.bptt.api.plugin.PluginParameter;
import org.bptt.api.plugin.PluginRegistry;
import org.bptt.training.plugin.Plugins;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code rnn plugins}: everything ServiceLoader finds, with names, options and origins. */
@Command(
        name = "plugins",
        mixinStandardHelpOptions = true,
        description = "List every cell, loss, optimizer, gradient policy, truncation, initializer and task that "
                + "ServiceLoader finds, with its options and where it came from.")
public final class PluginsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PluginPathOption pluginPath;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Plugins plugins = pluginPath.plugins();
        for (Map.Entry<String, PluginRegistry<? extends PluginFactory<?>>> family :
                plugins.families().entrySet()) {
            out.println(family.getKey() + ":");
            for (PluginFactory<?> f : family.getValue().all().values()) {
                out.printf("  %-16s %s%n", f.name(), f.description());
                for (PluginParameter p : f.parameters()) {
                    out.printf(
                            "  %-16s   %s=%s  %s%s%n",
                            "",
                            p.name(),
                            p.defaultValue() == null ? "(required)" : p.defaultValue(),
                            p.description(),
                            p.accepted().isEmpty() ? "" : " (" + p.accepted() + ")");
                }
                out.printf(
                        "  %-16s   from %s, %s%n",
                        "", plugins.origin(f).describe(), f.getClass().getName());
            }
            out.println();
        }
        if (!plugins.outside().isEmpty()) {
            out.println("outside plugins (each in its own class loader):");
            for (var o : plugins.outside()) {
                out.println("  " + o.describe());
            }
            out.println();
        }
        out.println("kernel backends: " + String.join(", ", Backends.names()));
        return 0;
    }
}
