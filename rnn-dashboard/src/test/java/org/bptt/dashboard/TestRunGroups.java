package org.bptt.dashboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Grouping by settings and seed averaging, against numbers worked out by hand. */
final class TestRunGroups {
    @TempDir
    Path tmp;

    private static RunIndex.Line line(String id, String lr, String seed) {
        return new RunIndex.Line(id, id, Map.of("optimizer.lr", lr, "seed", seed), 10, 10, 0, 0);
    }

    @Test
    void groupsByTheValuesOfTheKeysNumbersInNumericOrder() {
        List<RunIndex.Line> lines = List.of(
                line("a", "0.1", "1"),
                line("b", "0.03", "1"),
                line("c", "0.1", "2"),
                line("d", "0.03", "2"),
                line("e", "1e-3", "1"));
        Map<String, List<RunIndex.Line>> g = RunGroups.group(lines, List.of("optimizer.lr"));
        assertEquals(List.of("optimizer.lr=1e-3", "optimizer.lr=0.03", "optimizer.lr=0.1"), List.copyOf(g.keySet()));
        assertEquals(
                List.of("b", "d"),
                g.get("optimizer.lr=0.03").stream().map(RunIndex.Line::id).toList());
        assertEquals(
                List.of("a", "c"),
                g.get("optimizer.lr=0.1").stream().map(RunIndex.Line::id).toList());
        Map<String, List<RunIndex.Line>> two = RunGroups.group(lines, List.of("seed", "missing"));
        assertEquals(List.of("seed=1, missing=—", "seed=2, missing=—"), List.copyOf(two.keySet()));
    }

    @Test
    void meanAndBandOfSeedsByHand() {
        // Three seeds of a loss; the third stops after iteration 1 and has no value at iteration 0.
        RunGroups.Curve s1 = new RunGroups.Curve(new long[] {0, 1, 2}, new double[] {1, 0.1, 4});
        RunGroups.Curve s2 = new RunGroups.Curve(new long[] {0, 1, 2}, new double[] {2, 0.1, 6});
        RunGroups.Curve s3 = new RunGroups.Curve(new long[] {0, 1}, new double[] {Double.NaN, 1.0});
        RunGroups.Band b = RunGroups.average(List.of(s1, s2, s3), RunGroups.Range.NON_NEGATIVE);
        assertArrayEquals(new long[] {0, 1, 2}, b.iterations());
        assertArrayEquals(new int[] {2, 3, 2}, b.runs());
        // Iteration 0: {1, 2}: mean 1.5, sample sd √0.5 = 0.70711.
        // Iteration 1: {0.1, 0.1, 1.0}: mean 0.4, sd √((0.09 + 0.09 + 0.36) / 2) = √0.27 = 0.51962: 0.4 − sd < 0,
        // clipped to 0.
        // Iteration 2: {4, 6}: mean 5, sd √2 = 1.41421.
        assertArrayEquals(new double[] {1.5, 0.4, 5}, b.mean(), 1e-12);
        assertArrayEquals(new double[] {1.5 - 0.7071067811865476, 0, 5 - 1.4142135623730951}, b.lower(), 1e-12);
        assertArrayEquals(
                new double[] {1.5 + 0.7071067811865476, 0.4 + 0.5196152422706632, 5 + 1.4142135623730951},
                b.upper(),
                1e-12);
    }

    @Test
    void anAccuracyBandStaysWithinZeroAndOne() {
        RunGroups.Curve s1 = new RunGroups.Curve(new long[] {5}, new double[] {0.9});
        RunGroups.Curve s2 = new RunGroups.Curve(new long[] {5}, new double[] {1.0});
        RunGroups.Curve s3 = new RunGroups.Curve(new long[] {5}, new double[] {1.0});
        RunGroups.Band b = RunGroups.average(List.of(s1, s2, s3), RunGroups.Range.UNIT);
        // Mean 0.96667, sd √((0.004444 + 0.001111 + 0.001111) / 2) = 0.057735: the upper edge 1.0244 is clipped to 1.
        assertEquals(0.9666666666666667, b.mean()[0], 1e-12);
        assertEquals(0.9666666666666667 - 0.05773502691896263, b.lower()[0], 1e-12);
        assertEquals(1.0, b.upper()[0]);
        // One run: no spread, a band of zero width.
        RunGroups.Band one = RunGroups.average(List.of(s1), RunGroups.Range.UNIT);
        assertEquals(0.9, one.lower()[0]);
        assertEquals(0.9, one.upper()[0]);
    }

    @Test
    void theStoreAveragesRunsFromTheirFiles() throws IOException {
        Path root = Files.createDirectory(tmp.resolve("runs"));
        // Hand-made histories: loss 1/(1 + i/50) in both; the group of two has sd 0 and mean equal to it.
        HandMadeRuns.write(root.resolve("s1"), 100, 100, false);
        HandMadeRuns.write(root.resolve("s2"), 100, 60, false);
        RunStore store = new RunStore(root, null);
        Map<String, Object> m = store.groupMean(List.of(store.resolve("s1"), store.resolve("s2")));
        assertEquals(2, m.get("runs"));
        @SuppressWarnings("unchecked")
        Map<String, Object> loss = (Map<String, Object>) m.get("loss");
        long[] it = (long[]) loss.get("iteration");
        int[] runs = (int[]) loss.get("runs");
        double[] mean = (double[]) loss.get("mean");
        assertEquals(100, it.length);
        assertEquals(2, runs[59]);
        assertEquals(1, runs[60], "only s1 reached iteration 60");
        assertEquals(1 / (1 + 59 / 50.0), mean[59], 1e-12);
        @SuppressWarnings("unchecked")
        Map<String, Object> acc = (Map<String, Object>) m.get("accuracy");
        assertEquals(0, ((long[]) acc.get("iteration")).length, "no accuracy recorded: nothing averaged");
    }
}
