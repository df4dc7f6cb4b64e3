package org.bptt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bptt.simd.JvmOptions;
import org.junit.jupiter.api.Test;

/**
 * What users expect of a command line: the build's version, the exit codes in --help, the JVM
 * options for an embedder, and one warning when the SIMD kernels run without their JIT flag.
 */
final class TestConventions {

    @Test
    void versionIsTheBuilds() {
        CliRunner r = CliRunner.run("--version");
        assertEquals(0, r.code, r.err);
        String expected = System.getProperty("rnn.version");
        assertTrue(expected != null && !expected.isBlank(), "the build passes rnn.version (rnn-cli/pom.xml)");
        assertEquals("rnn " + expected, r.out.lines().findFirst().orElse(""));
    }

    @Test
    void helpListsTheExitCodesAndTheEnvironment() {
        CliRunner r = CliRunner.run("--help");
        assertEquals(0, r.code, r.err);
        String codes = r.out.substring(r.out.indexOf("Exit codes:"));
        for (String code : List.of("0", "1", "2", "130", "143")) {
            assertTrue(
                    codes.lines().anyMatch(l -> l.strip().startsWith(code + " ")),
                    "exit code " + code + " in " + codes);
        }
        assertTrue(r.out.contains("NO_COLOR") && r.out.contains("RNN_PLUGINS"), r.out);
    }

    @Test
    void jvmOptionsPrintsTheOneFile() {
        CliRunner r = CliRunner.run("jvm-options");
        assertEquals(0, r.code, r.err);
        assertEquals(String.join(" ", JvmOptions.all()), r.out.strip());
        CliRunner lines = CliRunner.run("jvm-options", "--lines");
        assertEquals(JvmOptions.all(), lines.out.strip().lines().toList());
    }

    /** A JVM with the Vector API but without the CompileCommand: one warning naming it; with it, none. */
    @Test
    void theSimdKernelsWarnOnceWithoutTheirJitFlag() throws IOException, InterruptedException {
        String warning = "the SIMD kernels run 2-4x slower";
        String without = verifyInChild(false);
        assertEquals(1, without.lines().filter(l -> l.contains(warning)).count(), without);
        assertTrue(without.contains("dontinline,org.bptt.simd.internal.SimdKernels::*"), without);
        String with = verifyInChild(true);
        assertEquals(0, with.lines().filter(l -> l.contains(warning)).count(), with);
    }

    private static String verifyInChild(boolean jitFlag) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(JvmOptions.of(JvmOptions.Group.VECTOR, JvmOptions.Group.GUICE));
        if (jitFlag) {
            cmd.addAll(JvmOptions.of(JvmOptions.Group.JIT));
        }
        Path golden = Path.of(System.getProperty("golden.dir", "../golden"));
        cmd.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                "org.bptt.cli.Main",
                "verify",
                "--quiet",
                golden.resolve("last_step_rho09.json").toString()));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out + err);
        return err;
    }
}
