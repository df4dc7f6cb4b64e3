package org.bptt.training.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bptt.api.data.Task;
import org.bptt.training.Network;
import org.bptt.training.config.RunConfig;
import org.bptt.training.plugin.PluginFamily;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.run.Evaluation;
import org.bptt.training.wiring.PluginChoice;
import org.junit.jupiter.api.Test;

/** The held-out result in lines: every measure once, in the evaluation's order, in the caller's number format. */
final class TestHeldOutLines {
    private static final Plugins PLUGINS = Plugins.discover();

    @Test
    void theLinesShowEachMeasureOfTheEvaluation() {
        PluginChoice t = PluginChoice.of("adding").with("steps", "10");
        RunConfig c = RunConfig.defaults().toBuilder().task(t).hidden(4).build();
        Task task = PLUGINS.create(PluginFamily.TASK, t);
        Network net = Network.create(c, task, PLUGINS);
        HeldOutResult r = HeldOutResult.of(
                net, task, EvaluationSettings.defaults().withSequences(64).withSeed(7));
        List<String> lines = r.lines("R", v -> "<" + v + ">");
        Evaluation e = r.evaluation();

        assertEquals(
                "R: " + task.describe() + ", " + net.model().cell().describe() + ", H=4, iteration 0", lines.get(0));
        assertTrue(
                lines.get(1).startsWith("held-out: 64 sequences from a generator training never uses (seed 7), "),
                lines.get(1));
        assertEquals("  loss           <" + e.get("loss") + ">", lines.get(2), "no standard error for the loss");
        List<String> shown = new ArrayList<>();
        for (String line : lines.subList(2, lines.size())) {
            if (line.startsWith("  ")) {
                shown.add(line.strip().split(" ")[0]);
            }
        }
        List<String> expected = new ArrayList<>();
        for (String k : e.metrics().keySet()) {
            if (!k.equals("sequences") && !k.equals("stream_segments") && !k.endsWith("_se")) {
                expected.add(k.replace('_', ' ').split(" ")[0]);
            }
        }
        assertEquals(expected, shown);
        assertTrue(
                lines.contains(String.format(Locale.ROOT, "  success        %s", e.get("success") == 1 ? "yes" : "no")),
                lines.toString());
        assertEquals(
                String.format(
                        Locale.ROOT,
                        "baseline loss: <%s>, memoryless loss: <%s> (%s)",
                        r.baseline(),
                        r.memoryless(),
                        r.learning().words()),
                lines.get(lines.size() - 2));
        assertEquals("criterion: " + r.rule().describe(), lines.get(lines.size() - 1));
    }

    @Test
    void aTextShowsItsStandardErrorsAndItsStreamedMeasure() {
        PluginChoice t = PluginChoice.of("text").with("steps", "10").with("validation", "0.2");
        RunConfig c = RunConfig.defaults().toBuilder().task(t).hidden(4).build();
        Task task = PLUGINS.create(PluginFamily.TASK, t);
        Network net = Network.create(c, task, PLUGINS);
        HeldOutResult r = HeldOutResult.of(
                net, task, EvaluationSettings.defaults().withSequences(32).withStreamSegments(2));
        List<String> lines = r.lines("R", v -> "<" + v + ">");
        Evaluation e = r.evaluation();

        assertTrue(lines.get(1).contains(", and the held-out text once in order (over 2 segments), "), lines.get(1));
        assertTrue(
                lines.contains("  bits per char  <" + e.get("bits_per_char") + "> ± <" + e.get("bits_per_char_se")
                        + "> (standard error)"),
                lines.toString());
        assertTrue(
                lines.contains("  streamed bits per char <" + e.get("stream_bits_per_char") + ">"
                        + (Double.isFinite(e.get("stream_bits_per_char_se"))
                                ? " ± <" + e.get("stream_bits_per_char_se") + "> (standard error)"
                                : "")),
                lines.toString());
        assertTrue(
                lines.contains(String.format(Locale.ROOT, "  accuracy       %.2f%%", 100 * e.get("accuracy"))),
                lines.toString());
    }
}
