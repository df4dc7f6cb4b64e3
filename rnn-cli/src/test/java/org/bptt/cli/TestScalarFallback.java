package org.bptt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Without the incubator module the platform still works, on the scalar kernels, after ONE
 * warning that says how to enable SIMD. Runs a real JVM without --add-modules.
 */
final class TestScalarFallback {

    @Test
    void verifyPassesOnScalarKernelsWithOneWarning() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path golden = Path.of(System.getProperty("golden.dir", "../golden"));
        List<String> cmd = new java.util.ArrayList<>(
                List.of(java, "-cp", System.getProperty("java.class.path"), "org.bptt.cli.Main", "verify", "--quiet"));
        try (var s = Files.list(golden)) {
            s.filter(p -> p.toString().endsWith(".json")).sorted().forEach(p -> cmd.add(p.toString()));
        }
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out + err);
        assertTrue(out.strip().endsWith(" passed, 0 failed"), out);
        long warnings =
                err.lines().filter(l -> l.contains("SIMD kernels are off")).count();
        assertEquals(1, warnings, err);
        assertTrue(err.contains("--add-modules jdk.incubator.vector"), "the warning says how to enable SIMD: " + err);
    }
}
