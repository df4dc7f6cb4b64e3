package org.bptt.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bptt.training.IterationMetrics;
import org.bptt.training.config.Json;
import org.bptt.training.config.RunConfig;
import org.bptt.training.diag.GradientFlowSnapshot;
import org.bptt.training.diag.Spectrum;
import org.bptt.training.run.History;
import org.bptt.training.run.MetricsFile;
import org.bptt.training.run.TrainingRun;

/** Run folders written by hand, as a training run (and its held-out evaluation) would write them. */
final class HandMadeRuns {
    static final int STEPS = 20;

    private HandMadeRuns() {}

    /**
     * A run of {@code asked} iterations that has reached {@code reached}: loss 1/(1+i/50), gradient
     * norm 2·0.999^i, ρ(W) 1.2 measured every 10 iterations, gradient flow shrinking 0.7× per step
     * every 10 iterations, and (with {@code evaluations}) held-out loss and bits per character every
     * 50 iterations.
     */
    static Path write(Path dir, long asked, long reached, boolean evaluations) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(
                dir.resolve(TrainingRun.CONFIG), Json.write(RunConfig.defaults().withIterations(asked)));
        History h = new History();
        double[] re = {1.2, 0.5, -0.3};
        double[] im = {0, 0.4, -0.4};
        h.spectrumStart(new Spectrum(re, im));
        for (long i = 0; i < reached; i++) {
            boolean diag = i % 10 == 0;
            double g = 2 * Math.pow(0.999, i);
            h.add(new IterationMetrics(
                    i,
                    1 / (1 + i / 50.0),
                    Double.NaN,
                    g,
                    Math.min(g, 1),
                    g > 1,
                    diag ? 1.2 : Double.NaN,
                    diag ? 1.5 : Double.NaN,
                    false));
            if (diag) {
                double[] n = new double[STEPS];
                for (int k = 0; k < STEPS; k++) {
                    n[k] = Math.pow(0.7, STEPS - 1 - k);
                }
                h.add(new GradientFlowSnapshot(i, n));
            }
        }
        Path file = dir.resolve(TrainingRun.DIAGNOSTICS);
        h.write(file);
        MetricsFile.write(dir, "csv", h.metrics());
        if (evaluations) {
            ObjectNode root = (ObjectNode) Json.MAPPER.readTree(Files.readString(file));
            ArrayNode ev = root.putArray("evaluations");
            for (long i = 0; i < reached; i += 50) {
                ObjectNode e = ev.addObject();
                e.put("iteration", i);
                ObjectNode m = e.putObject("metrics");
                m.put("loss", 1.1 / (1 + i / 50.0));
                m.put("bits_per_char", 4.0 / (1 + i / 100.0));
            }
            Path tmp = dir.resolve(".diagnostics.tmp");
            Files.writeString(tmp, Json.MAPPER.writeValueAsString(root));
            Files.move(
                    tmp,
                    file,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return dir;
    }
}
