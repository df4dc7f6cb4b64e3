package org.bptt.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution as a user meets it: unpacked into an empty folder and run from there with a
 * Java runtime and no Maven, no build, no repository.
 */
final class TestDistribution {
    @TempDir
    static Path work;

    static Installed rnn;
    static String version;

    @AfterAll
    static void unlink() throws IOException {
        Installed.removeLinks(work);
    }

    @BeforeAll
    static void unpack() throws IOException, InterruptedException {
        rnn = Installed.unpack(work);
        version = Installed.property("rnn.version");
    }

    @Test
    void versionFromTheBuildWithNoMavenOnThePath() throws IOException, InterruptedException {
        Installed.Result mvn = Installed.run(
                rnn.process(work, List.of(rnn.path.resolve("bash").toString(), "-c", "command -v mvn")), 30);
        assertNotEquals(0, mvn.code(), "Maven must not be reachable from the test's PATH: " + mvn);
        Installed.Result r = rnn.rnn(work, 60, "--version");
        assertEquals(0, r.code(), r.toString());
        assertEquals("rnn " + version, r.out().lines().findFirst().orElse(""), r.toString());
        assertEquals("", r.err(), "nothing on standard error (no JVM warning): " + r);
    }

    @Test
    void theZipHoldsWhatTheTarballHolds() throws IOException, InterruptedException {
        Installed.Result tar = Installed.run(new ProcessBuilder("tar", "-tzf", Installed.property("dist.archive")), 60);
        assertEquals(0, tar.code(), tar.toString());
        Set<String> inTar =
                new TreeSet<>(tar.out().lines().filter(l -> !l.endsWith("/")).toList());
        Set<String> inZip = new TreeSet<>();
        try (ZipFile zip = new ZipFile(Installed.property("dist.zip"))) {
            zip.stream().filter(e -> !e.isDirectory()).forEach(e -> inZip.add(e.getName()));
        }
        assertEquals(inTar, inZip);
        String top = "rnn-" + version + "/";
        for (String f : List.of(
                "bin/rnn",
                "bin/rnn.cmd",
                "conf/jvm.properties",
                "LICENSE",
                "NOTICE",
                "README.md",
                "CHANGELOG.md",
                "CITATION.cff",
                "completion/rnn_completion",
                "plugins/gated-cells-" + version + ".jar",
                "lib/rnn-cli-" + version + ".jar",
                "docs/writing-a-plugin.md")) {
            assertTrue(inTar.contains(top + f), top + f + " is in the archive");
        }
    }

    /** conf/jvm.properties is the repository's one file, and jvm-options prints every option of it. */
    @Test
    void theJvmOptionsAreTheOneFiles() throws IOException, InterruptedException {
        Path conf = rnn.home.resolve("conf/jvm.properties");
        assertEquals(
                Files.readString(Path.of(
                        Installed.property("root.dir"),
                        "rnn-cpu-simd/src/main/resources/org/bptt/simd/jvm.properties")),
                Files.readString(conf));
        java.util.Properties p = new java.util.Properties();
        try (var in = Files.newInputStream(conf)) {
            p.load(in);
        }
        Set<String> declared = new TreeSet<>();
        p.stringPropertyNames().stream()
                .filter(k -> k.startsWith("rnn.jvm."))
                .forEach(k -> declared.addAll(List.of(p.getProperty(k).split("\\s+"))));
        assertTrue(
                declared.contains("-XX:CompileCommand=dontinline,org.bptt.simd.internal.SimdKernels::*"),
                declared.toString());
        Installed.Result r = rnn.rnn(work, 60, "jvm-options");
        assertEquals(0, r.code(), r.toString());
        assertEquals(declared, new TreeSet<>(List.of(r.out().strip().split(" "))));
    }

