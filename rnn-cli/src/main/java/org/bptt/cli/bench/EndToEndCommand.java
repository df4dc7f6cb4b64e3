package org.bptt.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.simd.SimdTuning;
import org.bptt.training.RunTimings;
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
            "Recipe: " + EndToEndCommand.RECIPE_TEXT,
            "Example: rnn bench end-to-end --text corpus.txt --iterations 3000",
            "Exit code 0 on success, 2 on a bad flag, the run's own code when it fails."
        })
public final class EndToEndCommand implements Callable<Integer> {
    /** The character-model recipe of issue #27, mirrored by ../shared/bench/torch_charrnn.py. */
    static final List<String> RECIPE = List.of(
            "--validation",
            "0.1",
            "--stateful",
            "--steps",
            "64",
            "--truncation",
            "tbptt",
            "--k1",
            "64",
            "--k2",
            "64",
            "--loss-mean",
            "step",
            "--optimizer",
            "adam",
            "--lr",
            "2e-3",
            "--policy",
            "clip-norm",
            "--threshold",
            "5",
            "--hidden",
            "256",
            "--batch",
            "32",
            "--iterations",
            "1500",
            "--eval-every",
            "500");

    static final String RECIPE_TEXT = "--validation 0.1 --stateful --steps 64 --truncation tbptt --k1 64 --k2 64 "
            + "--loss-mean step --optimizer adam --lr 2e-3 --policy clip-norm --threshold 5 --hidden 256 --batch 32 "
            + "--iterations 1500 --eval-every 500.";

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
        List<String> command = childCommand(out);
        PrintWriter err = spec.commandLine().getErr();
        err.println("bench: running train in a fresh JVM, into " + out);
        err.flush();
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .start();
        Thread errors = Thread.ofVirtual().start(() -> passErrors(p));
        int code = p.waitFor();
        errors.join();
        double wall = (System.nanoTime() - start) / 1e9;
        if (code != 0) {
            err.println("bench: the training run ended with exit code " + code);
            return code;
        }
        JsonNode t = TimingsFile.read(out);
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            ObjectNode r = ((ObjectNode) t).deepCopy();
            r.put("process_wall_seconds", wall);
            r.put("cpu", SimdTuning.cpuModel());
            r.put("run", out.toString());
            o.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(r));
        } else {
            o.print(table(t, wall));
        }
        o.flush();
        return 0;
    }

    /** The run's standard error as it comes (a progress bar redraws without newlines), less the JVM's incubator notice. */
    private static void passErrors(Process p) {
        try (var in = p.getErrorStream()) {
            byte[] notice = (INCUBATOR_NOTICE + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] head = in.readNBytes(notice.length);
            if (!java.util.Arrays.equals(head, notice)) {
                System.err.write(head);
            }
            in.transferTo(System.err);
        } catch (IOException e) {
            // The run's own exit code says whether it failed.
        }
        System.err.flush();
    }

    private static final String INCUBATOR_NOTICE = "WARNING: Using incubator modules: jdk.incubator.vector";

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

    /** This JVM's java, options and class path running {@code train} with the recipe under the user's options. */
    private List<String> childCommand(Path out) {
        List<String> c = new ArrayList<>();
        c.add(ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        c.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        c.add("-cp");
        c.add(System.getProperty("java.class.path"));
        c.add("org.bptt.cli.Main");
        c.add("train");
        c.addAll(recipeUnder(trainOptions));
        c.addAll(trainOptions);
        return c;
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

    /** The split as a table: each part's seconds and share of the process's wall time. */
    static String table(JsonNode t, double wall) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                Locale.ROOT,
                "end to end: %.1f s for %d updates on %s%n",
                wall,
                t.path("updates").asInt(),
                SimdTuning.cpuModel()));
        row(
                b,
                "start-up (JVM start to the first update)",
                t.path("startup_seconds").asDouble(Double.NaN),
                wall);
        double accounted = t.path("startup_seconds").asDouble(0);
        for (RunTimings.Phase p : RunTimings.Phase.values()) {
            double s = t.path("phases").path(p.key()).path("seconds").asDouble(Double.NaN);
            row(b, p.key(), s, wall);
            if (p == RunTimings.Phase.STEPS && t.has("jit_warmup_seconds")) {
                row(
                        b,
                        "  of which JIT warm-up (beyond the steady rate)",
                        t.path("jit_warmup_seconds").asDouble(),
                        wall);
            }
            accounted += Double.isNaN(s) ? 0 : s;
        }
        row(b, "the rest (JVM exit, summary)", Math.max(0, wall - accounted), wall);
        if (t.has("steady_ms_per_update")) {
            b.append(String.format(
                    Locale.ROOT,
                    "steady update: %.2f ms%n",
                    t.path("steady_ms_per_update").asDouble()));
        }
        if (t.has("first_1000_updates_seconds")) {
            b.append(String.format(
                    Locale.ROOT,
                    "first 1000 updates: %.1f s%n",
                    t.path("first_1000_updates_seconds").asDouble()));
        }
        if (t.has("peak_rss_bytes")) {
            b.append(String.format(
                    Locale.ROOT,
                    "peak resident memory: %d MB (heap at most %d MB)%n",
                    t.path("peak_rss_bytes").asLong() >> 20,
                    t.path("max_heap_bytes").asLong() >> 20));
        }
        return b.toString();
    }

    private static void row(StringBuilder b, String what, double seconds, double wall) {
        if (Double.isNaN(seconds)) {
            return;
        }
        b.append(String.format(Locale.ROOT, "  %-50s %8.2f s  %5.1f%%%n", what, seconds, 100 * seconds / wall));
    }
}
