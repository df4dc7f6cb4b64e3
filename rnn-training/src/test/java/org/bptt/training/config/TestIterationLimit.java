package org.bptt.training.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bptt.api.plugin.ConfigurationException;
import org.junit.jupiter.api.Test;

/** The iteration count at a long's limit: refused with its stated limit, so that start + iterations never overflows. */
final class TestIterationLimit {

    @Test
    void aLongsLimitIsRefusedAndTheLimitItselfAccepted() {
        for (long n : new long[] {Long.MAX_VALUE, RunSettings.MAX_ITERATIONS + 1}) {
            ConfigurationException e = assertThrows(
                    ConfigurationException.class,
                    () -> RunConfig.defaults().toBuilder().iterations(n).build());
            assertTrue(
                    e.getMessage().contains("iterations") && e.getMessage().contains("at most 1000000000000"),
                    e.getMessage());
        }
        assertEquals(
                RunSettings.MAX_ITERATIONS,
                RunConfig.defaults().toBuilder()
                        .iterations(RunSettings.MAX_ITERATIONS)
                        .build()
                        .iterations());
        // The end of a run extended to the limit from any checkpoint below it stays a positive long.
        assertTrue(RunSettings.MAX_ITERATIONS + RunSettings.MAX_ITERATIONS > 0);
    }
}
