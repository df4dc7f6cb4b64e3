package org.bptt.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.bptt.study.PlanEntry;
import org.bptt.study.SummaryRow;
import org.bptt.study.SweepPlan;
import org.bptt.study.SweepSummary;
import org.bptt.training.config.Checkpoint;
import org.bptt.training.config.RunConfig;
import org.bptt.training.eval.EvaluationSettings;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.run.TrainingRun;
import org.bptt.training.wiring.PluginChoice;

/** A small plan, Spark contexts, hooks that fail attempts, and comparisons of sweep folders, for the tests. */
final class SparkTests {
    static final Plugins PLUGINS = Plugins.discover();
    /** What the hooks saw, in every attempt: "id attempt A started at N", "id attempt A checkpointed at N". */
    static final Queue<String> EVENTS = new ConcurrentLinkedQueue<>();

    private SparkTests() {}

    /** radius × policy on a short adding problem: 60 iterations, checkpoints every 30, held-out evaluation every 30. */
    static SweepPlan plan() {
        List<Map<String, String>> combos = new ArrayList<>();
        for (String radius : List.of("0.5", "1.2")) {
            for (String policy : List.of("none", "clip-norm")) {
                Map<String, String> m = new LinkedHashMap<>();
                m.put("radius", radius);
                m.put("policy", policy);
                combos.add(m);
            }
        }
        return SweepPlan.of(
                "test sweep",
                List.of("radius", "policy"),
                EvaluationSettings.defaults().withSequences(100).withEvery(30),
                combos,
                List.of(1L),
                (values, seed) -> RunConfig.defaults().toBuilder()
                        .task(PluginChoice.of("adding").with("steps", "10"))
                        .hidden(8)
                        .batch(8)
                        .iterations(60)
                        .seed(seed)
                        .checkpointEvery(30)
                        .diagnosticsEvery(10)
                        .optimizer(PluginChoice.of("adam").with("lr", "0.01"))
                        .initializer(PluginChoice.of("spectral").with("radius", values.get("radius")))
                        .policy(PluginChoice.of(values.get("policy")))
                        .build());
    }

    static JavaSparkContext spark(String master) {
        return new JavaSparkContext(
                new SparkConf().setMaster(master).setAppName("rnn-spark test").set("spark.ui.enabled", "false"));
    }

    /** The events of one run, in order. */
    static List<String> events(PlanEntry e) {
        return EVENTS.stream()
                .filter(s -> s.startsWith(e.id() + " "))
                .map(s -> s.substring(e.id().length() + 1))
                .toList();
    }

    /** Records every attempt's events; fails those {@code fails} says, with "injected fault". */
    abstract static class Recorder implements AttemptHook {
        private static final long serialVersionUID = 1L;
        /** Where this attempt started: a field of one attempt, as the hook is deserialized for each. */
        long from = -1;

        @Override
        public void started(PlanEntry entry, int attempt, long from) {
            this.from = from;
            EVENTS.add(entry.id() + " attempt " + attempt + " started at " + from);
            if (failsAtStart(entry, attempt)) {
                throw new IllegalStateException("injected fault at the start of attempt " + attempt);
            }
        }

        @Override
        public void checkpointed(PlanEntry entry, int attempt, long iteration) {
            EVENTS.add(entry.id() + " attempt " + attempt + " checkpointed at " + iteration);
            if (failsAfterCheckpoint(entry, attempt, from)) {
                throw new IllegalStateException("injected fault after the checkpoint at iteration " + iteration);
            }
        }

        boolean failsAtStart(PlanEntry entry, int attempt) {
            return false;
        }

        boolean failsAfterCheckpoint(PlanEntry entry, int attempt, long from) {
            return false;
        }
    }

    /** Fails entry {@code index} on its first attempt, after its first checkpoint, when that attempt trained from scratch. */
    static final class FailOnce extends Recorder {
        private static final long serialVersionUID = 1L;
        private final int index;

        FailOnce(int index) {
            this.index = index;
        }

        @Override
        boolean failsAfterCheckpoint(PlanEntry entry, int attempt, long from) {
            return entry.index() == index && attempt == 0 && from == 0;
        }
    }

    /** Fails entry {@code index} at the start of every attempt. */
    static final class FailAlways extends Recorder {
        private static final long serialVersionUID = 1L;
        private final int index;

        FailAlways(int index) {
            this.index = index;
        }

        @Override
        boolean failsAtStart(PlanEntry entry, int attempt) {
            return entry.index() == index;
        }
    }

    /** summary.csv without its one column of wall times. */
    static List<String> withoutSeconds(Path sweep) throws IOException {
        List<String> lines = Files.readAllLines(sweep.resolve(SweepSummary.CSV));
        int col = Arrays.asList(lines.get(0).split(",")).indexOf("seconds");
        List<String> l = new ArrayList<>();
        for (String line : lines) {
            List<String> cells = new ArrayList<>(Arrays.asList(line.split(",", -1)));
            cells.remove(col);
            l.add(String.join(",", cells));
        }
        return l;
    }

    /** The run of {@code e} is the same in both sweep folders: every parameter bit for bit, the row but its wall time. */
    static void assertSameRun(PlanEntry e, Path a, Path b) throws IOException {
        Checkpoint ca = Checkpoint.read(SweepPlan.runFolder(a, e).resolve(TrainingRun.CHECKPOINT));
        Checkpoint cb = Checkpoint.read(SweepPlan.runFolder(b, e).resolve(TrainingRun.CHECKPOINT));
        assertEquals(ca.iteration(), cb.iteration(), e.id());
        assertEquals(ca.parameters().keySet(), cb.parameters().keySet(), e.id());
        for (Map.Entry<String, float[]> p : ca.parameters().entrySet()) {
            assertArrayEquals(p.getValue(), cb.parameters().get(p.getKey()), e.id() + " " + p.getKey());
        }
        SummaryRow ra = SummaryRow.read(SweepPlan.runFolder(a, e));
        SummaryRow rb = SummaryRow.read(SweepPlan.runFolder(b, e));
        assertTrue(ra.sameResult(rb), e.id() + ":\n" + ra.toJson() + "\n" + rb.toJson());
        assertEquals(
                Files.readString(SweepPlan.runFolder(a, e).resolve("metrics.csv")),
                Files.readString(SweepPlan.runFolder(b, e).resolve("metrics.csv")),
                e.id() + " metrics.csv");
    }

    /** Every run the same, and the same summary but for wall times. */
    static void assertSameSweep(SweepPlan plan, Path a, Path b) throws IOException {
        for (PlanEntry e : plan.entries()) {
            assertSameRun(e, a, b);
        }
        assertEquals(withoutSeconds(a), withoutSeconds(b));
        assertEquals(Files.readString(a.resolve(SweepPlan.FILE)), Files.readString(b.resolve(SweepPlan.FILE)));
    }

    /** Files of a sweep folder that a copy left behind: temporaries and locks. */
    static List<Path> leftovers(Path sweep) throws IOException {
        try (var s = Files.walk(sweep)) {
            return s.filter(p -> {
                        String n = p.getFileName().toString();
                        return n.endsWith(".tmp") || n.equals(".rnn.lock") || n.endsWith(".crc");
                    })
                    .toList();
        }
    }
}
