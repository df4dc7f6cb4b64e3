package org.bptt.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.plugin.PluginFactory;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.testkit.ContractResult;
import org.bptt.testkit.ContractSettings;
import org.bptt.testkit.Contracts;
import org.bptt.training.plugin.Plugins;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rnn check}: the test kit's contract (rnn-testkit) on plugins from a folder, for authors
 * who do not use JUnit: gradients against finite differences, truncated windows, thread counts,
 * allocation per step (measured again in a fresh JVM that loads the plugin's jars), checkpoint
 * round trips, refusal of bad sizes and options, two instances at once (state in static fields),
 * and all of it again at the corners of the options the plugin declares.
 */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = {
            "Run the plugin contract of the test kit on plugins: every outside plugin of the plugin path, or "
                    + "the plugins named.",
            "Prints one line per check (PASSED, FAILED or SKIPPED with the reason), then 'N passed, M failed'; exit code 1 "
                    + "when a check failed."
        })
public final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PluginPathOption pluginPath;

    @Parameters(
            arity = "0..*",
            paramLabel = "NAME",
            description = "Plugins to check by name (default: every outside plugin).")
    List<String> names;

    @Option(names = "--opt", paramLabel = "KEY=VALUE", description = "An option for the plugins checked.")
    List<String> options;

    @Option(names = "--only", paramLabel = "CHECK", description = "Run only this check (names as printed).")
    String only;

    @Option(
            names = "--input",
            defaultValue = "3",
            description = "Input size of the cells checked (default: ${DEFAULT-VALUE}).")
    int input;

    @Option(
            names = "--hidden",
            defaultValue = "4",
            description = "Hidden size of the cells checked (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Override
    public Integer call() {
        if (input < 1 || input > 64 || hidden < 1 || hidden > 64) {
            throw new ConfigurationException(
                    "--input and --hidden must be between 1 and 64 (the checks use finite differences "
                            + "over every parameter), got " + input + " and " + hidden);
        }
        Plugins plugins = pluginPath.plugins();
        Map<String, String> opts = new LinkedHashMap<>();
        for (String kv : options == null ? List.<String>of() : options) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new ConfigurationException("--opt takes KEY=VALUE, got " + PluginOptions.shown(kv));
            }
            if (opts.put(kv.substring(0, eq).strip(), kv.substring(eq + 1)) != null) {
                throw new ConfigurationException(
                        "--opt sets '" + kv.substring(0, eq).strip() + "' twice; give each option once");
            }
        }
        List<PluginFactory<?>> targets = targets(plugins);
        ContractSettings settings = ContractSettings.defaults().withSizes(input, hidden);
        PrintWriter out = spec.commandLine().getOut();
        int passed = 0;
        int failed = 0;
        for (PluginFactory<?> f : targets) {
            String family = Contracts.family(f);
            out.println(family + " '" + f.name() + "' from " + plugins.origin(f).describe() + ":");
            out.flush();
            List<ContractResult> results;
            if (only != null) {
                if (!Contracts.checkNames(f).contains(only)) {
                    throw new ConfigurationException("no check named '" + only + "' for a " + family + "; its checks: "
                            + String.join(", ", Contracts.checkNames(f)));
                }
                results = List.of(Contracts.check(f, opts, settings, only));
            } else {
                results = Contracts.check(f, opts, settings);
            }
            for (ContractResult r : results) {
                out.println("  " + r.status() + " " + r.name() + (r.detail().isEmpty() ? "" : ": " + r.detail()));
                out.flush();
                if (r.passed()) {
                    passed++;
                } else if (r.failed()) {
                    failed++;
                }
            }
        }
        out.println(passed + " passed, " + failed + " failed");
        return failed == 0 ? 0 : Main.EXIT_FAILED;
    }

    private List<PluginFactory<?>> targets(Plugins plugins) {
        if (names == null || names.isEmpty()) {
            List<PluginFactory<?>> outside = plugins.all().stream()
                    .filter(f -> plugins.origin(f).outside())
                    .toList();
            if (outside.isEmpty()) {
                throw new ConfigurationException(
                        "no outside plugin to check: give the plugin's jar or folder with --plugins, "
                                + "or name a plugin (e.g. rnn check vanilla)");
            }
            return outside;
        }
        return names.stream().flatMap(n -> plugins.named(n).stream()).toList();
    }
}
