package org.bptt.cli.study;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bptt.api.data.Task;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.cli.BestOption;
import org.bptt.cli.PluginPathOption;
import org.bptt.study.Html;
import org.bptt.training.Network;
import org.bptt.training.config.Json;
import org.bptt.training.eval.EvaluationSettings;
import org.bptt.training.eval.HeldOutResult;
import org.bptt.training.eval.HeldOutText;
import org.bptt.training.plugin.PluginFamily;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.run.Evaluation;
import org.bptt.training.run.RunSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rnn evaluate RUN}: the trained model on held-out sequences, by the task's success rule. */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Evaluate a trained model on held-out sequences, by the task's success rule.",
            "The sequences come from a generator training never uses (for a text, windows of its held-out part). "
                    + "Prints the loss, the task's measures (MSE, accuracy, bits per character) and its success rule "
                    + "from the literature, with the rule's source.",
            PluginPathOption.NEEDED_TO_READ
        })
public final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PluginPathOption pluginPath;

    @Mixin
    BestOption best;

    @Parameters(paramLabel = "RUN", description = "A run folder, or a checkpoint.bin.")
    Path run;

    @Option(
            names = "--sequences",
            paramLabel = "N",
            defaultValue = "10000",
            description =
                    "Held-out sequences (default: " + "${DEFAULT-VALUE}, the test-set size of Pascanu et al. 2013).")
    int sequences;

    @Option(
            names = "--eval-seed",
            paramLabel = "S",
            description = "Seed of the held-out generator (default: the run's, " + "else "
                    + EvaluationSettings.DEFAULT_SEED + ").")
    Long seed;

    @Option(
            names = "--success-fraction",
            paramLabel = "F",
            description = "Fraction of sequences that must be correct for " + "success (default: the task's rule).")
    Double successFraction;

    @Option(
            names = "--data",
            paramLabel = "FILE",
            description = "Evaluate on the sequences of this .npz or CSV file "
                    + "(targets as for train --data) instead of the task's held-out part.")
    java.nio.file.Path data;

    @Option(
            names = "--text",
            paramLabel = "FILE",
            description = "For a character model: evaluate on this UTF-8 text "
                    + "instead of the held-out part of the training text (every character must be in the model's vocabulary): "
                    + "windows of it, and the whole of it as one stream.")
    Path text;

    @Option(
            names = "--stream-segments",
            paramLabel = "S",
            defaultValue = "1",
            description =
                    "For a character model: "
                            + "carry the state through the held-out text as S consecutive segments, each from a zero state (default: "
                            + "${DEFAULT-VALUE}, the whole text as one stream, the usual bits per character; 0: no streamed measure).")
    int streamSegments;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Plugins plugins = pluginPath.plugins();
        if (!Files.exists(run)) {
            throw new ConfigurationException(run + ": no such run folder or checkpoint");
        }
        if (data != null && text != null) {
            throw new ConfigurationException("--data and --text each name what to evaluate on; give one of them");
        }
        Network net = Network.load(best.model(run), plugins);
        Task task = text != null
                ? HeldOutText.read(text, net, plugins)
                : data == null ? plugins.create(PluginFamily.TASK, net.config().task()) : fileTask(net);
        if (!task.hasHeldOut()) {
            throw new ConfigurationException(run + ": the task " + task.describe() + " holds no data out of training; "
                    + "train a text with --validation 0.1 to evaluate it");
        }
        Path folder = Files.isDirectory(run) ? run : run.toAbsolutePath().getParent();
        EvaluationSettings s = EvaluationSettings.read(folder, EvaluationSettings.defaults())
                .withSequences(sequences)
                .withEvery(0)
                .withStreamSegments(streamSegments);
        if (seed != null) {
            s = s.withSeed(seed);
        }
        if (successFraction != null) {
            s = s.withRequired(successFraction);
        }
        HeldOutResult r = HeldOutResult.of(net, task, s);
        Evaluation e = r.evaluation();
        if (json) {
            out.println(Json.write(r.toJson(run.toString())));
            return 0;
        }
        out.printf(
                Locale.ROOT,
                "%s: %s, %s, H=%d, iteration %d%n",
                run,
                task.describe(),
                net.model().cell().describe(),
                net.model().hiddenSize(),
                e.iteration());
        out.printf(
                Locale.ROOT,
                "held-out: %d sequences from a generator training never uses (seed %d)%s, %.1f s%n",
                (long) e.get("sequences"),
                s.seed(),
                e.has("stream_bits_per_char")
                        ? String.format(
                                Locale.ROOT,
                                ", and the held-out text once in order (over %d segment%s)",
                                (long) e.get("stream_segments"),
                                e.get("stream_segments") == 1 ? "" : "s")
                        : "",
                r.seconds());
        for (Map.Entry<String, Double> m : e.metrics().entrySet()) {
            if (m.getKey().equals("sequences")
                    || m.getKey().equals("stream_segments")
                    || m.getKey().endsWith("_se")) {
                continue;
            }
            String v = switch (m.getKey()) {
                case "accuracy" -> String.format(Locale.ROOT, "%.2f%%", 100 * m.getValue());
                case "correct" -> RunSummary.correctText(m.getValue(), (long) e.get("sequences"));
                case "success" -> m.getValue() == 1 ? "yes" : "no";
                default ->
                    Html.num(m.getValue())
                            + (Double.isFinite(e.get(m.getKey() + "_se"))
                                    ? " ± " + Html.num(e.get(m.getKey() + "_se")) + " (standard error)"
                                    : "");
            };
            out.printf(
                    Locale.ROOT,
                    "  %-14s %s%n",
                    m.getKey().replace("stream_bits", "streamed bits").replace('_', ' '),
                    v);
        }
        if (Double.isFinite(r.baseline())) {
            out.printf(
                    Locale.ROOT,
                    "baseline loss: %s, memoryless loss: %s (%s)%n",
                    Html.num(r.baseline()),
                    Html.num(r.memoryless()),
                    r.learning().words());
        }
        out.println("criterion: " + r.rule().describe());
        return 0;
    }

    /** The file's sequences as the held-out part of a task (class ids are checked against the model's outputs). */
    private Task fileTask(Network net) {
        org.bptt.data.SequenceData d = org.bptt.data.DataFiles.read(data, 0);
        if (d.kind().classes()) {
            d = org.bptt.data.DataFiles.read(data, net.outputSize());
        }
        return org.bptt.data.ArrayTask.of(d, d);
    }
}
