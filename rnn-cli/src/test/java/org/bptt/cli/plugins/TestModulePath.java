package org.bptt.cli.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The platform as named modules: the command line started with {@code -m org.bptt.cli} on a
 * module path of its runtime dependencies finds the built-in plugins through the modules'
 * {@code provides}/{@code uses}, loads an outside plugin from a folder, and trains with it.
 */
final class TestModulePath {

    private static String run(Path dir, String... args) throws IOException, InterruptedException {
        String modulePath =
                Files.readString(Path.of("target/runtime-classpath.txt")).strip()
                        + File.pathSeparator
                        + Path.of("target/classes").toAbsolutePath();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(
                java,
                "--add-modules",
                "jdk.incubator.vector",
                "-p",
                modulePath,
                "-m",
                "org.bptt.cli/org.bptt.cli.Main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(3, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), String.join(" ", args) + ":\n" + out);
        return out;
    }

    @Test
    void theCommandLineRunsAsModulesWithBuiltInAndOutsidePlugins(@TempDir Path dir) throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJars.jar("halve", plugins.resolve("halve.jar"), "1.0.0", dir, List.of(PluginJars.API_0_1));
        String list = run(dir, "plugins", "--plugins", plugins.toString());
        assertTrue(list.contains("from platform: org.bptt.plugins"), "built-ins come from the named module: " + list);
        assertTrue(list.contains("from halve 1.0.0 ("), list);
        String train = run(
                dir,
                "train",
                "--quiet",
                "--steps",
                "8",
                "--hidden",
                "8",
                "--batch",
                "8",
                "--iterations",
                "40",
                "--plugins",
                plugins.toString(),
                "--policy",
                "halve",
                "-o",
                dir.resolve("run").toString());
        assertTrue(train.contains("trained 40 iterations"), train);
        List<String> rows = Files.readAllLines(dir.resolve("run/metrics.csv"));
        String[] last = rows.get(rows.size() - 1).split(",");
        assertEquals(
                0.5 * Double.parseDouble(last[3]), Double.parseDouble(last[4]), 1e-5 * Double.parseDouble(last[3]));
    }
}
