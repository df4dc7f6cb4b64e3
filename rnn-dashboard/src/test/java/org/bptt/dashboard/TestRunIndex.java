package org.bptt.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bptt.training.Network;
import org.bptt.training.config.Json;
import org.bptt.training.config.RunConfig;
import org.bptt.training.run.MetricsFile;
import org.bptt.training.run.TrainingRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run list's index: read once per change, new runs appear, deleted ones go, half-written files are not taken. */
final class TestRunIndex {
    @TempDir
    Path tmp;

    private static final String HEADER = "iteration,loss,accuracy,grad_norm_before,grad_norm_after,clipped,skipped,"
            + "spectral_radius,spectral_norm\n";

    private static Path run(Path dir, RunConfig config, String metrics) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(TrainingRun.CONFIG), Json.write(config));
        Files.writeString(dir.resolve("metrics.csv"), HEADER + metrics);
        return dir;
    }

    private static RunConfig config(String lr, long seed) {
        return Network.builder()
                .task("adding", "steps", "15")
                .hidden(16)
                .optimizer("adam", "lr", lr)
                .seed(seed)
                .config()
                .withIterations(100);
    }

    private static String row(long it, double loss) {
        return it + "," + loss + ",,1.0,1.0,false,false,,\n";
    }

    /** Moves a file's time on, as a write a second later would: the index must see a change even within one clock tick. */
    private static void touch(Path f, long seconds) throws IOException {
        Files.setLastModifiedTime(
                f, FileTime.fromMillis(Files.getLastModifiedTime(f).toMillis() + seconds * 1000));
    }

    private static Map<String, RunIndex.Line> byId(List<RunIndex.Line> lines) {
        Map<String, RunIndex.Line> m = new TreeMap<>();
        lines.forEach(l -> m.put(l.id(), l));
        return m;
    }

    @Test
    void changedRunsAreReadAgainNewOnesAppearDeletedOnesGo() throws IOException {
        Path root = Files.createDirectory(tmp.resolve("runs"));
        Path a = run(root.resolve("a"), config("0.01", 1), row(0, 0.5) + row(1, 0.25));
        Path b = run(root.resolve("b"), config("0.03", 2), row(0, 0.9));
        RunStore store = new RunStore(root, null);
        Map<String, RunIndex.Line> first = byId(store.lines());
        assertEquals(List.of("a", "b"), List.copyOf(first.keySet()));
        RunIndex.Line la = first.get("a");
        assertEquals(2, la.reached(), "the last complete row is iteration 1");
        assertEquals(0.25, la.lastLoss());
        assertEquals(100, la.asked());
        assertEquals("0.01", la.settings().get("optimizer.lr"));
        assertEquals("adam", la.settings().get("optimizer"));
        assertEquals("15", la.settings().get("task.steps"));
        assertEquals("1", la.settings().get("seed"));
        assertTrue(store.lines().get(0) == la, "an unchanged run is not read again");

        // a trains on; b is deleted; c appears.
        Files.writeString(a.resolve("metrics.csv"), row(2, 0.125), java.nio.file.StandardOpenOption.APPEND);
        touch(a.resolve("metrics.csv"), 1);
        try (var s = Files.walk(b)) {
            s.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
        run(root.resolve("sweep/c"), config("0.1", 3), "");
        Map<String, RunIndex.Line> second = byId(store.lines());
        assertEquals(List.of("a", "sweep/c"), List.copyOf(second.keySet()));
        assertEquals(3, second.get("a").reached());
        assertEquals(0.125, second.get("a").lastLoss());
        assertEquals(0, second.get("sweep/c").reached(), "a metrics file of its header only: no progress");
        assertTrue(Double.isNaN(second.get("sweep/c").lastLoss()));
    }

    @Test
    void halfWrittenFilesAreNotTaken() throws IOException {
        Path root = Files.createDirectory(tmp.resolve("runs"));
        Path a = run(root.resolve("a"), config("0.01", 1), row(0, 0.5) + row(1, 0.25));
        RunStore store = new RunStore(root, null);
        assertEquals("0.01", store.lines().get(0).settings().get("optimizer.lr"));

        // A row being appended, not yet ended by its newline, is not read.
        Files.writeString(a.resolve("metrics.csv"), "2,0.1", java.nio.file.StandardOpenOption.APPEND);
        touch(a.resolve("metrics.csv"), 1);
        assertEquals(2, store.lines().get(0).reached());

        // A config.json cut off mid-write: the line read before stays.
        String whole = Json.write(config("0.3", 1));
        Files.writeString(a.resolve(TrainingRun.CONFIG), whole.substring(0, whole.length() / 2));
        touch(a.resolve(TrainingRun.CONFIG), 2);
        assertEquals(
                "0.01", store.lines().get(0).settings().get("optimizer.lr"), "the half-written config is not taken");
        // Once whole, it is.
        Files.writeString(a.resolve(TrainingRun.CONFIG), whole);
        touch(a.resolve(TrainingRun.CONFIG), 3);
        assertEquals("0.3", store.lines().get(0).settings().get("optimizer.lr"));

        // A new run whose config.json is half written is not listed until it is whole.
        Path b = run(root.resolve("b"), config("0.01", 2), "");
        Files.writeString(b.resolve(TrainingRun.CONFIG), "{ \"task\" : { \"name\" : \"add");
        assertEquals(List.of("a"), store.lines().stream().map(RunIndex.Line::id).toList());
    }

    @Test
    void theRootRunIsNamedByItsFolder() throws IOException {
        Path root = run(tmp.resolve("adding-h16"), config("0.01", 1), row(0, 0.5));
        RunStore store = new RunStore(root, null);
        RunIndex.Line l = store.lines().get(0);
        assertEquals(".", l.id());
        assertEquals("adding-h16", l.name(), "not \".\"");
    }

    @Test
    void lastRowOfJsonLines() throws IOException {
        Path f = tmp.resolve("metrics.jsonl");
        Files.writeString(f, "{\"iteration\":0,\"loss\":0.5}\n{\"iteration\":1,\"loss\":null}\n{\"iteration\":2,");
        Map<String, String> row = MetricsFile.lastRow(f);
        assertEquals("1", row.get("iteration"));
        assertEquals("", row.get("loss"));
        Files.writeString(f, "");
        assertNull(MetricsFile.lastRow(f));
    }

    @Test
    void variedKeysAreTheSettingsThatDiffer() {
        RunIndex.Line a = new RunIndex.Line("a", "a", Map.of("lr", "0.1", "seed", "1", "task", "adding"), 1, 0, 0, 0);
        RunIndex.Line b = new RunIndex.Line("b", "b", Map.of("lr", "0.1", "seed", "2", "task", "adding"), 1, 0, 0, 0);
        RunIndex.Line c =
                new RunIndex.Line("c", "c", Map.of("lr", "0.3", "seed", "1", "task", "adding", "k2", "5"), 1, 0, 0, 0);
        assertEquals(List.of("k2", "lr", "seed"), RunIndex.variedKeys(List.of(a, b, c)));
        assertEquals(List.of("seed"), RunIndex.variedKeys(List.of(a, b)));
    }
}
