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
    private static final Pattern BROKEN =
            Pattern.compile("(?<!\\b[ei]\\.)\\w\\.\\R(?!  \\S)\\s*[a-z0-9]|\\w\\R\\s*\\(\\w+=|\\S\\R\\s*/\\w");

    @Test
    void theWrapCheckCatchesTheBreaksPicocliMadeBefore() {
        for (String bad : List.of(
                "adam(lr=0.001, beta1=0.9, beta2=0.\n999, eps=1.0E-8)",
                "spectral(radius=1) uniform\n(scale=1)",
                "(default: analysis.\n                              html beside the checkpoint)",
                "Time the training step that ..\n                         /shared/bench/torch_rnn_step.py times.")) {
            assertTrue(BROKEN.matcher(bad).find(), bad);
        }
        assertTrue(!BROKEN.matcher("the last step.\nThe next sentence\n  csv or jsonl")
                .find());
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
        assertTrue(!SENTENCE_END.matcher(s.get("bench")).find()
                && !SENTENCE_END.matcher(s.get("tune")).find());
        assertTrue(SENTENCE_END.matcher(s.get("plugins")).find());
    }

    private static final Pattern SENTENCE_END = Pattern.compile("[.!?][)\"']?$");

    /**
     * Whether a paragraph of help ends where a sentence does: on '.', '!' or '?' (a closing
     * bracket or quote may follow), and not on an abbreviation that a sentence goes on after
     * ("e.g.", "i.e.", "cf.", "vs."), nor on a trailing "e.g" without its dot, nor on ".." (a path cut
     * by the wrap).
     */
    static boolean endsASentence(String text) {
        String t = text.strip();
        return SENTENCE_END.matcher(t).find() && !t.matches("(?s).*(\\b(e\\.g|i\\.e|cf|vs)\\.?|\\.\\.)$");
    }

    @Test
    void theSentenceCheckCatchesCutParagraphs() {
        for (String bad : List.of(
                "Time the training step that PyTorch's reference script",
                "Train a cell, e.g.",
                "one of the cells (see",
                "the cell, i.e",
                "Time the step that ..")) {
            assertTrue(!endsASentence(bad), bad);
        }
        for (String good : List.of(
                "List every plugin.",
                "Exit code 0 on success, 2 on a bad flag.",
                "(default: 64).",
                "Is it stable?",
                "Say \"done.\"")) {
            assertTrue(endsASentence(good), good);
        }
    }

    /**
     * Every command's model, found from picocli's CommandLine (not a hand list): its summary (the
     * description's first line, which a parent's "Commands:" list shows alone) and its whole
     * description end a sentence, and so does each option's and parameter's description.
     */
    @Test
    void everyDescriptionOfEveryCommandEndsASentence() {
        List<String> cut = new java.util.ArrayList<>();
        java.util.ArrayDeque<CommandLine> todo = new java.util.ArrayDeque<>(List.of(new CommandLine(new Main())));
        int commands = 0;
        while (!todo.isEmpty()) {
            CommandLine c = todo.pop();
            commands++;
            todo.addAll(c.getSubcommands().values().stream()
                    .filter(s -> !s.getCommandName().equals("help"))
                    .toList());
            var spec = c.getCommandSpec();
            // A blank line is spacing; an indented last one is an example to type, which ends the description itself.
            String[] d = java.util.Arrays.stream(spec.usageMessage().description())
                    .filter(l -> !l.isBlank())
                    .toArray(String[]::new);
            String name = spec.qualifiedName();
            if (d.length > 0 && !endsASentence(d[0])) {
                cut.add(name + ": summary '" + d[0] + "'");
            }
            if (d.length > 0 && !d[d.length - 1].startsWith("  ") && !endsASentence(d[d.length - 1])) {
                cut.add(name + ": description ends '" + d[d.length - 1] + "'");
            }
            for (var o : spec.options()) {
                String text = String.join(" ", o.description());
                if (!text.isBlank() && !endsASentence(text)) {
                    cut.add(name + " " + o.longestName() + ": '" + text + "'");
                }
            }
            for (var p : spec.positionalParameters()) {
                String text = String.join(" ", p.description());
                if (!text.isBlank() && !endsASentence(text)) {
                    cut.add(name + " " + p.paramLabel() + ": '" + text + "'");
                }
            }
        }
        assertTrue(commands >= 15, commands + " commands");
        assertTrue(cut.isEmpty(), cut.size() + " help texts cut mid-sentence:\n" + String.join("\n", cut));
    }

    @Test
    void everyCommandsHelpFitsAndNoSummaryOrLineIsCutMidSentence() {
        List<List<String>> all = commands(new CommandLine(new Main()), List.of());
        assertTrue(all.size() >= 14, all.toString());
        for (List<String> c : all) {
            List<String> args = new java.util.ArrayList<>(c);
            args.add("--help");
            // picocli warns on System.err (not the command's writer) when a description is not a valid format string.
            java.io.PrintStream stderr = System.err;
            java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
            CliRunner r;
            try {
                System.setErr(new java.io.PrintStream(warnings, true, java.nio.charset.StandardCharsets.UTF_8));
                r = CliRunner.run(args.toArray(String[]::new));
            } finally {
                System.setErr(stderr);
            }
            String name = "rnn " + String.join(" ", c);
            assertEquals(0, r.code, name + ": " + r.err);
            assertEquals("", warnings.toString(java.nio.charset.StandardCharsets.UTF_8), name + " --help warned");
            assertTrue(r.out.startsWith("Usage: " + name.strip()), name + ": " + r.out);
            for (String line : r.out.lines().toList()) {
                assertTrue(line.length() <= 80, name + ": " + line.length() + " columns: " + line);
            }
            assertTrue(
                    !BROKEN.matcher(r.out).find(),
                    name + " breaks inside a word near: "
                            + (BROKEN.matcher(r.out)
                                    .results()
                                    .map(m -> m.group())
                                    .findFirst()
                                    .orElse("")));
            // A command's summary in its parent's list is its description's first line: it must be a whole sentence.
            summaries(r.out)
                    .forEach((sub, summary) -> assertTrue(
                            SENTENCE_END.matcher(summary).find(),
                            name + " lists " + sub + " with a summary cut mid-sentence: " + summary));
        }
    }

    @Test
    void trainHelpShowsTheDefaultsOfTheConfigurationAndOfEveryPlugin() {
        String help = CliRunner.run("train", "--help").out;
        RunConfig d = RunConfig.defaults();
        for (String expected : List.of(
                "Hidden size H (default: " + d.hidden() + ")",
                "(default: " + d.iterations() + ")",
                "Task plugin (default: " + d.task().name() + ")",
                "Optimizer plugin (default: " + d.optimizer().name() + ")",
                "Sequences per iteration (default: " + d.batch() + ")")) {
            assertTrue(help.contains(expected), "train --help lacks '" + expected + "'");
        }
        // The listing is read from the plugins' own declarations: every option and its default appears.
        Plugins plugins = Plugins.discover();
        for (var f : plugins.families().values()) {
            for (var p : f.all().values()) {
                for (PluginParameter x : p.parameters()) {
                    assertTrue(
                            help.contains(x.name() + "=" + (x.defaultValue() == null ? "required" : x.defaultValue())),
                            p.name() + "." + x.name() + " missing from the listing");
                }
            }
        }
        assertEquals(1, help.lines().filter(l -> l.contains("adam(lr=")).count());
    }
}
