package org.bptt.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.cli.Main;
import org.bptt.simd.SimdTuning;
import org.bptt.training.bench.ChildJvm;
import org.bptt.training.bench.EndToEndRun;
import org.bptt.training.run.TimingsFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** {@code rnn bench end-to-end}: a whole {@code train} run in a fresh JVM, timed and split. */
@Command(
        name = "end-to-end",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Time a whole training run as a user runs it, and split its time.",
            "Runs `train` in a fresh JVM started like this one (same JVM options), on the character-model",
            "recipe below unless your train options say otherwise, then splits its time from the run's",
            "timings.json: start-up, JIT warm-up, steps, diagnostics, evaluation, checkpoints, metrics, report,",
            "the rest; and the peak resident memory.",
            "Recipe: " + EndToEndCommand.RECIPE_TEXT + ".",
            "Example: rnn bench end-to-end --text corpus.txt --iterations 3000",
            "Exit code 0 on success, 2 on a bad flag, the run's own code when it fails."
        })
public final class EndToEndCommand implements Callable<Integer> {
    /** The character-model recipe of issue #27, mirrored by ../shared/bench/torch_charrnn.py. */
    static final String RECIPE_TEXT = "--validation 0.1 --stateful --steps 64 --truncation tbptt --k1 64 --k2 64 "
            + "--loss-mean step --optimizer adam --lr 2e-3 --policy clip-norm --threshold 5 --hidden 256 --batch 32 "
            + "--iterations 1500 --eval-every 500";

    static final List<String> RECIPE = List.of(RECIPE_TEXT.split(" "));

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the split as JSON.")
    boolean json;

    @Unmatched
    List<String> trainOptions = new ArrayList<>();

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (!trainOptions.contains("--text")
                && trainOptions.stream()
                        .noneMatch(a -> a.startsWith("--text=")
                                || a.startsWith("--data")
                                || a.startsWith("--task")
                                || a.startsWith("--config"))) {
            throw new ConfigurationException("the end-to-end benchmark trains on your text: give it with --text FILE "
                    + "(or a --task, --data or --config of your own)");
        }
        Path out = outputFolder();
        List<String> train = new ArrayList<>(List.of("train"));
        train.addAll(recipeUnder(trainOptions));
        train.addAll(trainOptions);
        PrintWriter err = spec.commandLine().getErr();
        err.println("bench: running train in a fresh JVM, into " + out);
        err.flush();
        EndToEndRun.Outcome run = EndToEndRun.run(ChildJvm.command(Main.class.getName(), train), System.err);
        if (run.exitCode() != 0) {
            err.println("bench: the training run ended with exit code " + run.exitCode());
            return run.exitCode();
        }
        JsonNode t = TimingsFile.read(out);
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            ObjectNode r = EndToEndRun.json(t, run.wallSeconds(), SimdTuning.cpuModel(), out);
            o.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(r));
        } else {
            o.print(EndToEndRun.table(t, run.wallSeconds(), SimdTuning.cpuModel()));
        }
        o.flush();
        return 0;
    }

    private Path outputFolder() throws IOException {
        for (int i = 0; i < trainOptions.size(); i++) {
            String a = trainOptions.get(i);
            if ((a.equals("-o") || a.equals("--output")) && i + 1 < trainOptions.size()) {
                return Path.of(trainOptions.get(i + 1));
            }
            if (a.startsWith("--output=")) {
                return Path.of(a.substring("--output=".length()));
            }
        }
        Path dir = Files.createTempDirectory("rnn-bench-e2e-");
        Files.delete(dir); // train makes the folder itself and refuses an existing one
        trainOptions.add("-o");
        trainOptions.add(dir.toString());
        return dir;
    }

    /** The recipe's options that the user's options do not name. */
    static List<String> recipeUnder(List<String> user) {
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < RECIPE.size(); i++) {
            String name = RECIPE.get(i);
            boolean flag = i + 1 >= RECIPE.size() || RECIPE.get(i + 1).startsWith("--");
            boolean named = user.stream().anyMatch(a -> a.equals(name) || a.startsWith(name + "="));
            if (!named) {
                kept.add(name);
                if (!flag) {
                    kept.add(RECIPE.get(i + 1));
                }
            }
            if (!flag) {
                i++;
            }
        }
        return kept;
    }
}
