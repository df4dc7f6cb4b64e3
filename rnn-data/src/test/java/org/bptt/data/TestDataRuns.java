package org.bptt.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.config.Checkpoint;
import org.bptt.training.config.RunConfig;
import org.bptt.training.run.RunListener;
import org.bptt.training.run.TrainingRun;
import org.bptt.training.wiring.PluginChoice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs on a data file: an interrupted run resumes to the same bits, and refuses to go on when the file changed. */
final class TestDataRuns {
    @TempDir
    Path dir;

    @Test
    void aRunOnAFileResumesBitForBitAndRefusesChangedData() throws IOException {
        Fixtures.Ragged d = Fixtures.ragged(4, 13, 7, 2, 3);
        Path npz = dir.resolve("seqs.npz");
        Fixtures.writeNpz(npz, d, Fixtures.padded(d, 1, 2), true);
        // 13 sequences in batches of 4: epochs end inside batches, and the resume lands mid-epoch.
        RunConfig config = RunConfig.defaults().toBuilder()
                .task(new PluginChoice("data", Map.of("file", npz.toString())))
                .hidden(6)
                .batch(4)
                .iterations(12)
                .checkpointEvery(5)
                .diagnosticsEvery(4)
                .build();
        Path whole = dir.resolve("whole");
        TrainingRun.create(config, whole, Fixtures.PLUGINS, "csv").run(new RunListener() {});
        Path split = dir.resolve("split");
        TrainingRun.create(config, split, Fixtures.PLUGINS, "csv").run(new RunListener() {
            private long done;

            @Override
            public void iteration(TrainingRun run, org.bptt.training.IterationMetrics m) {
                done = m.iteration() + 1;
            }

            @Override
            public boolean stopRequested() {
                return done >= 7;
            }
        });
        assertEquals(7, Checkpoint.read(split.resolve(TrainingRun.CHECKPOINT)).iteration());
        TrainingRun.resume(split, Fixtures.PLUGINS, "csv", 0).run(new RunListener() {});
        Map<String, float[]> a =
                Checkpoint.read(whole.resolve(TrainingRun.CHECKPOINT)).parameters();
        Map<String, float[]> b =
                Checkpoint.read(split.resolve(TrainingRun.CHECKPOINT)).parameters();
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k), b.get(k), k);
        }
        Path again = dir.resolve("again");
        TrainingRun.create(config.toBuilder().iterations(8).build(), again, Fixtures.PLUGINS, "csv")
                .run(new RunListener() {});
        Fixtures.writeNpz(npz, d, Fixtures.padded(d, 0, 2), true);
        ConfigurationException e = assertThrows(
                ConfigurationException.class, () -> TrainingRun.resume(again, Fixtures.PLUGINS, "csv", 12));
        assertTrue(
                e.getMessage().startsWith("the data file " + npz + " (the task's option 'file') has changed since"),
                e.getMessage());
        assertTrue(Files.exists(again.resolve(TrainingRun.CHECKPOINT)));
    }
}
