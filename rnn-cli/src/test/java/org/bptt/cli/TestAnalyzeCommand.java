package org.bptt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bptt.training.config.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rnn analyze}: the verdict comes from the measured products, which agree with the vanilla cell's formula. */
final class TestAnalyzeCommand {
    @TempDir
    Path dir;

    /** A network as initialized: one SGD step with a negligible rate leaves W where the initializer put it. */
    private Path initialized(String name, String... init) {
        Path run = dir.resolve(name);
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(
                "train",
                "--quiet",
                "--task",
                "adding",
                "--steps",
                "30",
                "--hidden",
                "16",
                "--optimizer",
                "sgd",
                "--lr",
                "1e-9",
                "--iterations",
                "1",
                "-o",
                run.toString()));
        args.addAll(java.util.List.of(init));
        CliRunner t = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, t.code, t.err);
        return run;
    }

    private static double factor(String out) {
        Matcher m = Pattern.compile("factor per step \\(fitted\\): ([0-9.]+)").matcher(out);
        assertTrue(m.find(), out);
        return Double.parseDouble(m.group(1));
    }

    private static double gain(String out) {
        Matcher m = Pattern.compile("verdict: \\w+ \\(gain over T = 30: ([0-9.e+-]+), 95% interval")
                .matcher(out);
        assertTrue(m.find(), out);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void reluWithScaledIdentityFollowsItsGain() {
        // W = g·I and ReLU: every unit that is on passes the gradient times g, so the products go as g^(T-1-k).
        Path up = initialized("up", "--activation", "relu", "--init", "identity", "--gain", "1.1");
        CliRunner r = CliRunner.run("analyze", up.toString());
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("verdict: exploding"), r.out);
        assertEquals(1.1, factor(r.out), 2e-3);
        assertEquals(Math.pow(1.1, 29), gain(r.out), 1e-3 * Math.pow(1.1, 29));
        assertTrue(r.out.contains("k=  29   1.000e+00"), "the product is the identity at the last step: " + r.out);
        // The independent reference (the formula, in double precision) agrees with the measured norms.
        Matcher ref = Pattern.compile("factor ([0-9.]+) per step; the measured norms agree with it to ([0-9.e-]+)")
                .matcher(r.out);
        assertTrue(ref.find(), r.out);
        assertEquals(factor(r.out), Double.parseDouble(ref.group(1)), 2e-3);
        assertTrue(Double.parseDouble(ref.group(2)) < 1e-4, "measured against formula: " + ref.group(2));

        CliRunner down = CliRunner.run(
                "analyze",
                initialized("down", "--activation", "relu", "--init", "identity", "--gain", "0.9")
                        .toString());
        // 0.9^29 = 0.047: below ×0.1 over the T = 30 steps of the task.
        assertTrue(down.out.contains("verdict: vanishing"), down.out);
        assertEquals(0.9, factor(down.out), 2e-3);
        CliRunner flat = CliRunner.run(
                "analyze",
                initialized("flat", "--activation", "relu", "--init", "identity", "--gain", "1.0")
                        .toString());
        assertTrue(flat.out.contains("verdict: stable"), flat.out);
    }

    @Test
    void tanhBelowOneVanishesAndJsonIsOneObject() throws Exception {
        Path run = initialized("small", "--init", "spectral", "--radius", "0.5");
        CliRunner r = CliRunner.run("analyze", run.toString(), "--json");
        assertEquals(0, r.code, r.err);
        JsonNode o = Json.MAPPER.readTree(r.out);
        assertEquals("vanishing", o.get("verdict").asText());
        assertEquals(0.5, o.get("spectral_radius").asDouble(), 1e-3);
        double f = o.get("factor_per_step").asDouble();
        assertTrue(
                f > 0 && f < 0.5 + 1e-3,
                "tanh's slope is at most 1, so the factor is at most ρ(W) for a normal W: " + f);
        assertEquals(4, o.get("jacobian_norms").size(), "the whole curves of the first four sequences");
        assertEquals(32, o.get("gain_sequences").asInt());
        double gain = o.get("gain").asDouble();
        assertTrue(
                o.get("gain_low").asDouble() <= gain
                        && gain <= o.get("gain_high").asDouble()
                        && o.get("gain_high").asDouble() < 0.1,
                o.toString());
        double lyap = o.get("lyapunov_exponent").asDouble();
        assertTrue(
                o.get("lyapunov_low").asDouble() <= lyap
                        && lyap <= o.get("lyapunov_high").asDouble()
                        && lyap < Math.log(0.5) + 1e-3,
                "tanh's slope is at most 1: λ₁ ≤ ln ρ for a normal W: " + o);
        assertEquals(30, o.get("jacobian_norms").get(0).size());
        assertEquals(f, o.get("reference_factor_per_step").asDouble(), 1e-3 * f);
        assertTrue(o.get("explanation").asText().contains("W itself contracts"), o.toString());
        assertTrue(Files.readString(run.resolve("analysis.html"))
                .contains("Vanishing: over the T = 30 steps of the task the gradient shrinks"));
        assertEquals(1, r.out.strip().lines().count(), "one JSON object on one line");
    }

    @Test
    void badSamplesAreAUsageError() {
        CliRunner r = CliRunner.run("analyze", dir.toString(), "--samples", "0");
        assertEquals(2, r.code);
        assertTrue(r.err.contains("--samples must be between 32 and 256"), r.err);
    }
}
