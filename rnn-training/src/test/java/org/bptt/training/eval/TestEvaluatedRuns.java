package org.bptt.training.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.bptt.training.config.RunConfig;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.run.Evaluation;
import org.bptt.training.run.RunListener;
import org.bptt.training.run.TrainingRun;
import org.bptt.training.wiring.PluginChoice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run made or continued with its evaluation settings: saved in its folder, read back on a resume, refused without held-out data. */
final class TestEvaluatedRuns {
    private static final Plugins PLUGINS = Plugins.discover();

    @TempDir
    Path dir;

    private static RunConfig config(String task, long iterations) {
        return RunConfig.defaults().toBuilder()
                .task(PluginChoice.of(task).with("steps", "8"))
                .hidden(4)
                .batch(8)
                .iterations(iterations)
                .build();
    }

    private static List<Long> evaluated(TrainingRun run) {
        return run.history().evaluations().stream().map(Evaluation::iteration).toList();
    }

    @Test
    void aNewRunSavesItsSettingsAndAResumeEvaluatesByThem() throws IOException {
        Path folder = dir.resolve("run");
        EvaluationSettings es =
                EvaluationSettings.defaults().withSequences(20).withEvery(3).withSeed(5);
        try (TrainingRun run = es.newRun(config("adding", 6), folder, PLUGINS, "csv")) {
            assertEquals(es, EvaluationSettings.read(folder, EvaluationSettings.defaults()));
            run.run(new RunListener() {});
            assertEquals(List.of(3L, 6L), evaluated(run));
        }
        try (TrainingRun more = EvaluationSettings.resumeRun(folder, PLUGINS, new TrainingRun.Resume(null, 9, 0))) {
            more.run(new RunListener() {});
            assertEquals(List.of(3L, 6L, 9L), evaluated(more), "every 3 iterations, as saved");
        }
    }

    @Test
    void evaluationsOnTheWayWithoutHeldOutDataAreRefusedBeforeTheFolderIsMade() {
        Path folder = dir.resolve("text");
        EvaluationSettings every = EvaluationSettings.defaults().withEvery(2);
        NoHeldOutDataException e = assertThrows(
                NoHeldOutDataException.class, () -> every.newRun(config("text", 4), folder, PLUGINS, "csv"));
        assertEquals("text", e.task());
        assertFalse(Files.exists(folder), "nothing written for a refused run");
        // At the end only, a task without held-out data simply goes unevaluated.
        try (TrainingRun run = EvaluationSettings.defaults().newRun(config("text", 4), folder, PLUGINS, "csv")) {
            assertTrue(Files.exists(folder.resolve(EvaluationSettings.FILE)));
        }
    }

    @Test
    void theDefaultFolderIsNamedByTaskAndTime() {
        Path p = TrainingRun.defaultFolder("adding");
        assertEquals("runs", p.getParent().toString());
        String name = p.getFileName().toString();
        assertTrue(name.startsWith("adding-"), name);
        // The stamp parses back as a date and time of the pattern.
        LocalDateTime.parse(name.substring("adding-".length()), DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    }
}
