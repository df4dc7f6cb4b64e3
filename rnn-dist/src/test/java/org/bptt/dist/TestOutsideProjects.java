package org.bptt.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outside Maven projects built offline against the published repository folder
 * ({@code target/repository}, written by {@code mvn deploy}) alone: the example plugin and the
 * embedding program, each copied out of the repository. rnn's artifacts can only come from that
 * folder: the outside builds get an empty local repository, and the build's own local repository
 * lends them Maven's plugins and third-party jars with its {@code org/bptt} folder left out.
 */
final class TestOutsideProjects {
    @TempDir
    static Path work;

    static Path settings;
    static String version;

    @AfterAll
    static void unlink() throws IOException {
        Installed.removeLinks(work);
    }

    @BeforeAll
    static void repositories() throws IOException {
        version = Installed.property("rnn.version");
        Path published = Path.of(Installed.property("root.dir"), "target/repository");
        assertTrue(
                Files.isDirectory(published.resolve("org/bptt/rnn-api/" + version)),
                "mvn deploy published rnn-api " + version + " into " + published
                        + " (./run-tests and tools/release.sh deploy)");
        Path local = Path.of(Installed.property("maven.local"));
        Path thirdParty = Files.createDirectories(work.resolve("third-party"));
        try (Stream<Path> top = Files.list(local)) {
            for (Path p : top.toList()) {
                if (p.getFileName().toString().equals("org")) {
                    Path org = Files.createDirectories(thirdParty.resolve("org"));
                    try (Stream<Path> s = Files.list(p)) {
                        for (Path q : s.filter(q -> !q.getFileName().toString().equals("bptt"))
                                .toList()) {
                            Files.createSymbolicLink(org.resolve(q.getFileName().toString()), q);
                        }
                    }
                } else if (Files.isDirectory(p)) {
                    Files.createSymbolicLink(thirdParty.resolve(p.getFileName().toString()), p);
                }
            }
        }
        settings = work.resolve("settings.xml");
        Files.writeString(settings, """
                <settings>
                  <localRepository>%s</localRepository>
                  <mirrors>
                    <mirror><id>third-party</id><mirrorOf>*,!rnn</mirrorOf><url>%s</url></mirror>
                  </mirrors>
                  <profiles>
                    <profile>
                      <id>rnn</id>
                      <repositories>
                        <repository><id>rnn</id><url>%s</url><snapshots><enabled>true</enabled></snapshots></repository>
                      </repositories>
                    </profile>
                  </profiles>
                  <activeProfiles><activeProfile>rnn</activeProfile></activeProfiles>
                </settings>
                """.formatted(work.resolve("m2"), thirdParty.toUri(), published.toUri()));
    }

    private static Installed installed;

    /** The distribution, unpacked once for this class. */
    private static synchronized Installed installed() throws IOException, InterruptedException {
        if (installed == null) {
            installed = Installed.unpack(work.resolve("dist"));
        }
        return installed;
    }

    private static Path copy(String project) throws IOException {
        Path from = Path.of(Installed.property("root.dir"), "examples", project);
        Path to = work.resolve(project);
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.filter(p -> !from.relativize(p).toString().startsWith("target"))
                    .toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        return to;
    }

    /** mvn, offline but for file: repositories, with the settings above; tests of the outside project are its own CI's. */
    private static void mavenPackage(Path project) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                "mvn",
                "-B",
                "-q",
                "-o",
                "-Daether.offline.protocols=file",
                "-s",
                settings.toString(),
                "-DskipTests",
                "package"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(project.toFile());
        Map<String, String> env = pb.environment();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        if (Runtime.version().feature() >= 24) {
            env.put("MAVEN_OPTS", "--sun-misc-unsafe-memory-access=allow"); // Maven's own Guava
        }
        Installed.Result r = Installed.run(pb, 600);
        assertEquals(0, r.code(), "the outside build of " + project.getFileName() + " failed: " + r);
    }

    @Test
    void theExamplePluginBuildsAgainstThePublishedRepositoryAndLoadsIntoTheDistribution()
            throws IOException, InterruptedException {
        Path project = copy("gated-cells");
        mavenPackage(project);
        Path jar = project.resolve("target/gated-cells-" + version + ".jar");
        assertTrue(Files.isRegularFile(jar), jar + " was built");
        assertTrue(
                Files.isDirectory(work.resolve("m2/org/bptt/rnn-api/" + version)),
                "rnn-api came from the published folder");

        Installed rnn = installed();
        Installed.Result list = rnn.rnn(work, 120, "plugins", "--plugins", jar.toString());
        assertEquals(0, list.code(), list.toString());
        // The same name and version as the bundled copy: loaded once, from the path given first.
        assertTrue(list.out().contains("from gated-cells " + version + " (" + jar + ")"), list.out());
        assertEquals(
                1,
                list.out().lines().filter(l -> l.startsWith("  gated-cells ")).count(),
                list.out());
        Installed.Result train = rnn.rnn(
                work,
                300,
                "train",
                "--quiet",
                "--plugins",
                jar.toString(),
                "--cell",
                "gru",
                "--steps",
                "10",
                "--hidden",
                "8",
                "--iterations",
                "5",
                "-o",
                work.resolve("run-gru").toString());
        assertEquals(0, train.code(), train.toString());
    }

    /**
     * The embedding program trains the adding problem through the library: after 1500 iterations its
     * held-out error must be well under that of always answering the mean sum.
     */
    @Test
    void theEmbeddingProgramBuildsWithTheBomAndLearns() throws IOException, InterruptedException {
        Path project = copy("embedding");
        mavenPackage(project);
        List<String> cmd = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        // The embedder's way to the JVM options: what the installed rnn jvm-options prints.
        Installed.Result options = installed().rnn(work, 60, "jvm-options");
        assertEquals(0, options.code(), options.toString());
        cmd.addAll(List.of(options.out().strip().split(" ")));
        cmd.addAll(List.of(
                "-cp",
                project.resolve("target/classes") + java.io.File.pathSeparator + project.resolve("target/lib/*"),
                "org.example.embedding.Embedding",
                "1500"));
        Installed.Result r = Installed.run(new ProcessBuilder(cmd).directory(project.toFile()), 300);
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("FINISHED after 1500 iterations"), r.toString());
        Matcher m = Pattern.compile("held-out mse ([0-9.]+), mean-answer mse ([0-9.]+)")
                .matcher(r.out());
        assertTrue(m.find(), r.out());
        assertTrue(Double.parseDouble(m.group(1)) < 0.5 * Double.parseDouble(m.group(2)), r.out());
        // No JVM warning but the incubator notice: none from an old Guava reaching for sun.misc.Unsafe.
        assertTrue(r.err().lines().allMatch(l -> l.contains("incubator")), r.err());
        try (Stream<Path> lib = Files.list(project.resolve("target/lib"))) {
            List<String> guava = lib.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("guava-"))
                    .toList();
            assertEquals(
                    List.of("guava-" + Installed.property("guava.version") + ".jar"),
                    guava,
                    "the pinned Guava reaches an application");
        }
    }
}
