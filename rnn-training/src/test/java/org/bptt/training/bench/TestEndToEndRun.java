package org.bptt.training.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The end-to-end benchmark's split table. */
final class TestEndToEndRun {
    @Test
    void theTableGivesEachPartsShareOfTheWholeAndTheRest() throws Exception {
        JsonNode t = new ObjectMapper().readTree("""
                {"total_seconds": 9.5, "startup_seconds": 1.0, "updates": 1500, "steady_ms_per_update": 4.0,
                 "jit_warmup_seconds": 2.0, "peak_rss_bytes": 314572800, "max_heap_bytes": 1073741824,
                 "phases": {"steps": {"seconds": 8.0}, "diagnostics": {"seconds": 0.25}, "evaluation": {"seconds": 0.25},
                            "checkpoints": {"seconds": 0.0}, "metrics": {"seconds": 0.0}, "report": {"seconds": 0.0}}}""");
        String table = EndToEndRun.table(t, 10.0, "a CPU");
        assertTrue(
                table.contains("start-up (JVM start to the first update)") && table.contains("1.00 s   10.0%"), table);
        assertTrue(table.matches("(?s).*steps\\s+8.00 s\\s+80.0%.*"), table);
        assertTrue(table.matches("(?s).*of which JIT warm-up.*2.00 s\\s+20.0%.*"), table);
        assertTrue(table.matches("(?s).*the rest.*0.50 s\\s+5.0%.*"), table);
        assertTrue(table.contains("peak resident memory: 300 MB (heap at most 1024 MB)"), table);
    }
}
