package org.bptt.cli.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.bptt.training.LossMean;
import org.bptt.training.config.RunConfig;
import org.bptt.training.config.RunSetting;
import org.bptt.training.config.RunSettings;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.wiring.PluginChoice;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** The train options are the schema's: one per setting, with its help and default, read as the schema reads them. */
final class TestSettingOptions {
    private static CommandLine train() {
        return new CommandLine(SettingOptions.addTo(CommandSpec.create()));
    }

    @Test
    void everySettingHasAnOptionWithItsHelpAndDefault() {
        CommandSpec spec = train().getCommandSpec();
        String help = train().getUsageMessage().replaceAll("\\s+", " ");
        for (RunSetting<?> s : RunSettings.all()) {
            assertNotNull(spec.findOption("--" + s.name()), s.key());
            String shown = shown(s);
            if (shown != null && !shown.isEmpty()) {
                assertTrue(help.contains("(default: " + shown + ")"), s.key() + " default missing from help");
            }
            if (s.optionsName() != null) {
                assertNotNull(spec.findOption("--" + s.optionsName()), s.optionsName());
            }
        }
        RunSettings.shorthands().forEach(h -> assertNotNull(spec.findOption("--" + h.name()), h.name()));
        assertFalse(help.contains("(default: )"), "an empty default (none) is not shown");
    }

    private static <T> String shown(RunSetting<T> s) {
        return s.show(s.defaultValue());
    }

    @Test
    void optionsMakeTheConfigurationTheSchemaDoes() {
        CommandLine.ParseResult pr = train().parseArgs(
                        "--hidden",
                        "12",
                        "--stateful",
                        "--update",
                        "per-sequence",
                        "--loss-mean",
                        "step",
                        "--optimizer",
                        "sgd",
                        "--lr",
                        "0.1",
                        "--opt",
                        "momentum=0.5",
                        "--eval-every",
                        "5");
        SettingOptions.Parsed p = SettingOptions.read(pr, Plugins.discover());
        RunConfig expected = RunConfig.defaults().toBuilder()
                .hidden(12)
                .stateful(true)
                .updatePerWindow(false)
                .lossMean(LossMean.STEP)
                .optimizer(new PluginChoice("sgd", Map.of("lr", "0.1", "momentum", "0.5")))
                .build();
        assertEquals(expected, p.config());
        assertEquals(5, p.evaluation().every());
        assertFalse(SettingOptions.read(train().parseArgs("--stateful=false"), Plugins.discover())
                .config()
                .stateful());
        assertEquals(
                RunConfig.defaults(),
                SettingOptions.read(train().parseArgs(), Plugins.discover()).config());
    }
}
