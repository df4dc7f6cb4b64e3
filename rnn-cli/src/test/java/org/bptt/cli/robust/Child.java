package org.bptt.cli.robust;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bptt.simd.JvmOptions;

/**
 * {@code rnn} in a JVM of its own, with this JVM's class path and Vector API flags (as
 * TestScalarFallback starts one), so that it can be killed, signalled or raced against.
 * Its output goes to files, so that a killed child never blocks on a full pipe.
 */
public final class Child {
    final Process process;
    private final Path out;
    private final Path err;

    private Child(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    public static Child start(Path logs, List<String> jvmOptions, String... args) throws IOException {
        List<String> cmd = command(jvmOptions, args);
        Files.createDirectories(logs);
        Path o = Files.createTempFile(logs, "out", ".txt");
        Path e = Files.createTempFile(logs, "err", ".txt");
        Process p = new ProcessBuilder(cmd)
                .redirectOutput(o.toFile())
                .redirectError(e.toFile())
                .start();
        p.getOutputStream().close();
        return new Child(p, o, e);
    }

    /** The command line of {@code rnn args} in a JVM of its own. */
    static List<String> command(List<String> jvmOptions, String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(JvmOptions.of(JvmOptions.Group.VECTOR, JvmOptions.Group.JIT, JvmOptions.Group.GUICE));
        cmd.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.bptt.cli.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Waits for the end; the exit code. */
    public int exit(long seconds) throws InterruptedException, IOException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("the child did not end within " + seconds + " s: " + out() + err());
        }
        return process.exitValue();
    }

    /** kill -9. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public String out() throws IOException {
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /** Standard error without the JVM's own notice about the incubator module. */
    public String err() throws IOException {
        return Files.readString(err, StandardCharsets.UTF_8)
                .lines()
                .filter(l -> !l.startsWith("WARNING: Using incubator modules"))
                .reduce("", (a, b) -> a + b + "\n");
    }
}
