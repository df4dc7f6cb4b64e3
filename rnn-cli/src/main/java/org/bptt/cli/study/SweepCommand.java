package org.bptt.cli.study;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.cli.Main;
import org.bptt.cli.PluginPathOption;
import org.bptt.study.LocalSweep;
import org.bptt.study.PlanEntry;
import org.bptt.study.SummaryRow;
import org.bptt.study.SweepEngine;
import org.bptt.study.SweepPlan;
import org.bptt.study.SweepSummary;
import org.bptt.training.plugin.Plugins;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rnn sweep}: trains every combination of settings over seeds, concurrently, resumably, and summarizes. */
@Command(
        name = "sweep",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        subcommands = SweepCollectCommand.class,
        description = {
            "Train every combination of varied train options over seeds, several at once, and summarize them.",
            "The combinations: a grid (--vary), listed combinations (--combo, crossed with the grid) or random draws "
                    + "(--random). Options after -- are train options every run shares.",
            "Runs go to DIR/runs/<id>/ (ordinary run folders), several at once. The plan is in DIR/plan.json; when "
                    + "every run is done, DIR/summary.csv and DIR/summary.html summarize them.",
            "Resumable: run the same command again, or 'rnn sweep --resume DIR'; finished runs are kept and stopped "
                    + "ones continue from their checkpoints."
        },
        footer = {
            "",
            "Examples:",
            "  rnn sweep -o runs/sw --vary radius=0.5,0.9,1.1 \\",
            "      --vary policy=none,clip-norm --seeds 1,2,3 \\",
            "      -- --task temporal-order --steps 50 --init spectral",
            "  rnn sweep -o runs/lr --random 12 \\",
            "      --vary lr=log:1e-4..1e-2 --vary hidden=32..128 -- --steps 100",
            "  rnn sweep -o runs/big --shard 2/4 ...",
            "  rnn sweep collect runs/big     (when every shard is done)"
        })
public final class SweepCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PluginPathOption pluginPath;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "DIR",
            description = "The sweep folder.")
    Path output;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the sweep in DIR from its plan.json.")
    Path resume;

    @Mixin
    SweepDesignOptions design;

    @Mixin
    SweepEngineOptions engine;

    @Option(names = "--dry-run", description = "Print the plan's runs and stop.")
    boolean dryRun;

    @Option(
            names = {"-q", "--quiet"},
            description = "No progress; print only the summary.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        SweepEngine other = engine.select();
        Plugins plugins = pluginPath.plugins();
        int[] sh = engine.shard();
        // An engine takes the folder as typed: a URI such as hdfs://host/dir is not a local path.
        CommandLine.ParseResult pr = spec.commandLine().getParseResult();
        String opt = resume != null ? "--resume" : "-o";
        String where =
                pr.hasMatchedOption(opt) ? pr.matchedOption(opt).stringValues().get(0) : null;
        if (other == null && where != null && where.matches("[A-Za-z][A-Za-z0-9+.-]*://.*")) {
            throw new ConfigurationException("the sweep folder " + where
                    + " is a URI; the local engine writes to a folder of " + "this machine, --engine spark to a URI");
        }
        if (resume != null && (output != null || design.given())) {
            throw new ConfigurationException("--resume continues a sweep with its own plan; it takes only --parallel, "
                    + "--shard, --engine, --master, --quiet and --plugins");
        }
        if (resume == null && output == null) {
            throw new ConfigurationException("give the sweep folder with -o DIR (or continue one with --resume DIR)");
        }
        Path folder = resume != null ? resume : output;
        SweepPlan plan =
                resume == null ? design.plan(plugins) : other == null ? SweepPlan.read(folder) : other.readPlan(where);
        List<PlanEntry> entries = sh[1] > 1 ? plan.shard(sh[0], sh[1]) : plan.entries();
        if (dryRun) {
            out.println(plan.entries().size() + " runs"
                    + (sh[1] > 1 ? ", " + entries.size() + " in shard " + sh[0] + "/" + sh[1] : "") + ":");
            entries.forEach(e -> out.println("  " + e.id() + "  (" + e.config().iterations() + " iterations)"));
            return 0;
        }
        SweepProgress progress = new SweepProgress(System.err, quiet);
        LocalSweep.Outcome o = engine.run(other, plan, folder, where, plugins, pluginPath.entries(), progress);
        boolean interrupted = progress.stopped();
        if (o.summarized()) {
            // Another engine's folder may be out of this machine's reach: its rows say what the summary holds.
            out.print(SweepSummary.text(
                    plan,
                    other != null
                            ? o.rows().stream()
                                    .filter(r -> !r.status().equals(SummaryRow.FAILED))
                                    .toList()
                            : SweepSummary.collect(plan, folder, new ArrayList<>())));
            String dir = other != null ? (where.endsWith("/") ? where : where + "/") : folder + java.io.File.separator;
            out.println("summary: " + dir + SweepSummary.CSV + ", " + dir + SweepSummary.HTML);
        } else if (!o.stopped().isEmpty() || interrupted) {
            out.println("stopped: " + o.stopped().size() + " runs saved at their checkpoints; continue with: "
                    + Main.typed("sweep --resume " + org.bptt.cli.ShellWord.of(folder)));
        } else if (sh[1] > 1) {
            out.println("shard " + sh[0] + "/" + sh[1] + " done: "
                    + (plan.entries().size() - o.missing().size()) + " of "
                    + plan.entries().size() + " runs have results; when every shard is done: "
                    + Main.typed("sweep collect " + org.bptt.cli.ShellWord.of(folder)));
        }
        if (o.failed() > 0) {
            out.println(o.failed() + " runs failed (they are tried again when the sweep is resumed):");
            o.rows().stream()
                    .filter(r -> r.status().equals(SummaryRow.FAILED))
                    .forEach(r -> out.println("  " + r.id() + ": " + r.message()));
            return Main.EXIT_FAILED;
        }
        return o.stopped().isEmpty() && !interrupted ? 0 : Main.EXIT_FAILED;
    }
}
