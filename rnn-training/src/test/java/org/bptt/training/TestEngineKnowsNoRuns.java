package org.bptt.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.bptt.training.config.RunConfig;
import org.bptt.training.run.TrainingRun;
import org.junit.jupiter.api.Test;

/**
 * The layers of docs/architecture.md, read from the compiled classes: the engine ({@code
 * org.bptt.training}) and the configuration it reads ({@code org.bptt.training.config}) refer to
 * no class of the runs ({@code org.bptt.training.run}), so runs are built around the engine and
 * never the other way round. A class file names every class it uses (fields, signatures, calls,
 * casts, lambdas) in its constant pool; javadoc leaves no trace there.
 */
final class TestEngineKnowsNoRuns {
    private static final String RUNS = "org/bptt/training/run/";

    @Test
    void theEngineAndItsConfigurationReferToNoRunClass() throws IOException, URISyntaxException {
        for (Class<?> anchor : List.of(Network.class, RunConfig.class)) {
            List<Path> classes = classesOfPackage(anchor);
            assertTrue(classes.size() >= 5, anchor.getPackageName() + " has only " + classes);
            TreeSet<String> offenders = new TreeSet<>();
            for (Path c : classes) {
                if (mentions(c, RUNS)) {
                    offenders.add(c.getFileName().toString());
                }
            }
            assertEquals(new TreeSet<>(), offenders, anchor.getPackageName() + " refers to " + RUNS);
        }
    }

    /** The check above would see a reference if there were one: runs do refer to the engine and to config. */
    @Test
    void theCheckSeesAReferenceWhereThereIsOne() throws IOException, URISyntaxException {
        Path trainingRun = classFile(TrainingRun.class);
        assertTrue(mentions(trainingRun, "org/bptt/training/Network"));
        assertTrue(mentions(trainingRun, "org/bptt/training/config/RunConfig"));
        assertFalse(mentions(trainingRun, "org/bptt/training/no/SuchClass"));
    }

    private static boolean mentions(Path classFile, String internalName) throws IOException {
        // Constant-pool strings of class names are plain ASCII in the class file's modified UTF-8.
        return new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1).contains(internalName);
    }

    private static Path classFile(Class<?> c) throws URISyntaxException {
        Path root =
                Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        return root.resolve(c.getName().replace('.', '/') + ".class");
    }

    /** Every class file of the package, nested classes included, subpackages not. */
    private static List<Path> classesOfPackage(Class<?> c) throws IOException, URISyntaxException {
        Path dir = classFile(c).getParent();
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".class")).sorted().toList();
        }
    }
}
