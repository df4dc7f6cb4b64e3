package org.bptt.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the dashboard reads: only run folders under its root, never through .. or a symbolic link out. */
final class TestRunStore {
    @TempDir
    Path tmp;

    @Test
    void findsNestedRunsAndRefusesEveryWayOut() throws IOException {
        Path root = Files.createDirectory(tmp.resolve("runs"));
        HandMadeRuns.write(root.resolve("a"), 100, 100, false);
        HandMadeRuns.write(root.resolve("sweep/lr-0.01"), 100, 40, true);
        HandMadeRuns.write(root.resolve(".hidden"), 100, 10, false);
        Path outside = HandMadeRuns.write(tmp.resolve("secret-run"), 100, 10, false);
        Files.createSymbolicLink(root.resolve("link-out"), outside);
        Files.createSymbolicLink(root.resolve("sweep/link-in"), root.resolve("a"));
        Files.writeString(tmp.resolve("passwd"), "root:x:0:0");
        RunStore store = new RunStore(root, null);

        assertEquals(List.of("a", "sweep/lr-0.01"), store.ids(), "links are not followed, hidden folders not listed");
        assertNotNull(store.resolve("a"));
        assertNotNull(store.resolve("sweep/lr-0.01"));
        for (String bad : List.of(
                "..",
                "../secret-run",
                "a/../../secret-run",
                "/etc",
                outside.toString(),
                "link-out",
                "sweep/link-in",
                "sweep/../a",
                "./a",
                "a/",
                "",
                "a\\..\\..",
                "nope",
                "sweep",
                "a\0")) {
            assertNull(store.resolve(bad), () -> "'" + bad + "' must name no run");
        }
        assertNull(store.resolve(null));
    }

    @Test
    void servesMetricsFromAnIterationOnAndTheHeldOutEvaluations() throws IOException {
        Path root = Files.createDirectory(tmp.resolve("runs"));
        HandMadeRuns.write(root.resolve("r"), 200, 120, true);
        RunStore store = new RunStore(root, null);
        Map<String, Object> all = store.data(store.resolve("r"), 0);
        Map<String, Object> late = store.data(store.resolve("r"), 100);
        @SuppressWarnings("unchecked")
        List<Object> it = (List<Object>) ((Map<String, Object>) late.get("metrics")).get("iteration");
        assertEquals(20, it.size());
        assertEquals(100L, it.get(0));
        assertEquals(120L, all.get("reached"));
        assertEquals(2, ((List<?>) late.get("flow")).size(), "snapshots of iterations 100 and 110");
        assertEquals(3, ((List<?>) all.get("evaluations")).size());
        // The final figure is the last held-out loss, 1.1/(1 + 100/50).
        assertEquals(1.1 / 3, (double) all.get("final_loss"), 1e-12);
        assertEquals("vanishing", all.get("verdict"), "the recorded flow shrinks 0.7× per step");
        assertEquals(0.7, (double) all.get("factor"), 1e-9);
        assertTrue(
                ((String) all.get("summary")).contains("held-out loss at iteration 100"), (String) all.get("summary"));
    }

    @Test
    void readingWritesNothing() throws IOException {
        Path root = Files.createDirectory(tmp.resolve("runs"));
        HandMadeRuns.write(root.resolve("r"), 50, 50, false);
        List<Path> before = listing(root);
        RunStore store = new RunStore(root, null);
        store.listing(store.lines(), Set.of());
        store.data(store.resolve("r"), 0);
        assertEquals(before, listing(root));
    }

    private static List<Path> listing(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.sorted().toList();
        }
    }
}
