package org.bptt.cli.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bptt.cli.CliRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One plugin reached twice on the plugin path (named with --plugins and bundled in the
 * installation's plugins/ folder): the same name and version loads once; another version of it
 * is still two plugins of one name, refused.
 */
final class TestSamePluginTwice {

    @Test
    void theSameJarInTwoFoldersLoadsOnce(@TempDir Path dir) throws IOException {
        Path built = PluginJars.jar(
                "halve", dir.resolve("built/halve-1.0.0.jar"), "1.0.0", dir, List.of(PluginJars.API_0_1));
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        Files.copy(built, a.resolve("halve-1.0.0.jar"));
        Files.copy(built, b.resolve("halve-1.0.0.jar"));
        String path = a + File.pathSeparator + b;

        CliRunner list = CliRunner.run("plugins", "--plugins", path);
        assertEquals(0, list.code, list.err);
        String outside = list.out.substring(list.out.indexOf("outside plugins"));
        assertEquals(1, outside.lines().filter(l -> l.contains("halve 1.0.0")).count(), list.out);
        assertTrue(
                outside.contains(a.resolve("halve-1.0.0.jar").toString()),
                "the first on the path is the one loaded: " + list.out);

        CliRunner train = CliRunner.run(
                "train",
                "--quiet",
                "--plugins",
                path,
                "--policy",
                "halve",
                "--task",
                "adding",
                "--steps",
                "8",
                "--hidden",
                "8",
                "--batch",
                "8",
                "--iterations",
                "5",
                "--diagnostics-every",
                "5",
                "-o",
                dir.resolve("run").toString());
        assertEquals(0, train.code, train.err);
    }

    @Test
    void twoVersionsOfOnePluginAreRefused(@TempDir Path dir) throws IOException {
        Path one = PluginJars.jar(
                "halve", dir.resolve("a/halve.jar"), "1.0.0", dir.resolve("w1"), List.of(PluginJars.API_0_1));
        Path two = PluginJars.jar(
                "halve", dir.resolve("b/halve.jar"), "2.0.0", dir.resolve("w2"), List.of(PluginJars.API_0_1));
        CliRunner r = CliRunner.run("plugins", "--plugins", one.getParent() + File.pathSeparator + two.getParent());
        assertEquals(2, r.code, r.out);
        assertTrue(
                r.err.contains("two gradient policies are named 'halve'")
                        && r.err.contains("halve 1.0.0")
                        && r.err.contains("halve 2.0.0"),
                r.err);
    }
}
