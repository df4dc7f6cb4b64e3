package org.bptt.cli.study;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.cli.Main;
import org.bptt.study.PlanEntry;
import org.bptt.study.SweepPlan;
import org.bptt.study.SweepSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rnn sweep collect DIR}: the summary of a sweep whose shards ran separately. */
@Command(
        name = "collect",
        mixinStandardHelpOptions = true,
        description = "Write DIR/summary.csv and DIR/summary.html from the results of every run of the sweep in DIR "
                + "(after its shards ran); lists the runs that have none yet.")
final class SweepCollectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "The sweep folder.")
    Path folder;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (!Files.isDirectory(folder)) {
            throw new ConfigurationException(folder + ": no such sweep folder");
        }
        SweepPlan plan = SweepPlan.read(folder);
        List<PlanEntry> missing = SweepSummary.collectAndWrite(folder);
        List<PlanEntry> none = new ArrayList<>();
        out.print(SweepSummary.text(plan, SweepSummary.collect(plan, folder, none)));
        out.println("summary: " + folder.resolve(SweepSummary.CSV) + ", " + folder.resolve(SweepSummary.HTML));
        if (!missing.isEmpty()) {
            out.println(missing.size() + " of " + plan.entries().size() + " runs have no result yet: "
                    + String.join(
                            ", ", missing.stream().limit(10).map(PlanEntry::id).toList())
                    + (missing.size() > 10 ? ", ..." : ""));
            return Main.EXIT_FAILED;
        }
        return 0;
    }
}
