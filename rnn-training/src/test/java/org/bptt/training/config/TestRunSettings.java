package org.bptt.training.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.LossMean;
import org.bptt.training.NonFinitePolicy;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.wiring.PluginChoice;
import org.junit.jupiter.api.Test;

/** The schema of run settings: the file format it reads and writes, its limits and their messages, and changes by name. */
final class TestRunSettings {
    /** A config.json as rnn wrote it before the schema (and before 'stateful'), with an upper-case word it accepted. */
    private static final String OLD = """
            {
              "task" : { "name" : "adding", "options" : { "steps" : "10" } },
              "hidden" : 8,
              "cell" : "vanilla",
              "loss" : null,
              "optimizer" : { "name" : "sgd", "options" : { "lr" : "0.1" } },
              "policy" : { "name" : "clip-norm", "options" : { } },
              "truncation" : { "name" : "full", "options" : { } },
              "initializer" : { "name" : "orthogonal", "options" : { } },
              "batch" : 4,
              "iterations" : 30,
              "seed" : 7,
              "threads" : 1,
              "backend" : "scalar",
              "lossMean" : "STEP",
              "updatePerWindow" : false,
              "nonFinite" : "skip",
              "checkpointEvery" : 0,
              "diagnosticsEvery" : 5
            }""";

    /** The defaults as config.json holds them, byte for byte (the format of every file written so far). */
    private static final String DEFAULTS = """
            {
              "task" : {
                "name" : "adding",
                "options" : { }
              },
              "hidden" : 64,
              "cell" : {
                "name" : "vanilla",
                "options" : { }
              },
              "loss" : null,
              "optimizer" : {
                "name" : "adam",
                "options" : { }
              },
              "policy" : {
                "name" : "clip-norm",
                "options" : { }
              },
              "truncation" : {
                "name" : "full",
                "options" : { }
              },
              "initializer" : {
                "name" : "orthogonal",
                "options" : { }
              },
              "batch" : 32,
              "iterations" : 8000,
              "seed" : 1,
              "threads" : 1,
              "backend" : "auto",
              "lossMean" : "sequence",
              "updatePerWindow" : true,
              "nonFinite" : "stop",
              "checkpointEvery" : 1000,
              "diagnosticsEvery" : 20,
              "stateful" : false
            }""";

    @Test
    void anOldFileReadsAsBeforeAndASettingAddedLaterTakesItsDefault() {
        RunConfig c = Json.parse(OLD, "old.json");
        assertEquals(new PluginChoice("adding", Map.of("steps", "10")), c.task());
        assertEquals(8, c.hidden());
        assertEquals(PluginChoice.of("vanilla"), c.cell());
        assertNull(c.loss());
        assertEquals(new PluginChoice("sgd", Map.of("lr", "0.1")), c.optimizer());
        assertEquals(4, c.batch());
        assertEquals(30, c.iterations());
        assertEquals(7, c.seed());
        assertEquals("scalar", c.backend());
        assertEquals(LossMean.STEP, c.lossMean());
        assertFalse(c.updatePerWindow());
        assertEquals(NonFinitePolicy.SKIP, c.nonFinite());
        assertEquals(0, c.checkpointEvery());
        assertEquals(5, c.diagnosticsEvery());
        assertFalse(c.stateful());
        assertEquals(c, Json.parse(Json.write(c), "again"));
    }

    @Test
    void theDefaultsAreWrittenInTheFormatOfEveryEarlierFile() {
        // Settings declared later follow, in their order of declaration; the earlier ones keep their bytes.
        String written = Json.write(RunConfig.defaults()).replace("\r\n", "\n");
        String earlier = DEFAULTS.substring(0, DEFAULTS.length() - 2);
        assertTrue(written.startsWith(earlier) && written.endsWith("\n}"), written);
        assertEquals(RunConfig.defaults(), Json.parse(DEFAULTS, "defaults"));
    }