    @Test
    void pluginsAndTrainHelpListTheBundledGatedCells() throws IOException, InterruptedException {
        Installed.Result r = rnn.rnn(work, 60, "plugins");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("\n  gru ") && r.out().contains("\n  lstm "), r.out());
        Path jar = rnn.home.resolve("plugins/gated-cells-" + version + ".jar");
        assertTrue(r.out().contains("from gated-cells " + version + " (" + jar + ")"), r.out());
        Installed.Result help = rnn.rnn(work, 60, "train", "--help");
        assertEquals(0, help.code(), help.toString());
        String listed = help.out().substring(help.out().indexOf("Plugins and their defaults"));
        assertTrue(
                Pattern.compile("\\bgru\\b").matcher(listed).find()
                        && Pattern.compile("\\blstm\\b").matcher(listed).find(),
                listed);
    }

    /**
     * The default task (adding) at a size that learns in seconds: 1000 iterations of T = 10, H = 16
     * ended at held-out MSE 0.04-0.08 against the baseline's 0.083 when measured (the engine's verdict
     * "learned"); then an LSTM from plugins/ trains a few iterations on it.
     */
    @Test
    void trainLearnsTheDefaultTaskAndTrainsTheBundledLstm() throws IOException, InterruptedException {
        Installed.Result r = rnn.rnn(
                work,
                300,
                "train",
                "--quiet",
                "--steps",
                "10",
                "--hidden",
                "16",
                "--iterations",
                "1000",
                "-o",
                work.resolve("runs/adding").toString());
        assertEquals(0, r.code(), r.toString());
        Matcher m = Pattern.compile("MSE ([0-9.]+).*baseline ([0-9.]+): learned[:;]")
                .matcher(r.out());
        assertTrue(m.find(), "the run learned: " + r);
        assertTrue(Double.parseDouble(m.group(1)) < Double.parseDouble(m.group(2)), r.out());
        assertTrue(Files.isRegularFile(work.resolve("runs/adding/checkpoint.bin")));
        // A hint names the command as it was typed: this bin/rnn, not the repository's ./rnn.
        Installed.Result again = rnn.rnn(
                work, 60, "train", "--quiet", "-o", work.resolve("runs/adding").toString());
        assertEquals(2, again.code(), again.toString());
        assertTrue(
                again.err().contains("continue it with " + rnn.home.resolve("bin/rnn") + " train --resume "),
                again.err());

        Installed.Result lstm = rnn.rnn(
                work,
                300,
                "train",
                "--quiet",
                "--cell",
                "lstm",
                "--steps",
                "10",
                "--hidden",
                "8",
                "--iterations",
                "5",
                "-o",
                work.resolve("runs/lstm").toString());
        assertEquals(0, lstm.code(), lstm.toString());
    }

    @Test
    void verifyPassesTheReferenceCasesThroughTheBundledPlugins() throws IOException, InterruptedException {
        Path golden = Path.of(Installed.property("root.dir"), "golden");
        List<String> args = new ArrayList<>(List.of("verify", "--quiet"));
        for (Path dir : List.of(golden, golden.resolve("gated"))) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.toString().endsWith(".json")).sorted().forEach(p -> args.add(p.toString()));
            }
        }
        Installed.Result r = rnn.rnn(work, 300, args.toArray(String[]::new));
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().strip().endsWith(" passed, 0 failed"), r.out());
    }

    @Test
    void dashboardAnswersARequestAndStops() throws IOException, InterruptedException {
        Path runs = Files.createDirectories(work.resolve("dashboard-runs"));
        Path log = work.resolve("dashboard.log");
        Process p = rnn.process(
                        work,
                        List.of(rnn.home.resolve("bin/rnn").toString(), "dashboard", runs.toString(), "--port", "0"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            URI uri = null;
            long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            Pattern at = Pattern.compile(" at (http://\\S+) ");
            while (uri == null && System.nanoTime() < end && p.isAlive()) {
                Matcher m = at.matcher(Files.readString(log, StandardCharsets.UTF_8));
                if (m.find()) {
                    uri = URI.create(m.group(1));
                } else {
                    Thread.sleep(200);
                }
            }
            assertTrue(uri != null, "the dashboard said where it listens: " + Files.readString(log));
            HttpResponse<String> page = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(uri)
                                    .timeout(Duration.ofSeconds(30))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("<html") || page.body().contains("<!DOCTYPE"), page.body());
        } finally {
            p.destroy();
            if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void completionLoadsInBash() throws IOException, InterruptedException {
        Path script = rnn.home.resolve("completion/rnn_completion");
        Installed.Result r = Installed.run(
                rnn.process(
                        work,
                        List.of(
                                rnn.path.resolve("bash").toString(),
                                "-c",
                                "source '" + script + "' && complete -p rnn")),
                30);
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("rnn"), r.toString());
        assertTrue(Files.readString(script).contains("jvm-options"), "the script knows every command");
    }
}
