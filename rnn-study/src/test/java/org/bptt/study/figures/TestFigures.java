package org.bptt.study.figures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bptt.study.experiment.ExperimentResult;
import org.bptt.study.experiment.Scale;
import org.bptt.training.diag.Interval;
import org.bptt.training.plugin.Plugins;
import org.junit.jupiter.api.Test;

/**
 * The README's and docs' cheap figures against a fresh measurement from the current code: a
 * claimed figure that drifted beyond {@link Figures#NOISE} fails here, and tools/figures.sh
 * rewrites it.
 */
final class TestFigures {
    private static final Figures FIGURES = new Figures(Plugins.discover());

    /** README.md and docs/*.md of this repository (the tests run in the module's folder). */
    private static List<Path> documents() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<Path> l = new ArrayList<>();
        l.add(root.resolve("README.md"));
        try (Stream<Path> s = Files.list(root.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(l::add);
        }
        return l;
    }

    @Test
    void everyCheapFigureMatchesAFreshMeasurement() throws IOException {
        List<String> seen = new ArrayList<>();
        for (Path doc : documents()) {
            for (Map.Entry<String, String> b :
                    Figures.blocks(Files.readString(doc)).entrySet()) {
                String fresh = FIGURES.measure(b.getKey());
                if (fresh == null) {
                    continue;
                }
                String why = Figures.agree(b.getValue(), fresh);
                assertEquals(
                        "",
                        why,
                        doc.getFileName() + ", block " + b.getKey() + " is stale (run tools/figures.sh): " + why
                                + "\nnow:\n" + fresh);
                seen.add(b.getKey());
            }
        }
        assertTrue(seen.containsAll(FIGURES.cheapBlocks()), "every cheap block is claimed somewhere: " + seen);
    }

    @Test
    void theCheckerCatchesADriftedFigureAndAChangedWord() {
        String claimed = "| tanh | ×243 (×200 … ×396) exploding | slope −0.105 |\n";
        assertEquals(
                "", Figures.agree(claimed, "| tanh | ×245 (×199 … ×400) exploding | slope −0.106 |\n"), "within 2%");
        assertFalse(
                Figures.agree(claimed, "| tanh | ×270 (×200 … ×396) exploding | slope −0.105 |\n")
                        .isEmpty(),
                "11% off");
        assertFalse(
                Figures.agree(claimed, "| tanh | ×243 (×200 … ×396) undecided | slope −0.105 |\n")
                        .isEmpty(),
                "another word");
        assertFalse(
                Figures.agree(claimed, "| tanh | ×243 (×200 … ×396) exploding | slope 0.105 |\n")
                        .isEmpty(),
                "the sign");
        assertEquals("", Figures.agree("0.0002", "-0.0004"), "both below the floor");
    }

    @Test
    void rewritingReplacesOnlyTheBlocks() {
        String text = "before\n<!-- figures:examples -->\nold 1\n<!-- /figures:examples -->\nmiddle\n"
                + "<!-- figures:unknown -->\nkept\n<!-- /figures:unknown -->\nafter\n";
        String out = Figures.replace(text, Map.of("examples", "new 2\n"));
        assertEquals(
                "before\n<!-- figures:examples -->\nnew 2\n<!-- /figures:examples -->\nmiddle\n"
                        + "<!-- figures:unknown -->\nkept\n<!-- /figures:unknown -->\nafter\n",
                out);
        assertEquals(Map.of("examples", "new 2\n", "unknown", "kept\n"), Figures.blocks(out));
    }

