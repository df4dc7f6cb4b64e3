package org.bptt.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The end-to-end benchmark's recipe under the user's options, and its split table. */
final class TestEndToEndCommand {
    @Test
    void theUsersOptionsReplaceTheRecipesAndFlagsStayFlags() {
        List<String> kept =
                EndToEndCommand.recipeUnder(List.of("--hidden", "128", "--iterations=3000", "--text", "t.txt"));
        assertFalse(kept.contains("--hidden") || kept.contains("256"), kept.toString());
        assertFalse(kept.contains("--iterations") || kept.contains("1500"), kept.toString());
        assertTrue(kept.contains("--stateful"));
        int k1 = kept.indexOf("--k1");
        assertEquals("64", kept.get(k1 + 1));
        assertEquals("--steps", kept.get(kept.indexOf("--stateful") + 1), "a flag takes no value");
        assertEquals(EndToEndCommand.RECIPE.size() - 4, kept.size());
    }

    @Test
    void theTableGivesEachPartsShareOfTheWholeAndTheRest() throws Exception {
        JsonNode t = new ObjectMapper().readTree("""
                {"total_seconds": 9.5, "startup_seconds": 1.0, "updates": 1500, "steady_ms_per_update": 4.0,
                 "jit_warmup_seconds": 2.0, "peak_rss_bytes": 314572800, "max_heap_bytes": 1073741824,
                 "phases": {"steps": {"seconds": 8.0}, "diagnostics": {"seconds": 0.25}, "evaluation": {"seconds": 0.25},
                            "checkpoints": {"seconds": 0.0}, "metrics": {"seconds": 0.0}, "report": {"seconds": 0.0}}}""");
        String table = EndToEndCommand.table(t, 10.0);
        assertTrue(
                table.contains("start-up (JVM start to the first update)") && table.contains("1.00 s   10.0%"), table);
        assertTrue(table.matches("(?s).*steps\\s+8.00 s\\s+80.0%.*"), table);
        assertTrue(table.matches("(?s).*of which JIT warm-up.*2.00 s\\s+20.0%.*"), table);
        assertTrue(table.matches("(?s).*the rest.*0.50 s\\s+5.0%.*"), table);
        assertTrue(table.contains("peak resident memory: 300 MB (heap at most 1024 MB)"), table);
    }
}
