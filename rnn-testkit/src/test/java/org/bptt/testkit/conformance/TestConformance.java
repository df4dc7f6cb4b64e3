package org.bptt.testkit.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bptt.api.plugin.ConfigurationException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/**
 * The JUnit entry point authors call: one test per case and backend, passing on the
 * repository's reference cases (computed in float64 by PyTorch, golden/README.md) and failing,
 * with the field named, on a case whose expected value was moved.
 */
final class TestConformance {

    private static Path golden() {
        Path dir = Path.of(System.getProperty("golden.dir", "../golden"));
        assertTrue(Files.isDirectory(dir), "the reference cases are expected in " + dir.toAbsolutePath());
        return dir;
    }

    @Test
    void everyReferenceCasePassesOnEveryBackend() throws Throwable {
        List<DynamicTest> tests = Conformance.tests(golden()).toList();
        int backends = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() ? 2 : 1;
        assertEquals(Conformance.caseFiles(List.of(golden())).size() * backends, tests.size());
        assertTrue(tests.size() >= 11, "expected the 11 vanilla cases at least, got " + tests.size());
        for (DynamicTest t : tests) {
            t.getExecutable().execute();
        }
    }

    @Test
    void aMovedExpectedValueFailsItsTestNamingTheField(@TempDir Path dir) throws IOException {
        String text = Files.readString(golden().resolve("tiny_tanh_mse.json"));
        com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
        var root = (com.fasterxml.jackson.databind.node.ObjectNode) m.readTree(text);
        var expected = (com.fasterxml.jackson.databind.node.ObjectNode) root.get("expected");
        expected.put("loss", expected.get("loss").asDouble() * 1.01); // ten times the 1e-3 tolerance
        Path bad = Files.writeString(dir.resolve("moved.json"), m.writeValueAsString(root));
        for (DynamicTest t : Conformance.tests(bad).toList()) {
            AssertionFailedError e = assertThrows(
                    AssertionFailedError.class, () -> t.getExecutable().execute());
            assertTrue(
                    e.getMessage().contains("1 of ")
                            && e.getMessage().contains("FAIL  tiny_tanh_mse")
                            && e.getMessage().contains("forward.loss"),
                    e.getMessage());
        }
    }

    @Test
    void aMissingCaseFileIsOneSentence(@TempDir Path dir) throws IOException {
        ConfigurationException e = assertThrows(
                ConfigurationException.class, () -> Conformance.caseFiles(List.of(dir.resolve("nowhere.json"))));
        assertEquals(dir.resolve("nowhere.json") + ": no such case file", e.getMessage());
        Files.createDirectories(dir.resolve("empty"));
        e = assertThrows(ConfigurationException.class, () -> Conformance.caseFiles(List.of(dir.resolve("empty"))));
        assertTrue(e.getMessage().startsWith("no case files (*.json) were found in"), e.getMessage());
    }
}
