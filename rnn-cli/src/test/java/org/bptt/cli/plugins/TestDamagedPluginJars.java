package org.bptt.cli.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.bptt.cli.CliRunner;

/**
 * A plugin jar damaged on its way to the plugin folder (bytes flipped or overwritten, cut off,
 * zeroed): listing the plugins and training with the plugin either work or end in one sentence
 * with exit 2, never a stack trace or an "internal error".
 */
final class TestDamagedPluginJars {
    private static Path work;
    private static byte[] jar;
    private static final AtomicInteger fresh = new AtomicInteger();
    private static final AtomicInteger refused = new AtomicInteger();
    private static final AtomicInteger worked = new AtomicInteger();

    @BeforeContainer
    static void build() throws IOException {
        work = Files.createTempDirectory("damaged-jars");
        jar = Files.readAllBytes(
                PluginJars.jar("halve", work.resolve("built/halve.jar"), "1.0.0", work, List.of(PluginJars.API_0_1)));
    }

    @AfterContainer
    static void report() {
        // Both outcomes occur, or the damage tests nothing (when the property ran).
        int all = refused.get() + worked.get();
        assertTrue(all < 50 || (refused.get() > 0 && worked.get() > 0), "worked " + worked + ", refused " + refused);
    }

    record Damage(int kind, double at, int length, int value) {
        byte[] apply(byte[] src) {
            int n = src.length;
            int pos = Math.min(n - 1, (int) (at * n));
            byte[] b = src.clone();
            switch (kind) {
                case 0 -> b[pos] ^= (byte) (1 << (value & 7));
                case 1 -> Arrays.fill(b, pos, Math.min(n, pos + length), (byte) value);
                default -> b = Arrays.copyOf(src, pos);
            }
            return b;
        }
    }

    @Provide
    Arbitrary<Damage> damage() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, 2),
                        Arbitraries.doubles().between(0, 1),
                        Arbitraries.integers().between(1, 32),
                        Arbitraries.integers().between(0, 255))
                .as(Damage::new);
    }

    @Property(tries = 60)
    void aDamagedJarWorksOrIsOneSentence(@ForAll("damage") Damage d) {
        Path dir = work.resolve("p" + fresh.incrementAndGet());
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve("halve.jar"), d.apply(jar));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CliRunner list = CliRunner.run("plugins", "--plugins", dir.toString());
        answer(list, "plugins", dir);
        CliRunner train = trainWith(dir, work.resolve("r" + fresh.get()).toString());
        answer(train, "train", dir);
        (train.code == 0 ? worked : refused).incrementAndGet();
    }

    @Example
    void aLinkageErrorWhileTheReportDescribesThePluginIsOneSentence() {
        // Found by the property: a flipped bit in a name the plugin's describe() links to made a NoSuchMethodError
        // while the report was written, which passed by every handler and ended the JVM with a stack trace.
        aDamagedJarWorksOrIsOneSentence(new Damage(0, 0.19, 6, 7));
    }

    @Example
    void aClassMissingFromThePluginsOwnJarIsNotCalledAnIncompatibleApi() throws IOException {
        // Found by the property: a damaged entry of the plugin's own class read as "built for an incompatible rnn-api".
        Path dir = work.resolve("missing");
        Files.createDirectories(dir);
        String gone = "org/example/halve/HalvePolicyFactory$1.class";
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(jar));
                java.util.zip.ZipOutputStream out =
                        new java.util.zip.ZipOutputStream(Files.newOutputStream(dir.resolve("halve.jar")))) {
            for (java.util.zip.ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (!e.getName().equals(gone)) {
                    out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        CliRunner r = trainWith(dir, work.resolve("missing-run").toString());
        answer(r, "train", dir);
        assertTrue(
                r.err.contains("cannot load its class org.example.halve.HalvePolicyFactory$1")
                        && r.err.contains("the jar is damaged, or a library it needs is missing from its folder"),
                r.err);
    }

    /** A short run that chooses the plugin's policy, with the plugin folder {@code dir}. */
    private static CliRunner trainWith(Path dir, String out) {
        return CliRunner.run(
                "train",
                "--quiet",
                "--plugins",
                dir.toString(),
                "--policy",
                "halve",
                "--task",
                "adding",
                "--steps",
                "4",
                "--hidden",
                "4",
                "--batch",
                "4",
                "--iterations",
                "2",
                "-o",
                out);
    }

    /**
     * Exit 0, or one sentence naming the jar: 2 when the plugin is refused as it loads, 1 when a class
     * of it fails once the run has started (a plugin's failure, as any other).
     */
    private static void answer(CliRunner r, String command, Path dir) {
        assertTrue(r.code == 0 || r.code == 2 || r.code == 1, "exit " + r.code + " for " + command + ": " + r.err);
        assertFalse(r.err.contains("internal error"), r.err);
        assertFalse(r.err.contains("\tat "), "a stack trace: " + r.err);
        if (r.code != 0) {
            String e = r.err.strip();
            assertEquals(1, e.lines().count(), "one line: " + r.err);
            assertTrue(e.startsWith("rnn " + command + ": ") || e.startsWith("rnn: "), e);
            assertTrue(e.contains(dir.toString()), "the message names the jar: " + e);
        }
    }
}
