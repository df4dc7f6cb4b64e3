package org.bptt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;

import org.bptt.api.plugin.PluginParameter;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.run.RunConfig;
import org.junit.jupiter.api.Test;

/** Help texts: defaults from their one source, lines that fit and never break inside a word. */
final class TestHelp {
    /** A line that ends in the middle of a token: "analysis." then "html", "beta2=0." then "999", "uniform" then "(scale". */
    private static final Pattern BROKEN = Pattern.compile("\\w\\.\\R\\s*[a-z0-9]|\\w\\R\\s*\\(\\w+=");

    @Test
    void theWrapCheckCatchesTheBreaksPicocliMadeBefore() {
        for (String bad : List.of("adam(lr=0.001, beta1=0.9, beta2=0.\n999, eps=1.0E-8)", "spectral(radius=1) uniform\n(scale=1)",
                "(default: analysis.\n                              html beside the checkpoint)")) {
            assertTrue(BROKEN.matcher(bad).find(), bad);
        }
        assertTrue(!BROKEN.matcher("the last step.\nThe next sentence\n  csv or jsonl").find());
    }

    @Test
    void everyHelpFitsEightyColumnsAndWrapsBetweenWords() {
        for (String c : List.of("train", "analyze", "dashboard", "generate", "plugins", "verify")) {
            String help = CliRunner.run(c, "--help").out;
            for (String line : help.lines().toList()) {
                assertTrue(line.length() <= 80, c + ": " + line.length() + " columns: " + line);
            }
            assertTrue(!BROKEN.matcher(help).find(), c + " breaks inside a word near: "
                    + (BROKEN.matcher(help).results().map(m -> m.group()).findFirst().orElse("")));
        }
    }

    @Test
    void trainHelpShowsTheDefaultsOfTheConfigurationAndOfEveryPlugin() {
        String help = CliRunner.run("train", "--help").out;
        RunConfig d = RunConfig.defaults();
        for (String expected : List.of("Hidden size H (default: " + d.hidden() + ")", "(default: " + d.iterations() + ")",
                "Task plugin (default: " + d.task().name() + ")", "Optimizer plugin (default: " + d.optimizer().name() + ")",
                "Sequences per iteration (default: " + d.batch() + ")")) {
            assertTrue(help.contains(expected), "train --help lacks '" + expected + "'");
        }
        // The listing is read from the plugins' own declarations: every option and its default appears.
        Plugins plugins = Plugins.discover();
        for (var f : plugins.families().values()) {
            for (var p : f.all().values()) {
                for (PluginParameter x : p.parameters()) {
                    assertTrue(help.contains(x.name() + "=" + (x.defaultValue() == null ? "required" : x.defaultValue())),
                            p.name() + "." + x.name() + " missing from the listing");
                }
            }
        }
        assertEquals(1, help.lines().filter(l -> l.contains("adam(lr=")).count());
    }
}
