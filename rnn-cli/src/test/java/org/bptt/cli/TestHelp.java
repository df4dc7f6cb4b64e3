package org.bptt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.bptt.api.plugin.PluginParameter;
import org.bptt.training.config.RunConfig;
import org.bptt.training.plugin.Plugins;
import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/** Help texts: defaults from their one source, lines that fit and never break inside a word. */
final class TestHelp {
    /** A line that ends in the middle of a token (a sentence may end before a command list's next entry, "  bench"; "e.g." may end a line): "analysis." then "html", "beta2=0." then "999", "uniform" then "(scale". */
    private static final Pattern BROKEN = Pattern.compile("(?<!\\b[ei]\\.)\\w\\.\\R(?!  \\S)\\s*[a-z0-9]|\\w\\R\\s*\\(\\w+=");

    @Test
    void theWrapCheckCatchesTheBreaksPicocliMadeBefore() {
        for (String bad : List.of("adam(lr=0.001, beta1=0.9, beta2=0.\n999, eps=1.0E-8)", "spectral(radius=1) uniform\n(scale=1)",
                "(default: analysis.\n                              html beside the checkpoint)")) {
            assertTrue(BROKEN.matcher(bad).find(), bad);
        }
        assertTrue(!BROKEN.matcher("the last step.\nThe next sentence\n  csv or jsonl").find());
    }

    @Test
    void hintsNameTheCommandAsTheLauncherWasTyped() {
        String old = System.getProperty(Main.LAUNCHER_PROPERTY);
        try {
            System.setProperty(Main.LAUNCHER_PROPERTY, "./rnn");
            assertTrue(CliRunner.run("train", "--no-such").err.contains("(see ./rnn train --help)"));
            assertTrue(CliRunner.run("trian").err.contains("(see ./rnn --help)"));
            System.clearProperty(Main.LAUNCHER_PROPERTY);
            assertTrue(CliRunner.run("train", "--no-such").err.contains("(see rnn train --help)"));
        } finally {
            if (old != null) {
                System.setProperty(Main.LAUNCHER_PROPERTY, old);
            }
        }
    }

    /** Every command and subcommand, as the words typed before --help ("train", "sweep collect"). */
    private static List<List<String>> commands(CommandLine c, List<String> path) {
        List<List<String>> all = new java.util.ArrayList<>();
        all.add(path);
        c.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                List<String> p = new java.util.ArrayList<>(path);
                p.add(name);
                all.addAll(commands(sub, p));
            }
        });
        return all;
    }

    /** The summaries of a help's "Commands:" list, each joined from its wrapped lines. */
    static Map<String, String> summaries(String help) {
        Map<String, String> s = new LinkedHashMap<>();
        String current = null;
        boolean inList = false;
        for (String line : help.lines().toList()) {
            if (line.equals("Commands:")) {
                inList = true;
            } else if (inList && line.matches("  \\S+ +\\S.*")) {
                String[] parts = line.strip().split(" +", 2);
                current = parts[0];
                s.put(current, parts[1]);
            } else if (inList && current != null && line.matches(" {4,}\\S.*")) {
                s.merge(current, " " + line.strip(), String::concat);
            } else if (inList) {
                inList = false;
            }
        }
        return s;
    }

    @Test
    void theSummaryCheckCatchesASummaryCutMidSentence() {
        // What rnn --help showed for bench and tune: the first line of a description that went on.
        String help = "Commands:\n  bench       Time the training step that PyTorch's reference script\n"
                + "                times:\n  tune        Measure the settings and cache the fastest, as ATLAS and\n"
                + "  plugins     List every plugin.\n";
        Map<String, String> s = summaries(help);
        assertEquals(List.of("bench", "tune", "plugins"), List.copyOf(s.keySet()));
        assertTrue(!SENTENCE_END.matcher(s.get("bench")).find() && !SENTENCE_END.matcher(s.get("tune")).find());
        assertTrue(SENTENCE_END.matcher(s.get("plugins")).find());
    }

    private static final Pattern SENTENCE_END = Pattern.compile("[.!?][)\"']?$");

    @Test
    void everyCommandsHelpFitsAndNoSummaryOrLineIsCutMidSentence() {
        List<List<String>> all = commands(new CommandLine(new Main()), List.of());
        assertTrue(all.size() >= 14, all.toString());
        for (List<String> c : all) {
            List<String> args = new java.util.ArrayList<>(c);
            args.add("--help");
            CliRunner r = CliRunner.run(args.toArray(String[]::new));
            String name = "rnn " + String.join(" ", c);
            assertEquals(0, r.code, name + ": " + r.err);
            assertTrue(r.out.startsWith("Usage: " + name.strip()), name + ": " + r.out);
            for (String line : r.out.lines().toList()) {
                assertTrue(line.length() <= 80, name + ": " + line.length() + " columns: " + line);
            }
            assertTrue(!BROKEN.matcher(r.out).find(), name + " breaks inside a word near: "
                    + (BROKEN.matcher(r.out).results().map(m -> m.group()).findFirst().orElse("")));
            // A command's summary in its parent's list is its description's first line: it must be a whole sentence.
            summaries(r.out).forEach((sub, summary) -> assertTrue(SENTENCE_END.matcher(summary).find(),
                    name + " lists " + sub + " with a summary cut mid-sentence: " + summary));
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
