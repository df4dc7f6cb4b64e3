package org.bptt.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The distribution unpacked into an empty folder, and a way to run its bin/rnn as a user with only
 * a Java runtime would: PATH holds a handful of shell tools and no Maven, JAVA_HOME is this JVM's.
 */
final class Installed {
    /** What bin/rnn itself calls; nothing else is on the PATH. */
    private static final List<String> TOOLS =
            List.of("bash", "sed", "dirname", "readlink", "cut", "stty", "tr", "cat", "head");

    final Path home;
    final Path path;

    private Installed(Path home, Path path) {
        this.home = home;
        this.path = path;
    }

    static String property(String name) {
        String v = System.getProperty(name);
        assertTrue(v != null && !v.isBlank(), "the build passes " + name + " (rnn-dist/pom.xml)");
        return v;
    }

    /** Unpacks the tar.gz into {@code into} (an empty folder) and makes the PATH of tools. */
    static Installed unpack(Path into) throws IOException, InterruptedException {
        Path archive = Path.of(property("dist.archive"));
        assertTrue(Files.isRegularFile(archive), "the archive was built before the tests: " + archive);
        Path root = Files.createDirectories(into.resolve("install"));
        Result tar = run(new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", root.toString()), 120);
        assertEquals(0, tar.code, tar.err);
        Path home = root.resolve("rnn-" + property("rnn.version"));
        assertTrue(Files.isExecutable(home.resolve("bin/rnn")), "bin/rnn is there and executable");
        Path bin = Files.createDirectories(into.resolve("tools"));
        for (String t : TOOLS) {
            Path found = which(t);
            Files.createSymbolicLink(bin.resolve(t), found);
        }
        return new Installed(home, bin);
    }

    /**
     * Removes the symbolic links under {@code root} (the PATH of tools, the borrowed repository), so
     * that cleaning up the temporary folder neither follows them nor warns about them.
     */
    static void removeLinks(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (java.util.stream.Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isSymbolicLink).toList()) {
                Files.delete(p);
            }
        }
    }

    private static Path which(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new AssertionError("this machine has no " + tool + " on its PATH");
    }

    /** A process in this installation's environment: PATH of the tools only, JAVA_HOME this JVM's. */
    ProcessBuilder process(Path dir, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", path.toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("HOME", dir.toString());
        env.put("NO_COLOR", "1");
        return pb;
    }

    /** bin/rnn with these arguments, run from {@code dir}. */
    Result rnn(Path dir, int timeoutSeconds, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/rnn").toString()));
        command.addAll(List.of(args));
        return run(process(dir, command), timeoutSeconds);
    }

    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- out\n" + out + "\n--- err\n" + err;
        }
    }

    static Result run(ProcessBuilder pb, int timeoutSeconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile("rnn-dist-out", ".txt");
        Path err = Files.createTempFile("rnn-dist-err", ".txt");
        try {
            Process p =
                    pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError(pb.command() + " did not end within " + timeoutSeconds + " s; its output: "
                        + Files.readString(out, StandardCharsets.UTF_8)
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Result(
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
