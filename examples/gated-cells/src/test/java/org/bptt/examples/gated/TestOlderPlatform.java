package org.bptt.examples.gated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.bptt.api.cell.CellFactory;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.examples.gated.cell.GruCellFactory;
import org.bptt.examples.gated.cell.LstmCellFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * On a platform whose rnn-api predates the gated-cell kernels (the repository keeps the 0.1.0
 * jar as its compatibility baseline), creating a cell fails with one sentence naming the
 * plugin and what it lacks, not with NoSuchMethodError during training. Run in a JVM whose
 * class path has that old jar instead of this build's rnn-api.
 */
final class TestOlderPlatform {

    /** Run in the child JVM: creates both cells and prints what happens. */
    public static void main(String[] args) {
        for (CellFactory f : List.of(new GruCellFactory(), new LstmCellFactory())) {
            try {
                f.create(PluginOptions.empty(f.name()));
                System.out.println(f.name() + ": created");
            } catch (ConfigurationException e) {
                System.out.println(e.getMessage());
            }
        }
    }

    @Test
    void anOlderSpiRefusesTheCellsByName() throws IOException, InterruptedException {
        Path old = Path.of("..", "..", "rnn-api", "compat", "rnn-api-0.1.0.jar");
        Assumptions.assumeTrue(Files.isRegularFile(old), "no baseline jar at " + old.toAbsolutePath());
        Path classes = Path.of("target", "classes");
        Path testClasses = Path.of("target", "test-classes");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = String.join(File.pathSeparator, old.toString(), classes.toString(), testClasses.toString());
        Process p = new ProcessBuilder(java, "-cp", cp, TestOlderPlatform.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        List<String> lines = out.strip().lines().toList();
        assertEquals(2, lines.size(), out);
        assertTrue(lines.get(0).startsWith("gru: this platform's rnn-api lacks Kernels.gruBackward, Kernels.gruUpdate, "
                + "Kernels.multiplyAddElements"), out);
        assertTrue(lines.get(1).startsWith("lstm: this platform's rnn-api lacks Kernels.lstmBackward, Kernels.lstmUpdate"), out);
        // On this build's rnn-api they are created.
        assertEquals("gru", new GruCellFactory().create(PluginOptions.empty("gru")).describe());
        assertEquals("lstm", new LstmCellFactory().create(PluginOptions.empty("lstm")).describe());
    }
}
