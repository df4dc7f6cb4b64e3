package org.bptt.cli.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.bptt.training.IterationMetrics;
import org.junit.jupiter.api.Test;

/** Progress: what a log gets when standard error is not a terminal, and numbers that stay readable. */
final class TestProgress {

    private static IterationMetrics m(long i, double loss, double norm, boolean clipped, boolean skipped) {
        return new IterationMetrics(i, loss, Double.NaN, norm, norm, clipped, Double.NaN, Double.NaN, skipped);
    }

    @Test
    void aLogGetsAPlainLineEveryTenthOfTheRun() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress p = new Progress.Lines(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        List<IterationMetrics> ms = new ArrayList<>();
        p.start(0, 200);
        for (int i = 0; i < 200; i++) {
            ms.add(m(i, 0.5, 2, i % 4 == 0, false));
            p.update(i + 1, ms);
        }
        p.finish();
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(10, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("train  10% 20/200 loss 0.5000 |g| 2.00 clip 25% ETA "), lines.get(0));
        assertTrue(lines.get(9).startsWith("train 100% 200/200 "), lines.get(9));
        assertTrue(lines.stream().noneMatch(l -> l.contains("\r")), "no carriage returns in a log");
    }

    @Test
    void noTimeLeftIsShownUntilItMeansSomethingAndTheWarmUpIsLeftOut() {
        long second = 1_000_000_000L;
        Eta eta = new Eta(0, 1000); // a session of 1000 iterations: 5% of them, 50, must be timed first
        eta.at(1, 80 * second); // the first iteration ends after 80 s of loading and compiling
        for (int done = 2; done <= 50; done++) {
            eta.at(done, 80 * second + (done - 1) * second / 10); // then 0.1 s each
            assertTrue(eta.left().isEmpty(), "an estimate after " + done + " iterations");
            assertEquals("", eta.text());
        }
        eta.at(51, 80 * second + 50 * second / 10);
        // 949 iterations left at the 0.1 s the last 50 took; the warm-up extrapolated would say 75,000 s.
        assertEquals(java.time.Duration.ofMillis(94_900), eta.left().orElseThrow());
        assertEquals(" ETA 95s", eta.text());
    }

    @Test
    void aLogLineBeforeTheEstimateMeansSomethingHasNone() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress p = new Progress.Lines(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        List<IterationMetrics> ms = new ArrayList<>();
        p.start(0, 40); // a line every 4 iterations; an estimate needs 5 timed
        for (int i = 0; i < 8; i++) {
            ms.add(m(i, 0.5, 2, false, false));
            p.update(i + 1, ms);
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(!lines.get(0).contains("ETA"), lines.get(0));
        assertTrue(lines.get(1).contains(" ETA "), lines.get(1));
    }

    @Test
    void skippedAndNonFiniteIterationsDoNotPoisonTheMessage() {
        // What --non-finite skip records: a huge or infinite loss on skipped updates, an infinite norm.
        List<IterationMetrics> ms = List.of(
                m(0, 0.25, 1, false, false),
                m(1, 9.8e22, Double.POSITIVE_INFINITY, false, true),
                m(2, Double.NaN, Double.NaN, false, true),
                m(3, 0.75, 4, true, false));
        assertEquals("loss 0.5000 |g| 2.00 clip 25%", Progress.message(ms));
        assertEquals("loss n/a |g| n/a clip 0%", Progress.message(List.of(m(0, Double.NaN, Double.NaN, false, true))));
    }

    @Test
    void theLauncherDecidesWhetherStandardErrorIsATerminal() {
        String old = System.getProperty("rnn.terminal");
        try {
            System.setProperty("rnn.terminal", "0");
            assertTrue(!Progress.onTerminal());
            assertTrue(Progress.console(System.err) instanceof Progress.Lines);
            System.setProperty("rnn.terminal", "1");
            assertTrue(Progress.onTerminal());
        } finally {
            if (old == null) {
                System.clearProperty("rnn.terminal");
            } else {
                System.setProperty("rnn.terminal", old);
            }
        }
    }
}
