package org.bptt.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bptt.cli.CliRunner;
import org.junit.jupiter.api.Test;

/** {@code rnn bench dashboard}: its flag checks and its help. It times nothing here (no test asserts a time). */
final class TestDashboardBenchCommand {
    @Test
    void aBadCountIsOneSentenceAndExitTwo() {
        CliRunner r = CliRunner.run("bench", "dashboard", "--runs", "0");
        assertEquals(2, r.code, r.err);
        assertTrue(r.err.contains("--runs and --repeat must be at least 1, got 0 and 3"), r.err);
        assertFalse(r.err.contains("Exception"), r.err);
    }

    @Test
    void helpNamesItsFlags() {
        CliRunner r = CliRunner.run("bench", "dashboard", "--help");
        assertEquals(0, r.code, r.err);
        for (String flag : new String[] {"--runs=N", "--folder=DIR", "--repeat=N"}) {
            assertTrue(r.out.contains(flag), r.out);
        }
    }
}
