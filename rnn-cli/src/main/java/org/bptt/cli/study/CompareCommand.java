package org.bptt.cli.study;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.bptt.study.ComparePage;
import org.bptt.study.SweepPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rnn compare RUN... | SWEEP}: one page with the runs' curves overlaid and their settings side by side. */
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        description = {
            "Compare runs on one page: settings side by side, curves overlaid.",
            "The settings that differ come first; then the final and held-out figures, and the training loss, held-out "
                    + "loss, gradient norm and spectral radius of every run overlaid. A sweep folder stands for all its runs."
        })
public final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN", arity = "1..*", description = "Run folders or sweep folders.")
    List<Path> runs;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description = "Where to write the page (default: compare.html "
                    + "in the sweep folder when one sweep is given, else in the current folder).")
    Path output;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        List<ComparePage.Run> list = ComparePage.runs(runs);
        Path file = output != null
                ? output
                : runs.size() == 1 && Files.exists(runs.get(0).resolve(SweepPlan.FILE))
                        ? runs.get(0).resolve("compare.html")
                        : Path.of("compare.html");
        ComparePage.write(file, list);
        out.println("compared " + list.size() + " runs: " + file);
        return 0;
    }
}
