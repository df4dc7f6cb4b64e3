package org.bptt.training.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bptt.training.IterationMetrics;
import org.bptt.training.config.Checkpoint;
import org.bptt.training.config.Json;
import org.bptt.training.config.RunConfig;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.wiring.PluginChoice;

/** Small runs for the run-folder tests: the adding problem with T=8, H=8, B=4, checkpoints every 10 iterations. */
final class Runs {
    static final Plugins PLUGINS = Plugins.discover();

    private Runs() {}

    static RunConfig small(long iterations) {
        return RunConfig.defaults().toBuilder()
                .task(new PluginChoice("adding", Map.of("steps", "8")))
                .hidden(8)
                .batch(4)
                .iterations(iterations)
                .checkpointEvery(10)
                .diagnosticsEvery(5)
                .build();
    }

    /** Trains a new run to its end and returns its folder. */
    static Path trained(Path dir, RunConfig config) throws IOException {
        TrainingRun.create(config, dir, PLUGINS, "csv").run(new RunListener() {});
        return dir;
    }

    /** A listener that asks to stop once {@code after} iterations are done (as Ctrl-C would). */
    static RunListener stopAfter(long after) {
        return new RunListener() {
            private long done;

            @Override
            public void iteration(TrainingRun run, IterationMetrics m) {
                done = m.iteration() + 1;
            }

            @Override
            public boolean stopRequested() {
                return done >= after;
            }
        };
    }

    /** All parameters of a folder's checkpoint, in order. */
    static float[] params(Path dir) {
        List<Float> l = new ArrayList<>();
        for (float[] a : Checkpoint.read(dir.resolve(TrainingRun.CHECKPOINT))
                .parameters()
                .values()) {
            for (float f : a) {
                l.add(f);
            }
        }
        float[] r = new float[l.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = l.get(i);
        }
        return r;
    }

    /** The metrics rows of a folder's diagnostics.json, as JSON text. */
    static String historyRows(Path dir) throws IOException {
        return Json.MAPPER
                .readTree(dir.resolve(TrainingRun.DIAGNOSTICS).toFile())
                .get("metrics")
                .toString();
    }

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (String n : names(from)) {
            Files.copy(from.resolve(n), to.resolve(n));
        }
    }
}
