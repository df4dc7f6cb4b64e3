package org.bptt.cli.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.bptt.cli.CliRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code rnn check} on a plugin folder whose jar was compiled against rnn-api 0.1.0 (a cell and
 * a policy, resources plugins/shared-state): the three "state in a static field" mistakes fail
 * the instances check, and a cell that allocates per step fails the allocation check with a
 * figure from the fresh JVM, which must find the plugin's jar (it once exited with
 * "at …AllocationProbe.main": the plugin was not on its class path).
 */
final class TestCheckCatchesSharedState {
    @TempDir
    static Path work;

    static Path plugins;

    @BeforeAll
    static void pluginFolder() throws IOException {
        plugins = PluginJars.jar(
                        "shared-state",
                        work.resolve("plugins/shared-state.jar"),
                        "0.1",
                        work,
                        List.of(PluginJars.API_0_1))
                .getParent();
    }

    private static CliRunner check(String plugin, String flaw, String only) {
        return CliRunner.run("check", "--plugins", plugins.toString(), plugin, "--opt", "flaw=" + flaw, "--only", only);
    }

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource({"plain-tanh, static-scratch", "plain-tanh, static-weight", "ema-clip, static-average"})
    void stateInAStaticFieldFailsTheInstancesCheck(String plugin, String flaw) {
        CliRunner r = check(plugin, flaw, "instances-share-no-state");
        assertEquals(1, r.code, r.out + r.err);
        assertTrue(
                r.out.contains("  FAILED instances-share-no-state: instance ") && r.out.contains("a static field?"),
                r.out);
        assertTrue(r.out.endsWith("0 passed, 1 failed\n"), r.out);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"plain-tanh", "ema-clip"})
    void withoutTheFlawTheSamePluginPasses(String plugin) {
        CliRunner r = check(plugin, "none", "instances-share-no-state");
        assertEquals(0, r.code, r.out + r.err);
        assertTrue(
                r.out.contains("  PASSED instances-share-no-state: two instances give the bits each gives alone"),
                r.out);
    }

    @Test
    void aCellAllocatingPerStepIsMeasuredAgainInAFreshJvmThatLoadsThePlugin() {
        CliRunner r = check("plain-tanh", "allocates", "no-allocation-per-step");
        assertEquals(1, r.code, r.out + r.err);
        assertTrue(
                r.out.matches(
                        "(?s).*FAILED no-allocation-per-step: \\d+ bytes per step here and [1-9]\\d* in a fresh JVM.*"),
                r.out);
        CliRunner clean = check("plain-tanh", "none", "no-allocation-per-step");
        assertEquals(0, clean.code, clean.out + clean.err);
        assertTrue(clean.out.contains("  PASSED no-allocation-per-step: 0 bytes per step"), clean.out);
    }
}