    private static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** The pascanu block from the JSON the experiment prints, through {@link ExperimentResult#toJson}: exact. */
    @Test
    void pascanuBlockIsTheJsonResult() throws IOException {
        ExperimentResult r = new ExperimentResult(
                "pascanu",
                "claim",
                "setup",
                Scale.DEFAULT,
                List.of(
                        row(
                                "steps",
                                50,
                                "policy",
                                "none (plain SGD)",
                                "solved",
                                "0/20",
                                "heldout_accuracy",
                                0.2634,
                                "heldout_accuracy_sd",
                                0.0412,
                                "above_chance",
                                "2/20",
                                "diverged",
                                0L,
                                "clip_rate",
                                0.0,
                                "seconds_per_run",
                                80.0,
                                "fisher_p",
                                0.11532,
                                "fisher_p_opposite",
                                1.0),
                        row(
                                "steps",
                                50,
                                "policy",
                                "clip-norm 1",
                                "solved",
                                "3/20",
                                "heldout_accuracy",
                                0.6071,
                                "heldout_accuracy_sd",
                                0.2949,
                                "above_chance",
                                "15/20",
                                "diverged",
                                0L,
                                "clip_rate",
                                0.4549,
                                "seconds_per_run",
                                81.0,
                                "fisher_p",
                                0.11532,
                                "fisher_p_opposite",
                                1.0)),
                "verdict",
                ExperimentResult.Finding.INCONCLUSIVE,
                "",
                Map.of(),
                892.4,
                "2 cores of a test CPU, Java 25");
        assertEquals("""
                Measured on 2026-12-07 (`./rnn experiment pascanu`, default scale, 892 s on 2 cores of a test CPU, Java 25): **inconclusive**.

                | T | policy | solved | held-out accuracy | above chance (> 0.3) | clip rate |
                | --- | --- | --- | --- | --- | --- |
                | 50 | none (plain SGD) | 0/20 | 0.26 ± 0.04 | 2/20 | 0.00 |
                | 50 | clip-norm 1 | 3/20 | 0.61 ± 0.29 | 15/20 | 0.45 |

                At T = 50, one-sided Fisher exact p = 0.115 on the solved counts (3/20 against 0/20; for the opposite p = 1.000).
                """, Figures.experimentResult(r.toJson(), LocalDate.of(2026, 12, 7)));
    }

    /** The irnn block from a JSON text as `rnn experiment irnn --json` prints it, two lengths: exact. */
    @Test
    void irnnBlockIsTheJsonResult() throws IOException {
        String json = """
                {"experiment":"irnn","claim":"c","setup":"s","scale":"paper","verdict":"v","finding":"reproduced","reproduced":true,
                 "seconds":3600.0,"machine":"m","rows":[
                 {"steps":150,"model":"IRNN (relu, W=I)","learned":"3/3","heldout_mse":0.00123456,"heldout_mse_sd":0.000987,
                  "correct_fraction":0.746,"solved":"1/3","failed":0,"seconds_per_run":1.0,"fisher_p":0.05,"fisher_p_opposite":1.0},
                 {"steps":150,"model":"tanh RNN","learned":"0/3","heldout_mse":0.1564,"heldout_mse_sd":0.015,
                  "correct_fraction":0.16,"solved":"0/3","failed":0,"seconds_per_run":1.0,"fisher_p":0.05,"fisher_p_opposite":1.0},
                 {"steps":300,"model":"IRNN (relu, W=I)","learned":"2/3","heldout_mse":0.02,"heldout_mse_sd":null,
                  "correct_fraction":0.5,"solved":"0/3","failed":1,"seconds_per_run":1.0,"fisher_p":0.2,"fisher_p_opposite":1.0},
                 {"steps":300,"model":"tanh RNN","learned":"0/3","heldout_mse":0.16,"heldout_mse_sd":0.01,
                  "correct_fraction":0.1,"solved":"0/3","failed":0,"seconds_per_run":1.0,"fisher_p":0.2,"fisher_p_opposite":1.0}]}
                """;
        assertEquals("""
                Measured on 2026-01-02 (`./rnn experiment irnn`, paper scale, 3600 s on m): **reproduced**.

                | T | model | learned | held-out MSE | correct (within 0.08) | solved |
                | --- | --- | --- | --- | --- | --- |
                | 150 | IRNN (relu, W=I) | 3/3 | 0.00123 ± 9.87e-4 | 75% | 1/3 |
                | 150 | tanh RNN | 0/3 | 0.156 ± 0.015 | 16% | 0/3 |
                | 300 | IRNN (relu, W=I) | 2/3 | 0.02 ± n/a | 50% | 0/3 |
                | 300 | tanh RNN | 0/3 | 0.16 ± 0.01 | 10% | 0/3 |

                At T = 150, one-sided Fisher exact p = 0.050 on the learned counts (3/3 against 0/3; for the opposite p = 1.000).

                At T = 300, one-sided Fisher exact p = 0.200 on the learned counts (2/3 against 0/3; for the opposite p = 1.000).
                """, Figures.experimentResult(json, LocalDate.of(2026, 1, 2)));
        assertThrows(
                IllegalArgumentException.class,
                () -> Figures.experimentResult(json.replace("\"irnn\"", "\"spectrum\""), LocalDate.of(2026, 1, 2)),
                "no README table for spectrum");
        assertEquals("experiment-irnn", Figures.experimentBlock("irnn"));
    }

    @Test
    void defaultRunParagraphRoundsToTwoDigits() {
        String t = Figures.defaultRunText(8000, 0.0043178, 61.6, "m");
        assertTrue(t.contains("the default run (8000 iterations) ends near 0.0043\n(measured in 62 s on m).\n"), t);
    }

    private static Interval range(double estimate, double low, double high) {
        return new Interval(estimate, low, high, Interval.LEVEL);
    }

    private static Figures.Flow flow(Interval gain, double factor, Interval lyapunov, String verdict) {
        return new Figures.Flow(gain, 100, factor, lyapunov, Double.NaN, Double.NaN, Double.NaN, verdict);
    }

    /** The initialization table from given measurements, one per row: exact, with −∞ and a gain without interval. */
    @Test
    void flowInitTableIsTheMeasurements() {
        Interval l = range(-0.0123, -0.02, -0.005);
        List<Figures.Flow> flows = List.of(
                flow(range(243.4, 200.1, 396.2), 1.0412, range(0.01149, 0.005, 0.02), "exploding"),
                flow(range(29.2, 23.1, 35.4), 1.02, l, "exploding"),
                flow(range(9.93, 8.71, 11.04), 1.0061, range(-9.321e-4, -0.002, 0.001), "undecided"),
                flow(range(0.0912, 0.0823, 0.0971), 0.9672, l, "vanishing"),
                flow(Interval.point(9.8e-31), 0.4921, range(-0.70549, -0.71, -0.70), "vanishing"),
                flow(Interval.point(12527.8), 1.1, Interval.point(Double.NEGATIVE_INFINITY), "exploding"),
                flow(Interval.point(1), 1, Interval.point(3.84e-8), "stable"),
                flow(Interval.point(5.73e-5), 0.8962, range(-0.10536, -0.106, -0.104), "vanishing"));
        assertEquals("""
                | initialization | gain over T (95% interval) | fitted factor | λ₁ | verdict |
                | --- | --- | --- | --- | --- |
                | tanh, Gaussian W at ρ = 1.5 | ×243 (×200 … ×396) | 1.04 | 0.0115 | exploding |
                | tanh, ρ = 1.2 | ×29.2 (×23.1 … ×35.4) | 1.02 | −0.0123 | exploding |
                | tanh, ρ = 1.1 | ×9.93 (×8.71 … ×11) | 1.01 | −9.32e-4 | undecided |
                | tanh, ρ = 1.0 | ×0.0912 (×0.0823 … ×0.0971) | 0.967 | −0.0123 | vanishing |
                | tanh, ρ = 0.5 | ×9.80e-31 | 0.492 | −0.705 | vanishing |
                | ReLU, W = 1.1·I | ×1.25e4 = 1.1^99 | 1.1 | −∞ (see above) | exploding |
                | ReLU, W = I | ×1 | 1 | 3.84e-8 | stable |
                | linear, ρ = 0.9 | ×5.73e-5 | 0.896 | −0.105 = ln 0.9 | vanishing |
                """, Figures.flowInitTableText(flows));
    }

    /** The trained runs' table and its paragraph from given end-of-run measurements: exact. */
    @Test
    void trainedFlowTableIsTheMeasurements() {
        Figures.Flow tanh = new Figures.Flow(
                range(0.1012, 0.0741, 0.1623),
                50,
                0.9093,
                range(-0.1182, -0.1231, -0.1129),
                1.7204,
                0.3412,
                0.0,
                "undecided");
        Figures.Flow irnn = new Figures.Flow(
                range(1.812, 1.523, 1.844),
                50,
                1.0004,
                range(-0.0059, -0.0095, -0.0022),
                1.2711,
                0.0,
                0.6789,
                "stable");
        assertEquals("""
                | run | ρ(W) | fitted factor | e^λ₁ (λ₁, 95% interval) | gain over T (95% interval) | verdict |
                | --- | --- | --- | --- | --- | --- |
                | tanh, Gaussian W at ρ = 1.5 | 1.72 | 0.909 | 0.889 (−0.118, −0.123 … −0.113) | ×0.101 (×0.0741 … ×0.162) | undecided |
                | IRNN (ReLU, W = I) | 1.27 | 1 | 0.994 (−0.0059, −0.0095 … −0.0022) | ×1.81 (×1.52 … ×1.84) | stable |

                The tanh run's ρ(W) grew to 1.72 while its gradient now shrinks about 9% a step (fitted): each
                step multiplies by diag(1 − h²)·W, not W (34% of its unit values saturated). The IRNN keeps its
                factor at 1 with 68% of its unit values off. (Both runs measured in 43 s on m.)
                """, Figures.trainedFlowTableText(tanh, irnn, 42.6, "m"));
    }

    /** README's saturating example from given measurements at the start and the end of the run: exact. */
    @Test
    void saturateExampleIsTheMeasurements() {
        Figures.Flow start = new Figures.Flow(
                range(243, 200, 396), 40, 1.0612, range(0.011, 0.005, 0.02), 1.5, 0.01, 0, "exploding");
        Figures.Flow end = new Figures.Flow(
                range(0.09512, 0.06113, 0.1334),
                40,
                0.8612,
                range(-0.2471, -0.25, -0.24),
                2.4091,
                0.3449,
                0,
                "undecided");
        assertEquals("""
                ```bash
                # ρ(W) > 1 is not enough: tanh with ρ(W) = 1.5 starts growing (×1.06 a step), ρ(W) grows to 2.41,
                # 34% of the unit values saturate, and the flow ends shrinking (×0.861 a step; gain over T = 40
                # ×0.0951, interval ×0.0611 … ×0.133: undecided; λ₁ = −0.247). The report says so, and why.
                ./rnn train --init spectral --radius 1.5 --policy none -o runs/saturate
                ```
                """, Figures.saturateExampleText(start, end));
    }
}
