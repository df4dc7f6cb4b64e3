package org.bptt.cli.plugins;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds plugin jars for tests as an outside author would: sources under
 * {@code src/test/resources/plugins/NAME} are compiled with javac against a given class path
 * (the rnn-api 0.1.0 baseline jar, say), then packed with their META-INF/services entries
 * (files named {@code services-INTERFACE} beside the sources) and Maven's pom.properties.
 */
final class PluginJars {
    /** The rnn-api jar plugins of rnn 0.1 were compiled against. */
    static final Path API_0_1 =
            Path.of("../rnn-api/compat/rnn-api-0.1.0.jar").toAbsolutePath().normalize();

    private PluginJars() {}

    static Path sources(String name) {
        try {
            return Path.of(PluginJars.class.getResource("/plugins/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Compiles plugin {@code name} against {@code classPath} into classes under {@code work}. */
    static Path compile(String name, Path work, List<Path> classPath) throws IOException {
        Path src = sources(name);
        Path classes = Files.createDirectories(work.resolve("classes-" + name));
        List<String> files;
        try (Stream<Path> s = Files.walk(src)) {
            files = s.filter(p -> p.toString().endsWith(".java"))
                    .map(Path::toString)
                    .toList();
        }
        List<String> args = new ArrayList<>(List.of(
                "--release",
                "21",
                "-d",
                classes.toString(),
                "-proc:none",
                "-classpath",
                String.join(
                        java.io.File.pathSeparator,
                        classPath.stream().map(Path::toString).toList())));
        args.addAll(files);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter log = new StringWriter();
        int code = javac.run(
                null,
                new java.io.PrintStream(OutputStream.nullOutputStream()),
                new java.io.PrintStream(new WriterStream(log)),
                args.toArray(String[]::new));
        if (code != 0) {
            throw new IllegalStateException("javac failed for plugin " + name + ": " + log);
        }
        return classes;
    }

    /** Compiles plugin {@code name} and packs it into {@code jar} with version {@code version}. */
    static Path jar(String name, Path jar, String version, Path work, List<Path> classPath) throws IOException {
        Path classes = compile(name, work, classPath);
        Files.createDirectories(jar.toAbsolutePath().getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            try (Stream<Path> s = Files.walk(classes)) {
                for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                    out.putNextEntry(
                            new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                    out.write(Files.readAllBytes(f));
                    out.closeEntry();
                }
            }
            try (Stream<Path> s = Files.list(sources(name))) {
                for (Path f : s.filter(p -> p.getFileName().toString().startsWith("services-"))
                        .sorted()
                        .toList()) {
                    out.putNextEntry(new JarEntry(
                            "META-INF/services/" + f.getFileName().toString().substring("services-".length())));
                    out.write(Files.readAllBytes(f));
                    out.closeEntry();
                }
            }
            out.putNextEntry(new JarEntry("META-INF/maven/org.example/" + name + "/pom.properties"));
            out.write(("groupId=org.example\nartifactId=" + name + "\nversion=" + version + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }

    /** Bytes to a StringWriter, for javac's diagnostics. */
    private static final class WriterStream extends OutputStream {
        private final StringWriter w;

        WriterStream(StringWriter w) {
            this.w = w;
        }

        @Override
        public void write(int b) {
            w.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            w.write(new String(b, off, len, StandardCharsets.UTF_8));
        }
    }
}
