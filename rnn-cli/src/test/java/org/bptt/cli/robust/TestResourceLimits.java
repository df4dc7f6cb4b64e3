package org.bptt.cli.robust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bptt.cli.CliRunner;
import org.bptt.training.Network;
import org.bptt.training.plugin.Plugins;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Models that cannot fit, and weights that no decomposition can take. */
final class TestResourceLimits {

    @Test
    void aModelThatDoesNotFitIsRefusedBeforeAnythingIsAllocated(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("big");
        Child c = Child.start(
                tmp.resolve("logs"),
                List.of("-Xmx64m"),
                "train",
                "--quiet",
                "--hidden",
                "3000",
                "--iterations",
                "1",
                "-o",
                dir.toString());
        assertEquals(2, c.exit(120), c.out() + c.err());
        String err = c.err().strip();
        assertEquals(1, err.lines().count(), err);
        Matcher m = Pattern.compile(
                        "rnn train: the model needs about ([0-9.]+) (MB|GB) of memory to train and evaluate \\(hidden size "
                                + "3000, 9\\.0 million parameters, batches of 32 sequences of 40 steps, held-out blocks of 100\\), more than the "
                                + "(\\d+) MB this JVM may use; "
                                + "choose smaller sizes or give the JVM more memory \\(java -Xmx\\)")
                .matcher(err);
        assertTrue(m.matches(), err);
        // At least the parameters and their gradients in floats, 2 · 4 · 9.0e6 bytes, and the JVM's own limit.
        double mb = Double.parseDouble(m.group(1)) * (m.group(2).equals("GB") ? 1024 : 1);
        assertTrue(mb >= 2 * 4 * 9_000_000L >> 20, err);
        // Runtime.maxMemory() of -Xmx64m, less a survivor space with the serial collector.
        assertTrue(Math.abs(Long.parseLong(m.group(3)) - 64) <= 6, err);
        assertFalse(Files.exists(dir), "nothing was written");

        // An ordinary run fits in the same JVM: the estimate does not refuse what works.
        Path small = tmp.resolve("small");
        Child ok = Child.start(
                tmp.resolve("logs"),
                List.of("-Xmx64m"),
                "train",
                "--quiet",
                "--backend",
                "scalar",
                "--hidden",
                "64",
                "--steps",
                "20",
                "--iterations",
                "3",
                "-o",
                small.toString());
        assertEquals(0, ok.exit(120), ok.out() + ok.err());
    }

    @Test
    void theHeldOutEvaluationIsInTheEstimateSoALongRunIsRefusedUpFront(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("long");
        Child c = Child.start(
                tmp.resolve("logs"),
                List.of("-Xmx256m"),
                "train",
                "--quiet",
                "--task",
                "adding",
                "--steps",
                "1000000",
                "--batch",
                "1",
                "--hidden",
                "8",
                "--iterations",
                "1",
                "-o",
                dir.toString());
        assertEquals(2, c.exit(120), c.out() + c.err());
        String err = c.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains("to train and evaluate") && err.contains("held-out blocks of 100"), err);
        assertFalse(Files.exists(dir), "nothing was written, so a resume cannot call it complete");
    }

    @Test
    void analyzeSaysWhenWCannotBeDecomposed(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        assertEquals(
                0,
                CliRunner.run(
                                "train",
                                "--quiet",
                                "--steps",
                                "6",
                                "--hidden",
                                "8",
                                "--iterations",
                                "1",
                                "-o",
                                run.toString())
                        .code);
        Plugins plugins = Plugins.discover();
        for (float v : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.MAX_VALUE}) {
            Network n = Network.load(run, plugins);
            Arrays.fill(n.model().params().get("W").data(), v);
            Path f = tmp.resolve("w-" + v + ".bin");
            n.save(f);
            CliRunner r = CliRunner.run(
                    "analyze", f.toString(), "-o", tmp.resolve("a.html").toString());
            assertEquals(0, r.code, v + ": " + r.err);
            if (Float.isFinite(v)) {
                assertTrue(
                        r.out.contains("spectral radius of W: ")
                                || r.out.contains("no spectral radius: W holds values"),
                        r.out);
            } else {
                assertTrue(
                        r.out.contains("no spectral radius: W holds values that are not finite or too large"), r.out);
            }
        }
    }
}
