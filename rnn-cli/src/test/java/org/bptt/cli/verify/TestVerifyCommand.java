package org.bptt.cli.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.bptt.cli.CliRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code rnn verify} over the shared reference cases, and its handling of bad files. */
final class TestVerifyCommand {

    static Path goldenDir() {
        Path dir = Path.of(System.getProperty("golden.dir", "../golden"));
        assertTrue(
                Files.isDirectory(dir),
                "the reference cases are expected in " + dir.toAbsolutePath() + " (the repository's golden/ folder)");
        return dir;
    }

    static List<Path> goldenCases() throws IOException {
        try (Stream<Path> s = Files.list(goldenDir())) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    @ParameterizedTest(name = "backend {0}")
    @ValueSource(strings = {"scalar", "auto"})
    void everyReferenceCasePassesEveryCheck(String backend) throws IOException {
        List<Path> cases = goldenCases();
        assertTrue(cases.size() >= 11, "expected the 11 shared cases, found " + cases.size());
        String[] args = Stream.concat(
                        Stream.of("verify", "--backend", backend),
                        cases.stream().map(Path::toString))
                .toArray(String[]::new);
        CliRunner r = CliRunner.run(args);
        String[] lines = r.out.strip().split("\n");
        String last = lines[lines.length - 1];
        assertTrue(last.matches("\\d+ passed, 0 failed"), r.out + r.err);
        int passed = Integer.parseInt(last.split(" ")[0]);
        assertEquals(lines.length - 1, passed, "one line per check");
        assertTrue(passed >= 300, "every field of every case is checked: " + passed);
        assertEquals(0, r.code, r.err);
        // Each kind of field is really checked, not skipped.
        for (String field : List.of(
                "forward.hidden",
                "grads.W",
                "hidden_grad_norms",
                "spectral_radius_W",
                "clip_norm.grads.W",
                "clip_value.grads.U",
                "truncated.chunk_grads[1].grads.W",
                "truncated.sum.W",
                "trajectory.steps[4].params.W",
                "trajectory.steps[0].loss_before")) {
            assertTrue(r.out.contains(field), "no check of " + field);
        }
    }

    @Test
    void aWrongReferenceValueFails(@TempDir Path dir) throws IOException {
        Path original = goldenDir().resolve("tiny_tanh_mse.json");
        String text = Files.readString(original);
        // Perturb the expected loss by 1%: far outside the 1e-3 tolerance.
        com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode root =
                (com.fasterxml.jackson.databind.node.ObjectNode) m.readTree(text);
        com.fasterxml.jackson.databind.node.ObjectNode exp =
                (com.fasterxml.jackson.databind.node.ObjectNode) root.get("expected");
        exp.put("loss", exp.get("loss").asDouble() * 1.01);
        Path bad = dir.resolve("perturbed.json");
        Files.writeString(bad, m.writeValueAsString(root));
        CliRunner r = CliRunner.run("verify", bad.toString());
        assertEquals(1, r.code);
        assertTrue(r.out.contains("FAIL  tiny_tanh_mse          forward.loss"), r.out);
        assertTrue(r.out.strip().endsWith("1 failed"), r.out);
    }

    @Test
    void anUnknownFieldIsAFailedCheckNotASilentSkip(@TempDir Path dir) throws IOException {
        String text = Files.readString(goldenDir().resolve("tiny_tanh_mse.json"));
        Path f = dir.resolve("extra.json");
        Files.writeString(f, text.replaceFirst("\\{", "{\"mystery_field\": 1, "));
        CliRunner r = CliRunner.run("verify", f.toString());
        assertEquals(1, r.code);
        assertTrue(r.out.contains("mystery_field"), r.out);
    }

    @Test
    void aMalformedFileNamesTheFileAndTheField(@TempDir Path dir) throws IOException {
        String text = Files.readString(goldenDir().resolve("tiny_tanh_mse.json"));
        Path f = dir.resolve("broken.json");
        Files.writeString(f, text.replace("\"hidden\":4", "\"hidden\":5"));
        CliRunner r = CliRunner.run("verify", f.toString());
        assertEquals(2, r.code);
        assertTrue(r.err.contains("broken.json") && r.err.contains("params.U"), r.err);
        assertTrue(!r.err.contains("Exception") && !r.err.contains("\tat "), "no stack trace: " + r.err);
        assertEquals(1, r.err.strip().lines().count(), r.err);
    }

    @Test
    void notJsonAndMissingFilesAreClearErrors(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("garbage.json");
        Files.writeString(f, "{ not json");
        CliRunner r = CliRunner.run("verify", f.toString());
        assertEquals(2, r.code);
        assertTrue(r.err.contains("garbage.json: not valid JSON"), r.err);
        CliRunner missing = CliRunner.run("verify", dir.resolve("nope.json").toString());
        assertEquals(2, missing.code);
        assertTrue(missing.err.contains("nope.json: no such case file"), missing.err);
    }
}
