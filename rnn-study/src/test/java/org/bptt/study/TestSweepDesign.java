package org.bptt.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.config.RunConfig;
import org.bptt.training.config.RunConfigChanges;
import org.bptt.training.eval.EvaluationSettings;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.wiring.PluginChoice;
import org.junit.jupiter.api.Test;

/** A sweep's runs are configured through the schema, as one run's options are. */
final class TestSweepDesign {
    private static final Plugins PLUGINS = Plugins.discover();

    @Test
    void eachRunIsTheSharedChangesWithItsCombinationAndSeed() {
        RunConfigChanges shared =
                new RunConfigChanges(n -> "--" + n).set("lr", "0.05").set("iterations", "7");
        SweepPlan plan = new SweepDesign(n -> "--" + n)
                .vary("optimizer=sgd,adam")
                .vary("hidden=4,8")
                .seeds("1..2")
                .plan(RunConfig.defaults(), shared, "--lr 0.05 --iterations 7", EvaluationSettings.defaults(), PLUGINS);
        assertEquals(8, plan.entries().size());
        assertEquals("sweep of optimizer × hidden (--lr 0.05 --iterations 7)", plan.title());
        PlanEntry e = plan.entries().get(3);
        assertEquals("003-optimizer=sgd-hidden=8-seed=2", e.id());
        // The shared --lr goes to the varied optimizer, which starts from its own defaults.
        RunConfig expected = RunConfig.defaults().toBuilder()
                .optimizer(new PluginChoice("sgd", Map.of("lr", "0.05")))
                .hidden(8)
                .iterations(7)
                .seed(2)
                .build();
        assertEquals(expected, e.config());
        assertEquals(List.of("optimizer", "hidden"), plan.varied());
    }

    @Test
    void aPluginOptionVariesAsOptionsDotKeyAndMistakesAreRefused() {
        SweepPlan plan = new SweepDesign(n -> n)
                .vary("opt.beta2=0.9,0.99")
                .plan(RunConfig.defaults(), new RunConfigChanges(n -> n), "", EvaluationSettings.defaults(), PLUGINS);
        assertEquals(
                new PluginChoice("adam", Map.of("beta2", "0.99")),
                plan.entries().get(1).config().optimizer());
        assertEquals(
                "cannot vary 'seed': give the seeds with seeds; vary a setting by its name, e.g. radius, or a plugin "
                        + "option as OPTIONS.KEY, e.g. opt.beta2",
                assertThrows(ConfigurationException.class, () -> new SweepDesign(n -> n).vary("seed=1,2"))
                        .getMessage());
        assertEquals(
                "--hidden is both varied and set for every run; give it in one place",
                assertThrows(
                                ConfigurationException.class,
                                () -> new SweepDesign(n -> "--" + n)
                                        .vary("hidden=4,8")
                                        .plan(
                                                RunConfig.defaults(),
                                                new RunConfigChanges(n -> "--" + n).set("hidden", "3"),
                                                "",
                                                EvaluationSettings.defaults(),
                                                PLUGINS))
                        .getMessage());
        assertEquals(
                "--hidden must be a whole number at least 1, got '0'",
                assertThrows(
                                ConfigurationException.class,
                                () -> new SweepDesign(n -> "--" + n)
                                        .vary("hidden=0")
                                        .plan(
                                                RunConfig.defaults(),
                                                new RunConfigChanges(n -> "--" + n),
                                                "",
                                                EvaluationSettings.defaults(),
                                                PLUGINS))
                        .getMessage());
    }
}
