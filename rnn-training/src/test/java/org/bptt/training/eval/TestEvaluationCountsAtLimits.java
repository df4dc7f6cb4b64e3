package org.bptt.training.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.bptt.api.plugin.ConfigurationException;
import org.junit.jupiter.api.Test;

/** Held-out counts at the type's limits: refused in one sentence, never wrapped into a small or negative number. */
final class TestEvaluationCountsAtLimits {

    @Test
    void theLargestIntIsRefusedWithTheLimitNamed() {
        ConfigurationException e = assertThrows(
                ConfigurationException.class,
                () -> EvaluationSettings.defaults().withSequences(Integer.MAX_VALUE));
        assertEquals("the number of held-out sequences must be between 1 and 10000000, got 2147483647", e.getMessage());
        assertThrows(
                ConfigurationException.class,
                () -> EvaluationSettings.defaults().withSequences(Integer.MIN_VALUE));
        assertThrows(
                ConfigurationException.class,
                () -> EvaluationSettings.defaults().withSequences(0));
        assertEquals(
                EvaluationSettings.MAX_SEQUENCES,
                EvaluationSettings.defaults()
                        .withSequences(EvaluationSettings.MAX_SEQUENCES)
                        .sequences(),
                "the limit itself is accepted");
    }

    @Test
    void aSavedCountBeyondAnIntIsRefusedNotWrapped() {
        // 2^32 + 1 would read as 1 through asInt().
        ConfigurationException e = assertThrows(
                ConfigurationException.class,
                () -> EvaluationSettings.parse(
                        "{\"every\": 0, \"sequences\": 4294967297, \"seed\": 1, \"required\": null}",
                        "evaluation.json"));
        assertEquals(
                "evaluation.json: evaluation settings need whole numbers 'every', 'sequences' and 'seed' and a number or "
                        + "null 'required'",
                e.getMessage());
        assertEquals(
                7,
                EvaluationSettings.parse("{\"every\": 0, \"sequences\": 7, \"seed\": 1, \"required\": null}", "x")
                        .sequences());
    }
}
