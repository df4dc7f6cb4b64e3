package org.bptt.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The end-to-end benchmark's recipe under the user's options (its split table: rnn-training's TestEndToEndRun). */
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
}
