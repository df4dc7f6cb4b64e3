package org.bptt.cli.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bptt.cli.CliRunner;
import org.bptt.cli.robust.Child;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugins that try to end the process or recurse without end: the command exits 1 naming the
 * plugin, with the run left to be started again, never 0 with the work undone. Each runs in a
 * JVM of its own, so that a plugin that is not contained ends that JVM and not the tests'.
 */
final class TestMisbehavingPlugins {
    @TempDir
    static Path work;

    static Path jar;

    @BeforeAll
    static void build() throws IOException {
        jar = PluginJars.jar("exiting", work.resolve("plugins/exiting.jar"), "0.1", work, List.of(PluginJars.API_0_1));
    }

    private static Child train(Path out, String policy, String... jvm) throws IOException {
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
                out.toString(),
                "--plugins",
                jar.toString(),
                "--policy",
                policy));
        return Child.start(work.resolve("logs"), List.of(jvm), args.toArray(String[]::new));
    }

    private static void endsInOneSentenceNamingThePlugin(String policy, String what, String... jvm) throws Exception {
        Path run = work.resolve("run-" + policy);
        Child c = train(run, policy, jvm);
        int code = c.exit(300);
        String err = c.err();
        assertEquals(1, code, policy + ": " + err);
        assertTrue(err.contains("the plugin exiting 0.1 (" + jar + ") " + what), err);
        assertTrue(err.contains("at org.example.exiting.ExitingFactories"), "the plugin's own frame is named: " + err);
        assertTrue(err.contains("it can be started again from its configuration"), err);
        assertEquals(1, err.strip().lines().count(), err);
        assertTrue(Files.isRegularFile(run.resolve("config.json")), "the run can be started again");
    }

    @Test
    void systemExitZeroIsContained() throws Exception {
        endsInOneSentenceNamingThePlugin(
                "exit-zero",
                "failed with SecurityException, \"it called System.exit(0), which a " + "plugin may not do");
    }

    @Test
    void runtimeHaltIsContained() throws Exception {
        endsInOneSentenceNamingThePlugin("halt", "failed with SecurityException, \"it called Runtime.halt(0)");
    }

    @Test
    void anExitThroughAMethodReferenceIsContained() throws Exception {
        endsInOneSentenceNamingThePlugin("exit-ref", "failed with SecurityException, \"it called Runtime.exit(0)");
    }

    @Test
    void theContractCheckerFailsAPluginThatTriesToEndTheProcess() throws Exception {
        Child c = Child.start(work.resolve("logs"), List.of(), "check", "--plugins", jar.toString(), "exit-zero");
        int code = c.exit(600);
        assertEquals(1, code, "a checker that the plugin ended would exit 0: " + c.out() + c.err());
        assertTrue(c.out().contains("FAILED") && c.out().contains("System.exit(0)"), c.out());
        assertTrue(c.out().matches("(?s).*\\n\\d+ passed, [1-9]\\d* failed\\n$"), c.out());
    }

    @Test
    void runawayRecursionIsNamedAsSuch() throws Exception {
        endsInOneSentenceNamingThePlugin(
                "recurse", "recursed without end (StackOverflowError at org.example.exiting", "-Xss512k");
    }

    @Test
    void aThrowingStaticInitializerIsNotCalledAnIncompatibleBuild() throws Exception {
        Path run = work.resolve("run-init");
        CliRunner r = CliRunner.run(
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
                "-o",
                run.toString(),
                "--plugins",
                jar.toString(),
                "--policy",
                "bad-init");
        assertEquals(1, r.code, r.err);
        assertTrue(
                r.err.contains(
                        "failed in a static initializer with NumberFormatException, \"For input string: \"not a number\"\""),
                r.err);
        assertTrue(!r.err.contains("incompatible"), r.err);
    }

    @Test
    void poisonedGradientsBehindAFiniteNormNeverReachTheLastGoodState() throws IOException {
        Path run = work.resolve("run-nan");
        CliRunner r = CliRunner.run(
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
                "-o",
                run.toString(),
                "--plugins",
                jar.toString(),
                "--policy",
                "nan-grads");
        // Its third update is iteration 2, as metrics.csv numbers it: one numbering in every message.
        assertTrue(
                r.out.contains("non-finite gradient at iteration 2")
                        || r.err.contains("non-finite gradient at iteration 2"),
                r.out + r.err);
        Path ckpt = run.resolve("checkpoint.bin");
        org.bptt.training.Network net = org.bptt.training.Network.load(
                org.bptt.training.config.Checkpoint.read(ckpt),
                ckpt.toString(),
                org.bptt.training.plugin.Plugins.load(List.of(jar)));
        int values = 0;
        for (var p : net.model().params()) {
            for (float v : p.data()) {
                assertTrue(Float.isFinite(v), "a non-finite parameter in the last good state: " + p.name());
                values++;
            }
        }
        assertTrue(values > 8 * 8, "the network's parameters were read: " + values);
    }

    @Test
    void aPluginWithoutANameIsRefusedByName() throws IOException {
        Path nameless = PluginJars.jar(
                "nameless", work.resolve("plugins-nameless/nameless.jar"), "0.1", work, List.of(PluginJars.API_0_1));
        CliRunner r = CliRunner.run("plugins", "--plugins", nameless.toString());
        assertEquals(2, r.code, r.err);
        assertTrue(
                r.err.contains("org.example.nameless.NamelessFactory) whose name() is null; every plugin needs a short "
                        + "lower-case name"),
                r.err);
    }
}
