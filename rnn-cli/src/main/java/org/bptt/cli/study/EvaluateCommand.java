package org.bptt.cli.study;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.bptt.api.data.Task;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.cli.BestOption;
import org.bptt.cli.PluginPathOption;
import org.bptt.data.ArrayTask;
import org.bptt.study.Html;
import org.bptt.training.Network;
import org.bptt.training.config.Json;
import org.bptt.training.eval.EvaluationSettings;
import org.bptt.training.eval.HeldOutResult;
import org.bptt.training.eval.HeldOutText;
import org.bptt.training.plugin.PluginFamily;
import org.bptt.training.plugin.Plugins;
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
    Path data;

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
                : data == null
                        ? plugins.create(PluginFamily.TASK, net.config().task())
                        : ArrayTask.heldOut(data, net.outputSize());
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
        if (json) {
            out.println(Json.write(r.toJson(run.toString())));
            return 0;
        }
        r.lines(run.toString(), Html::num).forEach(out::println);
        return 0;
    }
}