    @Test
    void aFileIsRefusedInOneSentenceNamingTheField() {
        String[][] cases = {
            {"\"hidden\" : 8", "\"hidden\" : 0", "old.json: the field 'hidden' must be a whole number at least 1, got 0"
            },
            {
                "\"hidden\" : 8",
                "\"hidden\" : 8.5",
                "old.json: the field 'hidden' must be a whole number at least 1, got 8.5"
            },
            {"\"hidden\" : 8,", "", "old.json: the run configuration lacks the field 'hidden'"},
            {"\"seed\" : 7", "\"seed\" : 7, \"colour\" : 1", "old.json: unknown field 'colour' in the run configuration"
            },
            {
                "\"backend\" : \"scalar\"",
                "\"backend\" : \"gpu\"",
                "old.json: the field 'backend' must be auto, scalar or simd, got \"gpu\""
            },
            {
                "\"nonFinite\" : \"skip\"",
                "\"nonFinite\" : null",
                "old.json: the field 'nonFinite' must be stop or skip, not null"
            },
            {
                "\"updatePerWindow\" : false",
                "\"updatePerWindow\" : \"false\"",
                "old.json: the field 'updatePerWindow' must be true or false, got \"false\""
            },
            {
                "\"iterations\" : 30",
                "\"iterations\" : -1",
                "old.json: the field 'iterations' must be a whole number 0 or more and at most 1000000000000, got -1"
            },
            {
                "\"lr\" : \"0.1\"",
                "\"lr\" : null",
                "old.json: the field 'optimizer': plugin 'sgd': option 'lr' has no value (null); give it as text, or leave it out for its default"
            },
            {
                "\"seed\" : 7",
                "\"seed\" : 7, \"variationalDropout\" : true",
                "old.json: variational dropout needs a dropout probability above 0"
            },
            {
                "\"seed\" : 7",
                "\"seed\" : 7, \"dropout\" : 0.2",
                "old.json: dropout acts between layers, so it needs at least 2 layers, got 1"
            },
        };
        for (String[] c : cases) {
            String text = OLD.replace(c[0], c[1]);
            assertFalse(text.equals(OLD), c[0]);
            ConfigurationException e =
                    assertThrows(ConfigurationException.class, () -> Json.parse(text, "old.json"), c[1]);
            assertTrue(e.getMessage().startsWith(c[2]), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void everyLimitIsStatedOnceAndHeldAtItsEdge() {
        Object[][] limits = {
            {RunSettings.HIDDEN, 1, 0, "at least 1"},
            {RunSettings.BATCH, 1, 0, "at least 1"},
            {RunSettings.THREADS, 1, 0, "at least 1"},
            {RunSettings.ITERATIONS, 0L, -1L, "0 or more and at most 1000000000000"},
            {RunSettings.ITERATIONS, RunSettings.MAX_ITERATIONS, Long.MAX_VALUE, "0 or more and at most 1000000000000"},
            {RunSettings.CHECKPOINT_EVERY, 0L, -1L, "0 or more"},
            {RunSettings.DIAGNOSTICS_EVERY, 1L, 0L, "at least 1"},
        };
        for (Object[] l : limits) {
            @SuppressWarnings("unchecked")
            RunSetting<Object> s = (RunSetting<Object>) l[0];
            assertEquals(
                    l[1], RunConfig.defaults().toBuilder().set(s, l[1]).build().get(s));
            ConfigurationException e = assertThrows(
                    ConfigurationException.class,
                    () -> RunConfig.defaults().toBuilder().set(s, l[2]).build());
            assertEquals(s.key() + " must be a whole number " + l[3] + ", got " + l[2], e.getMessage());
            e = assertThrows(ConfigurationException.class, () -> s.parse(l[2].toString(), "--" + s.name()));
            assertEquals("--" + s.name() + " must be a whole number " + l[3] + ", got '" + l[2] + "'", e.getMessage());
        }
        // Every declared setting's default passes its own checks, and the names are distinct.
        RunConfig.defaults().validate();
        assertEquals(
                RunSettings.all().size(),
                RunSettings.all().stream().map(RunSetting::name).distinct().count());
    }

    @Test
    void wordsAndNumbersAreParsedByTheirDeclarations() {
        assertEquals(LossMean.STEP, RunSettings.LOSS_MEAN.parse("step", "x"));
        assertEquals(Boolean.FALSE, RunSettings.UPDATE_PER_WINDOW.parse("per-sequence", "x"));
        assertEquals(Boolean.TRUE, RunSettings.STATEFUL.parse("true", "x"));
        assertEquals(3_000_000_000L, RunSettings.ITERATIONS.parse("3000000000", "x"));
        assertEquals(
                "--threads must be a whole number at least 1, got '3000000000'",
                assertThrows(ConfigurationException.class, () -> RunSettings.THREADS.parse("3000000000", "--threads"))
                        .getMessage());
        assertEquals(
                "--update must be per-window or per-sequence, got 'window'",
                assertThrows(
                                ConfigurationException.class,
                                () -> RunSettings.UPDATE_PER_WINDOW.parse("window", "--update"))
                        .getMessage());
        assertEquals(
                "--loss-mean must be sequence or step, got 'mean'",
                assertThrows(ConfigurationException.class, () -> RunSettings.LOSS_MEAN.parse("mean", "--loss-mean"))
                        .getMessage());
    }

    @Test
    void changesByNameApplyAsTheCommandLineDoes() {
        Plugins plugins = Plugins.discover();
        RunConfig c = new RunConfigChanges(n -> "--" + n)
                .set("optimizer", "sgd")
                .set("lr", "0.1")
                .option("opt", "momentum=0.9")
                .set("hidden", "12")
                .set("update", "per-sequence")
                .set("stateful", "true")
                .applyTo(RunConfig.defaults(), plugins);
        assertEquals(new PluginChoice("sgd", Map.of("lr", "0.1", "momentum", "0.9")), c.optimizer());
        assertEquals(12, c.hidden());
        assertFalse(c.updatePerWindow());
        assertTrue(c.stateful());
        assertEquals(
                List.of("hidden", "optimizer", "updatePerWindow", "stateful"),
                RunConfig.defaults().differences(c));
        // A plugin named anew starts from its own defaults; the base's options belonged to another plugin.
        RunConfig adam = new RunConfigChanges(n -> n).set("optimizer", "adam").applyTo(c, plugins);
        assertEquals(PluginChoice.of("adam"), adam.optimizer());
        String[][] refused = {
            {"loss-opt", "x=1", "--loss-opt needs --loss: the loss is chosen only when one is named"},
            {"opt", "lr=0.2", "--lr and --opt lr= both set 'lr'; give it once"},
        };
        for (String[] r : refused) {
            ConfigurationException e = assertThrows(
                    ConfigurationException.class,
                    () -> new RunConfigChanges(n -> "--" + n)
                            .set("lr", "0.1")
                            .option(r[0], r[1])
                            .applyTo(RunConfig.defaults(), plugins));
            assertTrue(e.getMessage().contains(r[2]), e.getMessage());
        }
        ConfigurationException e = assertThrows(
                ConfigurationException.class,
                () -> new RunConfigChanges(n -> "--" + n).set("k1", "3").applyTo(RunConfig.defaults(), plugins));
        assertEquals(
                "--k1 sets the option 'k1' of the truncation, but 'full' has no such option; its options: none",
                e.getMessage());
    }
}
