package org.bptt.examples.gated;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.bptt.testkit.conformance.Conformance;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every gated reference case of the repository's golden/gated/, every field, on the scalar and
 * SIMD backends, through the platform's trainer with this plugin's cells (found by
 * ServiceLoader): the test kit's conformance check, the one {@code rnn verify} runs.
 */
final class TestReferenceCases {
    /** The folder of gated cases: the surefire property, else two folders up from the project. */
    private static Path folder() {
        String dir = System.getProperty("golden.dir");
        return (dir != null ? Path.of(dir) : Path.of("..", "..", "golden")).resolve("gated");
    }

    @TestFactory
    Stream<DynamicTest> everyFieldMatches() {
        return Conformance.tests(folder());
    }

    @Test
    void theRepositoryHoldsTheGatedCases() {
        List<Path> files = Conformance.caseFiles(List.of(folder()));
        // gru_small_ce, gru_tbptt_k3, lstm_small_mse, lstm_tbptt_k2_5, lstm_traj_adam at least.
        assertTrue(files.size() >= 5, "found only " + files + " in " + folder().toAbsolutePath());
    }
}
