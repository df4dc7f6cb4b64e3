package org.bptt.cli.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bptt.cli.CliRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outside plugins from plugin folders, as an author builds them: a plugin compiled against the
 * rnn-api 0.1.0 jar still loads and trains; each plugin has its own class loader; a broken jar,
 * an incompatible plugin, a duplicate name, a plugin that provides nothing, a missing plugin on
 * resume and a plugin failing at run time each get one sentence naming it.
 */
final class TestPluginFolders {
    @TempDir
    static Path work;

    static Path halveJar;

    @BeforeAll
    static void buildPlugins() throws IOException {
        halveJar = PluginJars.jar("halve", work.resolve("built/halve.jar"), "1.0.0", work, List.of(PluginJars.API_0_1));
    }

    private static Path folderWith(Path dir, Path... jars) throws IOException {
        Files.createDirectories(dir);
        for (Path j : jars) {
            Files.copy(j, dir.resolve(j.getFileName()));
        }
        return dir;
    }

    private static String[] train(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "train",
                "--quiet",
                "--task",
                "adding",
                "--steps",
                "8",
                "--hidden",
                "8",
                "--batch",
                "8",
                "--iterations",
                "30",
                "--diagnostics-every",
                "10",
                "-o",
                out.toString()));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private static void oneSentence(CliRunner r) {
        assertEquals(1, r.err.strip().lines().count(), "one line: " + r.err);
        assertFalse(r.err.contains("\tat ") || r.err.contains("Exception:"), "no stack trace: " + r.err);
    }

    @Test
    void aPluginBuiltAgainstApi01LoadsTrainsAndDoesWhatItSays(@TempDir Path dir) throws IOException {
        Path plugins = folderWith(dir.resolve("plugins"), halveJar);
        CliRunner list = CliRunner.run("plugins", "--plugins", plugins.toString());
        assertEquals(0, list.code, list.err);
        assertTrue(
                list.out.contains("halve") && list.out.contains("from halve 1.0.0 (" + plugins.resolve("halve.jar")),
                list.out);

        Path run = dir.resolve("run");
        CliRunner r = CliRunner.run(
                train(run, "--plugins", plugins.toString(), "--policy", "halve", "--policy-opt", "factor=0.25"));
        assertEquals(0, r.code, r.err);
        List<String> rows = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals(31, rows.size());
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            double before = Double.parseDouble(f[3]);
            double after = Double.parseDouble(f[4]);
            assertEquals(0.25 * before, after, 1e-5 * before, row);
        }
        // The plugin's own check of its option still speaks.
        CliRunner bad = CliRunner.run(train(
                dir.resolve("bad"), "--plugins", plugins.toString(), "--policy", "halve", "--policy-opt", "factor=-1"));
        assertEquals(2, bad.code, bad.err);
        assertTrue(bad.err.contains("halve: option 'factor' must be greater than 0"), bad.err);
        oneSentence(bad);
    }

    @Test
    void eachPluginHasItsOwnClassLoader(@TempDir Path dir) throws IOException {
        Path g1 = PluginJars.jar("greeting-1", dir.resolve("g1/greeting.jar"), "1", dir, List.of());
        Path g2 = PluginJars.jar("greeting-2", dir.resolve("g2/greeting.jar"), "2", dir, List.of());
        Path a = PluginJars.jar(
                "greet-a",
                dir.resolve("a/greet-a.jar"),
                "1.0",
                dir,
                List.of(PluginJars.API_0_1, PluginJars.compile("greeting-1", dir, List.of())));
        Path b = PluginJars.jar(
                "greet-b",
                dir.resolve("b/greet-b.jar"),
                "2.0",
                dir,
                List.of(PluginJars.API_0_1, PluginJars.compile("greeting-2", dir, List.of())));
        Path plugins = dir.resolve("plugins");
        folderWith(plugins.resolve("greet-a"), a, g1);
        folderWith(plugins.resolve("greet-b"), b, g2);
        CliRunner r = CliRunner.run("plugins", "--plugins", plugins.toString());
        assertEquals(0, r.code, r.err);
        // One library, two versions, one JVM: each plugin sees the version in its own folder.
        assertTrue(r.out.matches("(?s).*greet-a +says greeting version one, sees no platform library.*"), r.out);
        assertTrue(r.out.matches("(?s).*greet-b +says greeting version two.*"), r.out);
        assertTrue(r.out.contains("greet-a 1.0 (" + plugins.resolve("greet-a") + " (2 jars))"), r.out);
    }

    @Test
    void brokenIncompatibleDuplicateAndEmptyPluginsAreRefusedByName(@TempDir Path dir) throws IOException {
        Path broken = dir.resolve("broken");
        Files.createDirectories(broken);
        Files.writeString(broken.resolve("broken.jar"), "this is not a zip file");
        CliRunner r1 = CliRunner.run("plugins", "--plugins", broken.toString());
        assertEquals(2, r1.code);
        assertTrue(r1.err.contains(broken.resolve("broken.jar") + " is not a readable jar file"), r1.err);
        oneSentence(r1);

        Path future = PluginJars.jar(
                "future",
                dir.resolve("future/future.jar"),
                "9.0",
                dir,
                List.of(PluginJars.API_0_1, PluginJars.compile("future-api", dir, List.of())));
        CliRunner r2 = CliRunner.run("plugins", "--plugins", future.toString());
        assertEquals(2, r2.code);
        assertTrue(r2.err.contains("plugin " + future + " was built for an incompatible rnn-api"), r2.err);
        assertTrue(r2.err.contains("org/bptt/api/plugin/Novelty"), r2.err);
        oneSentence(r2);

        Path twice = dir.resolve("twice");
        Files.createDirectories(twice);
        Files.copy(halveJar, twice.resolve("halve-a.jar"));
        Files.copy(halveJar, twice.resolve("halve-b.jar"));
        CliRunner r3 = CliRunner.run("train", "--plugins", twice.toString(), "--iterations", "1");
        assertEquals(2, r3.code);
        assertTrue(
                r3.err.contains("two gradient policies are named 'halve'")
                        && r3.err.contains("halve-a.jar")
                        && r3.err.contains("halve-b.jar"),
                r3.err);
        oneSentence(r3);

        Path lib = PluginJars.jar("greeting-1", dir.resolve("lib/greeting.jar"), "1", dir, List.of());
        CliRunner r4 = CliRunner.run("plugins", "--plugins", lib.toString());
        assertEquals(2, r4.code);
        assertTrue(r4.err.contains(lib + " provides no rnn plugin"), r4.err);
        oneSentence(r4);

        CliRunner r5 =
                CliRunner.run("plugins", "--plugins", dir.resolve("nowhere").toString());
        assertEquals(2, r5.code);
        assertTrue(r5.err.contains("plugin path entry " + dir.resolve("nowhere") + " does not exist"), r5.err);
        Files.createDirectories(dir.resolve("empty"));
        CliRunner r6 =
                CliRunner.run("plugins", "--plugins", dir.resolve("empty").toString());
        assertEquals(2, r6.code);
        assertTrue(r6.err.contains("holds no plugin"), r6.err);
    }

    @Test
    void aRunRecordsItsPluginsAndSaysWhichIsMissing(@TempDir Path dir) throws IOException {
        Path plugins = folderWith(dir.resolve("plugins"), halveJar);
        Path run = dir.resolve("run");
        CliRunner t = CliRunner.run(train(run, "--plugins", plugins.toString(), "--policy", "halve"));
        assertEquals(0, t.code, t.err);
        for (String[] cmd : List.of(
                new String[] {"train", "--quiet", "--resume", run.toString(), "--iterations", "40"},
                new String[] {"analyze", run.toString()})) {
            CliRunner r = CliRunner.run(cmd);
            assertEquals(2, r.code, String.join(" ", cmd) + ": " + r.err);
            assertTrue(
                    r.err.contains("the run needs the gradient policy plugin 'halve' (from halve 1.0.0 ("
                            + plugins.resolve("halve.jar") + "))"),
                    r.err);
            oneSentence(r);
        }
        CliRunner resumed = CliRunner.run(
                "train", "--quiet", "--resume", run.toString(), "--iterations", "40", "--plugins", plugins.toString());
        assertEquals(0, resumed.code, resumed.err);
    }

    @Test
    void checkRunsTheTestKitsContractOnOutsidePlugins(@TempDir Path dir) throws IOException {
        // Compiled against today's API (it calls ParameterSet.requireMatching, which rnn-api 0.1 lacks).
        Path meddling = PluginJars.jar(
                "meddling",
                dir.resolve("plugins/meddling.jar"),
                "0.2",
                dir,
                List.of(Path.of("../rnn-api/target/classes").toAbsolutePath()));
        CliRunner r = CliRunner.run("check", "--plugins", meddling.getParent().toString());
        assertEquals(1, r.code, r.out + r.err);
        assertTrue(r.out.contains("gradient policy 'meddling' from meddling 0.2 (" + meddling + "):"), r.out);
        assertTrue(r.out.contains("  FAILED leaves-parameters-alone"), r.out);
        assertTrue(r.out.contains("  PASSED checkpoint-round-trip"), r.out);
        assertTrue(r.out.matches("(?s).*\\n\\d+ passed, [1-9]\\d* failed\\n$"), r.out);

        CliRunner builtIn = CliRunner.run("check", "clip-norm", "--only", "reports-what-it-did");
        assertEquals(0, builtIn.code, builtIn.out + builtIn.err);
        assertTrue(
                builtIn.out.contains("  PASSED reports-what-it-did") && builtIn.out.endsWith("1 passed, 0 failed\n"),
                builtIn.out);

        CliRunner none = CliRunner.run("check");
        assertEquals(2, none.code);
        assertTrue(none.err.contains("no outside plugin to check"), none.err);
        oneSentence(none);
    }

    @Test
    void aPluginFailingAtRunTimeIsNamedInOneSentenceAndExitCode1(@TempDir Path dir) throws IOException {
        Path jar =
                PluginJars.jar("failing", dir.resolve("plugins/failing.jar"), "0.1", dir, List.of(PluginJars.API_0_1));
        CliRunner r = CliRunner.run(train(dir.resolve("run"), "--plugins", jar.toString(), "--policy", "failing"));
        assertEquals(1, r.code, r.err);
        assertTrue(
                r.err.contains(
                        "the plugin failing 0.1 (" + jar + ") failed with IllegalStateException, "
                                + "\"the failing policy's deliberate bug\" at org.example.failing.FailingFactory$1.apply(FailingFactory.java:21)"),
                r.err);
        oneSentence(r);
    }
}
