package org.bptt.dashboard;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.bptt.training.Network;
import org.bptt.training.config.Json;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.run.MetricsFile;
import org.bptt.training.run.RunListener;
import org.bptt.training.run.TrainingRun;

/**
 * Many run folders made from a few real ones, to see and measure the dashboard at the scale of a
 * large sweep: {@link #train} trains a few small runs, {@link #copy} copies their files into
 * {@code sweep/NNNN-lr=X-seed=S} folders with the seed changed and each copy's losses scaled by
 * its own factor (as another seed would move them), so that copies differ as real seeds do.
 */
public final class SampleRuns {
    /** The learning rates of the real runs, one run each. */
    public static final List<String> RATES = List.of("0.003", "0.01", "0.03");

    private SampleRuns() {}

    /** Trains one small adding-task run per rate in {@link #RATES} under {@code dir}; returns their folders. */
    public static List<Path> train(Path dir, Plugins plugins) throws IOException {
        requireNonNull(plugins, "plugins is null");
        List<Path> runs = new ArrayList<>();
        for (String lr : RATES) {
            Path run = dir.resolve("real-lr=" + lr);
            var config = Network.builder()
                    .task("adding", "steps", "10")
                    .hidden(8)
                    .batch(8)
                    .optimizer("adam", "lr", lr)
                    .diagnosticsEvery(50)
                    .checkpointEvery(0)
                    .config()
                    .withIterations(200);
            TrainingRun.create(config, run, plugins, "csv").run(new RunListener() {});
            runs.add(run);
        }
        return runs;
    }

    /**
     * Writes {@code count} copies of {@code sources} under {@code root}/sweep, the i-th from source
     * i mod n with seed i / n + 1 and its losses scaled by a factor drawn from i; the checkpoint is
     * linked where the file system allows, else copied.
     */
    public static void copy(List<Path> sources, Path root, int count) throws IOException {
        List<Source> src = new ArrayList<>();
        for (Path s : sources) {
            src.add(new Source(
                    s,
                    (ObjectNode)
                            Json.MAPPER.readTree(s.resolve(TrainingRun.CONFIG).toFile()),
                    Files.readAllLines(s.resolve(MetricsFile.fileName("csv")), StandardCharsets.UTF_8),
                    (ObjectNode) Json.MAPPER.readTree(
                            s.resolve(TrainingRun.DIAGNOSTICS).toFile())));
        }
        for (int i = 0; i < count; i++) {
            Source s = src.get(i % src.size());
            long seed = i / src.size() + 1;
            double factor = Math.exp(0.25 * new SplittableRandom(i).nextGaussian());
            String lr = s.config.path("optimizer").path("options").path("lr").asText("?");
            Path dir = root.resolve("sweep").resolve(String.format(Locale.ROOT, "%04d-lr=%s-seed=%d", i, lr, seed));
            Files.createDirectories(dir);
            ObjectNode config = s.config.deepCopy();
            config.put("seed", seed);
            Files.writeString(dir.resolve(TrainingRun.CONFIG), Json.MAPPER.writeValueAsString(config));
            StringBuilder csv = new StringBuilder(s.metrics.get(0)).append('\n');
            for (String line : s.metrics.subList(1, s.metrics.size())) {
                String[] cells = line.split(",", -1);
                if (!cells[1].isEmpty()) {
                    cells[1] = Double.toString(Double.parseDouble(cells[1]) * factor);
                }
                csv.append(String.join(",", cells)).append('\n');
            }
            Files.writeString(dir.resolve(MetricsFile.fileName("csv")), csv);
            ObjectNode diagnostics = s.diagnostics.deepCopy();
            for (JsonNode m : diagnostics.path("metrics")) {
                if (m.path("loss").isNumber()) {
                    ((ObjectNode) m).put("loss", m.path("loss").asDouble() * factor);
                }
            }
            Files.writeString(dir.resolve(TrainingRun.DIAGNOSTICS), Json.MAPPER.writeValueAsString(diagnostics));
            Path checkpoint = s.dir.resolve(TrainingRun.CHECKPOINT);
            if (Files.isRegularFile(checkpoint)) {
                try {
                    Files.createLink(dir.resolve(TrainingRun.CHECKPOINT), checkpoint);
                } catch (IOException | UnsupportedOperationException e) {
                    Files.copy(checkpoint, dir.resolve(TrainingRun.CHECKPOINT));
                }
            }
        }
    }

    private record Source(Path dir, ObjectNode config, List<String> metrics, ObjectNode diagnostics) {}
}
