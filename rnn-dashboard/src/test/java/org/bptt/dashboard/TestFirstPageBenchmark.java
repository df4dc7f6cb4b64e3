package org.bptt.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bptt.training.run.TrainingRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard benchmark's count of the runs a folder holds, and its medians. It times nothing here. */
final class TestFirstPageBenchmark {
    @TempDir
    Path dir;

    private void run(String folder) throws IOException {
        Path r = Files.createDirectories(dir.resolve(folder));
        Files.writeString(r.resolve(TrainingRun.CONFIG), "{}");
    }

    @Test
    void theHiddenRealRunsAreNotCounted() throws IOException {
        assertEquals(0, FirstPageBenchmark.countRuns(dir.resolve("absent")));
        run("sweep/0000-lr=0.01-seed=1");
        run("sweep/0001-lr=0.03-seed=1");
        run("one");
        run(".real/real-lr=0.01");
        Files.createDirectories(dir.resolve("empty"));
        assertEquals(3, FirstPageBenchmark.countRuns(dir));
    }

    @Test
    void theMedianIsTheMiddleOrTheMeanOfTheMiddleTwo() {
        assertEquals(2.0, FirstPageBenchmark.median(new double[] {3.0, 1.0, 2.0}));
        assertEquals(2.5, FirstPageBenchmark.median(new double[] {4.0, 1.0, 3.0, 2.0}));
        double[] x = {5.0, 4.0};
        FirstPageBenchmark.median(x);
        assertEquals(5.0, x[0], "the input is left as it was");
    }
}
