package org.bptt.cli.verify;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.cli.Main;
import org.bptt.cli.PluginPathOption;
import org.bptt.testkit.conformance.Conformance;
import org.bptt.testkit.conformance.FieldCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rnn verify FILE...}: conformance against reference cases, as the test kit's {@link Conformance} checks it. */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Check the platform against reference cases (the format of golden/README.md); a case with a "
                    + "\"cell\" field (gru, lstm, ...) is run through that cell plugin from the plugin path.",
            "Prints one line per checked field with its relative error, then 'N passed, M failed'.",
            "Exit code 0 when everything passed, 1 when a check failed or could not be made, 2 on a malformed file."
        })
public final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Case files (JSON) or folders of them.")
    List<Path> files;

    @Option(
            names = "--backend",
            defaultValue = "auto",
            description = "Kernel backend: auto, scalar or simd (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--threads", defaultValue = "1", description = "Kernel threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(
            names = {"-q", "--quiet"},
            description = "Print only failed checks and the summary.")
    boolean quiet;

    @Mixin
    PluginPathOption pluginPath;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (threads < 1 || threads > org.bptt.training.Network.maxThreads()) {
            throw new ConfigurationException(
                    "--threads must be between 1 and " + org.bptt.training.Network.maxThreads() + " (this machine has "
                            + Runtime.getRuntime().availableProcessors() + " processors), got " + threads);
        }
        List<Path> cases = Conformance.caseFiles(files);
        Conformance conformance = new Conformance(backend, threads, pluginPath.plugins());
        int passed = 0;
        int failed = 0;
        for (Path c : cases) {
            for (FieldCheck check : conformance.verify(c)) {
                if (check.passed()) {
                    passed++;
                } else {
                    failed++;
                }
                if (!quiet || !check.passed()) {
                    out.println(check.line());
                }
            }
        }
        out.println(passed + " passed, " + failed + " failed");
        return failed == 0 ? 0 : Main.EXIT_FAILED;
    }
}
