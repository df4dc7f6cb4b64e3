package org.bptt.cli.study;

import java.util.List;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.cli.train.SettingOptions;
import org.bptt.study.SweepDesign;
import org.bptt.study.SweepPlan;
import org.bptt.training.eval.EvaluationSettings;
import org.bptt.training.plugin.Plugins;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What {@code rnn sweep} trains: the varied settings, the seeds and the train options every run shares. */
final class SweepDesignOptions {
    @Option(
            names = "--vary",
            paramLabel = "KEY=VALUES",
            description =
                    "A train option (without --) and its values, "
                            + "e.g. radius=0.5,0.9 or policy=none,clip-norm, and a plugin's option as FLAG.KEY: "
                            + "opt.beta2=0.9,0.99 or task-opt.delay=10,20. With --random also a range: lr=1e-4..1e-2, lr=log:1e-4..1e-2, hidden=32..128.")
    List<String> vary;

    @Option(
            names = "--combo",
            paramLabel = "'KEY=V KEY=V'",
            description = "One listed combination of settings (repeatable); " + "each is crossed with the --vary grid.")
    List<String> combos;

    @Option(
            names = "--random",
            paramLabel = "N",
            description = "Draw N combinations at random from the --vary values and ranges.")
    Integer random;

    @Option(
            names = "--draw-seed",
            paramLabel = "S",
            defaultValue = "1",
            description = "Seed of the random draws (default: ${DEFAULT-VALUE}).")
    long drawSeed;

    @Option(
            names = "--seeds",
            paramLabel = "LIST",
            defaultValue = "1",
            description = "Training seeds of every combination: 1,2,3 " + "or 1..5 (default: ${DEFAULT-VALUE}).")
    String seeds;

    @Option(
            names = "--eval-sequences",
            paramLabel = "N",
            description =
                    "Held-out sequences evaluated per run (default: " + EvaluationSettings.DEFAULT_SEQUENCES + ").")
    Integer evalSequences;

    @Option(
            names = "--success-fraction",
            paramLabel = "F",
            description = "Fraction of held-out sequences a run must get right "
                    + "to succeed (default: the task's own rule, which 'rnn evaluate' states).")
    Double successFraction;

    @Parameters(paramLabel = "TRAIN-OPTIONS", description = "After --: train options every run shares.")
    List<String> trainOptions;

    /** Train options a sweep sets itself, or that make no sense in one. */
    private static final List<String> REFUSED = List.of(
            "--output",
            "-o",
            "--resume",
            "--quiet",
            "-q",
            "--metrics",
            "--seed",
            "--plugins",
            "--help",
            "-h",
            "--version",
            "-V",
            "--dashboard");

    /** True when any option of the design was given (a resumed sweep has its own). */
    boolean given() {
        return vary != null
                || combos != null
                || random != null
                || trainOptions != null
                || evalSequences != null
                || successFraction != null
                || !seeds.equals("1");
    }

    /** The plan: every combination of the varied settings for every seed, each run configured as 'rnn train' would. */
    SweepPlan plan(Plugins plugins) {
        List<String> shared = trainOptions == null ? List.of() : trainOptions;
        for (String a : shared) {
            String flag = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (REFUSED.contains(flag)) {
                throw new ConfigurationException("the train option " + flag + " has no place after -- in a sweep"
                        + (flag.equals("--seed")
                                ? "; give the seeds with --seeds"
                                : flag.equals("--plugins") ? "; give --plugins before --" : ": the sweep decides it"));
            }
        }
        CommandLine train = new CommandLine(SettingOptions.addTo(CommandSpec.create()));
        train.setOverwrittenOptionsAllowed(false);
        CommandLine.ParseResult pr;
        try {
            pr = train.parseArgs(shared.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new ConfigurationException("train options " + String.join(" ", shared) + ": " + e.getMessage());
        }
        SweepDesign design = new SweepDesign(SettingOptions::flag).seeds(seeds);
        (vary == null ? List.<String>of() : vary).forEach(design::vary);
        (combos == null ? List.<String>of() : combos).forEach(design::combo);
        if (random != null) {
            design.random(random, drawSeed);
        }
        EvaluationSettings ev = SettingOptions.evaluation(pr);
        ev = evalSequences == null ? ev : ev.withSequences(evalSequences);
        ev = successFraction == null ? ev : ev.withRequired(successFraction);
        return design.plan(
                SettingOptions.base(pr, plugins), SettingOptions.changes(pr), String.join(" ", shared), ev, plugins);
    }
}
