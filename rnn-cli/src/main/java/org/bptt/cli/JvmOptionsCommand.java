package org.bptt.cli;

import java.util.concurrent.Callable;
import org.bptt.simd.JvmOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rnn jvm-options}: the JVM options the platform runs with, for an embedder's own JVM. */
@Command(
        name = "jvm-options",
        mixinStandardHelpOptions = true,
        description = {
            "Print the JVM options rnn runs with (one file declares them: rnn-cpu-simd's "
                    + "org/bptt/simd/jvm.properties, conf/jvm.properties in the distribution), for a program that embeds "
                    + "the library: java $(rnn jvm-options) -cp ... YourMain.",
            "Without the Vector API the kernels run scalar; without the CompileCommand they run 2-4x slower."
        })
public final class JvmOptionsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--lines",
            description =
                    "One option per line (for a Maven argLine or a Gradle jvmArgs list), " + "instead of one line.")
    boolean lines;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        out.println(String.join(lines ? System.lineSeparator() : " ", JvmOptions.all()));
        return 0;
    }
}
