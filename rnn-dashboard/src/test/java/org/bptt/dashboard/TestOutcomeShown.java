package org.bptt.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.bptt.training.NonFinitePolicy;
import org.bptt.training.config.Json;
import org.bptt.training.config.RunConfig;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.run.RunListener;
import org.bptt.training.run.RunOutcome;
import org.bptt.training.run.TrainingRun;
import org.bptt.training.wiring.PluginChoice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard says what outcome.json says, in its words; a run whose plugin is not loaded gets no verdict. */
final class TestOutcomeShown {
    private static final Plugins PLUGINS = Plugins.discover();

    @TempDir
    Path tmp;

    private static RunConfig small() {
        return RunConfig.defaults().toBuilder()
                .task(new PluginChoice("adding", Map.of("steps", "8")))
                .hidden(8)
                .batch(4)
                .iterations(20)
                .checkpointEvery(10)
                .diagnosticsEvery(5)
                .build();
    }

    private static void train(RunConfig c, Path dir) throws IOException {
        try (TrainingRun run = TrainingRun.create(c, dir, PLUGINS, "csv")) {
            run.run(new RunListener() {});
        }
    }

    private static String status(RunStore store, String id) {
        return (String) store.listing(store.lines(), java.util.Set.of()).stream()
                .filter(m -> m.get("id").equals(id))
                .findFirst()
                .orElseThrow()
                .get("status");
    }

    @Test
    void finishedDivergedAndADeadRunningRecordAreShownAsTheReaderSaysThem() throws IOException {
        Path root = Files.createDirectory(tmp.resolve("runs"));
        train(small(), root.resolve("done"));
        train(
                small().toBuilder()
                        .cell(new PluginChoice("vanilla", Map.of("activation", "relu")))
                        .initializer(new PluginChoice("identity", Map.of("gain", "3")))
                        .policy(PluginChoice.of("none"))
                        .optimizer(new PluginChoice("sgd", Map.of("lr", "10")))
                        .nonFinite(NonFinitePolicy.STOP)
                        .build(),
                root.resolve("diverged"));
        // A run whose process was killed: its record still says running, with a heartbeat long past.
        train(small(), root.resolve("killed"));
        ObjectNode o = (ObjectNode) Json.MAPPER.readTree(
                root.resolve("killed").resolve(RunOutcome.FILE).toFile());
        o.put("state", "running");
        o.put("heartbeat", "2020-01-01T00:00:00Z");
        Files.writeString(root.resolve("killed").resolve(RunOutcome.FILE), Json.write(o));

        RunStore store = new RunStore(root, PLUGINS);
        assertEquals("finished", status(store, "done"));
        assertEquals("diverged", status(store, "diverged"));
        assertEquals("stopped unexpectedly", status(store, "killed"));
        // The list caches outcomes: a record that changes is read again.
        ObjectNode d = (ObjectNode) Json.MAPPER.readTree(
                root.resolve("done").resolve(RunOutcome.FILE).toFile());
        d.put("state", "running");
        d.put("heartbeat", "2020-01-01T00:00:00.000000001Z");
        Files.writeString(root.resolve("done").resolve(RunOutcome.FILE), Json.write(d));
        assertEquals("stopped unexpectedly", status(store, "done"));
        Map<String, Object> diverged = store.data(store.resolve("diverged"), 0);
        assertTrue(((String) diverged.get("summary")).startsWith("diverged after 1 iteration"), (String)
                diverged.get("summary"));
        Map<String, Object> killed = store.data(store.resolve("killed"), 0);
        assertTrue(
                ((String) killed.get("summary"))
                        .startsWith(RunOutcome.read(root.resolve("killed")).sentence() + "; at iteration 20 of 20"),
                (String) killed.get("summary"));
    }

    @Test
    void aRunMadeWithAPluginThisProcessLacksGetsNoSubstituteVerdict(@TempDir Path t) throws IOException {
        Path root = Files.createDirectory(t.resolve("runs"));
        train(small(), root.resolve("gru"));
        Map<String, Object> before = new RunStore(root, PLUGINS).data(root.resolve("gru"), 0);
        assertNotNull(before.get("verdict"), "with its plugins loaded, the run has a verdict");
        // As a run made with the outside cell 'gru' reads where that plugin is not loaded.
        Path cfg = root.resolve("gru").resolve(TrainingRun.CONFIG);
        ObjectNode c = (ObjectNode) Json.MAPPER.readTree(cfg.toFile());
        ((ObjectNode) c.get("cell")).put("name", "gru");
        Files.writeString(cfg, Json.write(c));

        RunStore store = new RunStore(root, PLUGINS);
        assertEquals("finished; made with plugin gru, not loaded: its verdict is not shown", status(store, "gru"));
        Map<String, Object> d = store.data(store.resolve("gru"), 0);
        assertNull(d.get("verdict"));
        assertNull(d.get("factor"));
        assertNull(d.get("gain"));
        assertEquals("made with plugin gru, not loaded: its verdict is not shown", d.get("verdict_text"));
    }
}
