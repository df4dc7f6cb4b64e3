package org.bptt.study.figures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

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
            for (Map.Entry<String, String> b : Figures.blocks(Files.readString(doc)).entrySet()) {
                String fresh = FIGURES.measure(b.getKey());
                if (fresh == null) {
                    continue;
                }
                String why = Figures.agree(b.getValue(), fresh);
                assertEquals("", why, doc.getFileName() + ", block " + b.getKey() + " is stale (run tools/figures.sh): " + why
                        + "\nnow:\n" + fresh);
                seen.add(b.getKey());
            }
        }
        assertTrue(seen.containsAll(FIGURES.cheapBlocks()), "every cheap block is claimed somewhere: " + seen);
    }

    @Test
    void theCheckerCatchesADriftedFigureAndAChangedWord() {
        String claimed = "| tanh | ×243 (×200 … ×396) exploding | slope −0.105 |\n";
        assertEquals("", Figures.agree(claimed, "| tanh | ×245 (×199 … ×400) exploding | slope −0.106 |\n"), "within 2%");
        assertFalse(Figures.agree(claimed, "| tanh | ×270 (×200 … ×396) exploding | slope −0.105 |\n").isEmpty(), "11% off");
        assertFalse(Figures.agree(claimed, "| tanh | ×243 (×200 … ×396) undecided | slope −0.105 |\n").isEmpty(), "another word");
        assertFalse(Figures.agree(claimed, "| tanh | ×243 (×200 … ×396) exploding | slope 0.105 |\n").isEmpty(), "the sign");
        assertEquals("", Figures.agree("0.0002", "-0.0004"), "both below the floor");
    }

    @Test
    void rewritingReplacesOnlyTheBlocks() {
        String text = "before\n<!-- figures:examples -->\nold 1\n<!-- /figures:examples -->\nmiddle\n"
                + "<!-- figures:unknown -->\nkept\n<!-- /figures:unknown -->\nafter\n";
        String out = Figures.replace(text, Map.of("examples", "new 2\n"));
        assertEquals("before\n<!-- figures:examples -->\nnew 2\n<!-- /figures:examples -->\nmiddle\n"
                + "<!-- figures:unknown -->\nkept\n<!-- /figures:unknown -->\nafter\n", out);
        assertEquals(Map.of("examples", "new 2\n", "unknown", "kept\n"), Figures.blocks(out));
    }
}
