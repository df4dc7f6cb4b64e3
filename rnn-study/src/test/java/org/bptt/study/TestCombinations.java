package org.bptt.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bptt.api.plugin.ConfigurationException;
import org.junit.jupiter.api.Test;

/** Grids, listed combinations crossed with grids, and random draws from lists and ranges. */
final class TestCombinations {

    private static Map<String, Combinations.Axis> axes(String... keyAndSpec) {
        Map<String, Combinations.Axis> m = new LinkedHashMap<>();
        for (int i = 0; i < keyAndSpec.length; i += 2) {
            m.put(keyAndSpec[i], Combinations.axis(keyAndSpec[i], keyAndSpec[i + 1]));
        }
        return m;
    }

    @Test
    void aGridVariesTheFirstSettingSlowest() {
        assertEquals(
                List.of(
                        Map.of("a", "1", "b", "x"),
                        Map.of("a", "1", "b", "y"),
                        Map.of("a", "2", "b", "x"),
                        Map.of("a", "2", "b", "y")),
                Combinations.grid(axes("a", "1,2", "b", "x,y")));
        assertEquals(List.of(Map.of()), Combinations.grid(Map.of()));
    }

    @Test
    void listedCombinationsAreCrossedWithTheGrid() {
        List<Map<String, String>> c = Combinations.cross(
                List.of(Map.of("act", "relu"), Map.of("act", "tanh")), Combinations.grid(axes("T", "100,150")));
        assertEquals(4, c.size());
        assertEquals(Map.of("act", "tanh", "T", "100"), c.get(2));
        assertThrows(
                ConfigurationException.class,
                () -> Combinations.cross(List.of(Map.of("T", "5")), Combinations.grid(axes("T", "100"))));
    }

    @Test
    void randomDrawsStayInTheirRangesAndRepeatForTheSameSeed() {
        Map<String, Combinations.Axis> a =
                axes("lr", "log:1e-4..1e-2", "hidden", "32..128", "x", "0.5..1.5", "p", "none,clip-norm");
        List<Map<String, String>> d = Combinations.random(a, 200, 7);
        assertEquals(d, Combinations.random(a, 200, 7));
        int below = 0;
        for (Map<String, String> m : d) {
            double lr = Double.parseDouble(m.get("lr"));
            assertTrue(lr >= 1e-4 && lr <= 1e-2, m.toString());
            below += lr < 1e-3 ? 1 : 0;
            int h = Integer.parseInt(m.get("hidden"));
            assertTrue(h >= 32 && h <= 128, m.toString());
            double x = Double.parseDouble(m.get("x"));
            assertTrue(x >= 0.5 && x <= 1.5, m.toString());
            assertTrue(List.of("none", "clip-norm").contains(m.get("p")));
            assertTrue(m.get("x").replace("0.", "").replace(".", "").length() <= 5, "four digits: " + m.get("x"));
        }
        // Log-uniform: half the draws below the geometric middle 1e-3.
        assertTrue(below > 70 && below < 130, below + " of 200 below 1e-3");
    }

    @Test
    void badSpecificationsAreRefused() {
        assertThrows(ConfigurationException.class, () -> Combinations.axis("a", "1,,2"));
        assertThrows(ConfigurationException.class, () -> Combinations.axis("a", "1,1"));
        assertThrows(ConfigurationException.class, () -> Combinations.axis("a", "2..1"));
        assertThrows(ConfigurationException.class, () -> Combinations.axis("a", "log:0..1"));
        assertThrows(ConfigurationException.class, () -> Combinations.axis("a", "log:1,2"));
        assertThrows(ConfigurationException.class, () -> Combinations.grid(axes("a", "0.5..1.5")));
        assertThrows(ConfigurationException.class, () -> Combinations.random(axes("a", "1,2"), 0, 1));
        assertEquals("0.0003162", Combinations.fourDigits(3.16227766e-4));
        assertEquals("1.25", Combinations.fourDigits(1.25));
    }
}
