package org.bptt.testkit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.bptt.api.plugin.PluginOption;
import org.bptt.api.plugin.PluginParameter;
import org.junit.jupiter.api.Test;

/** The corners read from declarations written with each kind of {@link PluginOption} check. */
final class TestOptionCorners {

    @Test
    void rangesGiveTheirEndsAndOpenEndsNone() {
        assertEquals(
                List.of("0.01"),
                OptionCorners.values(
                        PluginOption.number("lr", 1.0, "d").positive().parameter()));
        assertEquals(
                List.of("0.0"),
                OptionCorners.values(
                        PluginOption.number("wd", 0.0, "d").nonNegative().parameter()));
        // [0, 1) with default 0.9: the open end approached by 1% of its distance from the default
        assertEquals(
                List.of("0.0", "0.999"),
                OptionCorners.values(
                        PluginOption.number("beta", 0.9, "d").inRange(0, 1).parameter()));
        assertEquals(
                List.of("0.5", "2.0"),
                OptionCorners.values(PluginOption.number("f", 1.0, "d")
                        .atLeast(0.5)
                        .atMost(2)
                        .parameter()));
        assertEquals(
                List.of("1"),
                OptionCorners.values(
                        PluginOption.integer("k", 4, "d").atLeast(1).parameter()));
        assertEquals(
                List.of("1", "9"),
                OptionCorners.values(
                        PluginOption.integer("k", 4, "d").inRange(1, 10).parameter()));
        assertEquals(
                List.of(),
                OptionCorners.values(PluginOption.number("x", 1.0, "d").parameter()));
    }

    @Test
    void choicesAndFlagsGiveEveryValueAndTextNone() {
        assertEquals(
                List.of("tanh", "relu", "gelu"),
                OptionCorners.values(PluginOption.choice("act", "tanh", "d", "tanh", "relu", "gelu")
                        .parameter()));
        assertEquals(
                List.of("true", "false"),
                OptionCorners.values(PluginOption.flag("on", true, "d").parameter()));
        assertEquals(
                List.of(),
                OptionCorners.values(PluginOption.text("name", "a", "d").parameter()));
        assertEquals(List.of(), OptionCorners.values(new PluginParameter("k1", "4", "an rnn-api 0.1 declaration")));
    }

    @Test
    void eachCornerMovesOneOptionAndKeepsTheGivenOthers() {
        List<PluginParameter> declared = PluginOption.parameters(
                PluginOption.choice("act", "tanh", "d", "tanh", "relu"),
                PluginOption.integer("k", 4, "d").atLeast(1));
        assertEquals(
                List.of(Map.of("act", "relu", "k", "7"), Map.of("k", "1")),
                OptionCorners.corners(declared, Map.of("k", "7")));
    }
}
