package org.bptt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code plugins}, {@code generate} and help ({@code analyze}: TestAnalyzeCommand). */
final class TestOtherCommands {

    @Test
    void pluginsListsEveryFamilyWithOptionsAndOrigin() {
        CliRunner r = CliRunner.run("plugins");
        assertEquals(0, r.code, r.err);
        for (String name : List.of(
                "vanilla",
                "ce",
                "mse",
                "sgd",
                "adam",
                "rmsprop",
                "adagrad",
                "none",
                "clip-norm",
                "clip-value",
                "full",
                "tbptt",
                "xavier",
                "orthogonal",
                "identity",
                "spectral",
                "uniform",
                "adding",
                "multiplication",
                "temporal-order",
                "copy",
                "sine",
                "text")) {
            assertTrue(
                    Pattern.compile("(?m)^  " + Pattern.quote(name) + " ")
                            .matcher(r.out)
                            .find(),
                    "missing " + name);
        }
        assertTrue(
                r.out.contains("threshold=1  largest global gradient norm let through (a number greater than 0)"),
                r.out);
        assertTrue(
                r.out.contains("from ") && r.out.contains("org.bptt.plugins.gradient.Policies$ClipNormFactory"), r.out);
        assertTrue(r.out.contains("kernel backends: auto, scalar, simd"), r.out);
    }

    @Test
    void generateSamplesFromTheVocabularyAndRefusesOtherModels(@TempDir Path dir) {
        Path run = dir.resolve("lm");
        CliRunner t = CliRunner.run(
                "train",
                "--quiet",
                "--task",
                "text",
                "--steps",
                "20",
                "--hidden",
                "32",
                "--iterations",
                "30",
                "-o",
                run.toString());
        assertEquals(0, t.code, t.err);
        CliRunner g = CliRunner.run("generate", run.toString(), "--length", "40", "--prime", "Alice", "--seed", "3");
        assertEquals(0, g.code, g.err);
        String text = g.out.strip();
        assertTrue(text.startsWith("Alice"), text);
        assertEquals(45, text.codePointCount(0, text.length()), text);
        assertEquals(
                g.out,
                CliRunner.run("generate", run.toString(), "--length", "40", "--prime", "Alice", "--seed", "3").out,
                "the same seed samples the same text");
        CliRunner bad = CliRunner.run("generate", run.toString(), "--prime", "\u2603");
        assertEquals(2, bad.code);
        assertTrue(bad.err.contains("vocabulary does not have"), bad.err);
        CliRunner cold = CliRunner.run("generate", run.toString(), "--temperature", "0");
        assertEquals(2, cold.code);
        assertTrue(cold.err.contains("--temperature must be a number greater than 0"), cold.err);

        Path adding = dir.resolve("adding");
        assertEquals(
                0,
                CliRunner.run("train", "--quiet", "--steps", "5", "--iterations", "1", "-o", adding.toString()).code);
        CliRunner notText = CliRunner.run("generate", adding.toString());
        assertEquals(2, notText.code);
        assertTrue(notText.err.contains("was not trained on the text task"), notText.err);
    }

    @Test
    void everyCommandHasHelpAndUnknownFlagsAreUsageErrors() {
        for (String c : List.of("train", "verify", "analyze", "generate", "plugins", "dashboard")) {
            CliRunner r = CliRunner.run(c, "--help");
            assertEquals(0, r.code, c);
            assertTrue(r.out.contains("Usage: rnn " + c), r.out);
        }
        CliRunner bad = CliRunner.run("train", "--no-such-flag");
        assertEquals(2, bad.code);
        assertTrue(bad.err.contains("Unknown option: '--no-such-flag'"), bad.err);
    }
}
