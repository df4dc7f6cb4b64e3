package org.bptt.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bptt.training.FitResult.Outcome;
import org.bptt.training.diag.GradientFlowVerdict;
import org.bptt.training.run.Evaluation;
import org.bptt.training.run.RunSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestHtmlReport {

    @TempDir
    Path dir;

    @Test
    void explodingRunReportIsSelfContainedAndSaysWhatTheFlowMeasured() throws IOException {
        Path file = dir.resolve("report.html");
        ReportData d = SampleRuns.exploding();
        HtmlReport.write(file, d);

        String html = Files.readString(file, StandardCharsets.UTF_8);
        // No Jacobian products measured (synthetic data): loss, gradient norm, ρ(W), heatmap, eigenvalues.
        assertEquals(HtmlReport.TRAINING_CHARTS - 1, count(html, "<svg"));
        assertNoExternalReferences(html);
        assertFalse(html.contains("<script"), "no scripts");
        String headline = verdictOf(html);
        // The final figure: the mean of the last 5 finite losses (10% of the 58 not skipped), printed as RunSummary
        // prints it.
        double expected = d.metrics().subList(55, 60).stream()
                .mapToDouble(m -> m.loss())
                .average()
                .orElseThrow();
        assertEquals(expected, d.summary().finalLoss(), 1e-12);
        String figure = RunSummary.loss(expected);
        assertTrue(headline.contains("-&gt; " + figure + " (mean training loss of the last 5 iterations)"), headline);
        assertTrue(headline.contains("baseline 0.2500: learned"), headline);
        // The loss chart's caption states the same rule as the headline: no memoryless loss here, so the baseline.
        assertTrue(html.contains("learned when its final loss is under half the loss of the baseline."), html);
        assertEquals(1, count(html, figure), "the final figure appears once, in one form");
        // The last snapshot decides: factor 1.2·(1 + 0.002·55) per step, fitted exactly.
        String flow = flowOf(html);
        // The gain of the last snapshot decides: 1.332^29 ≈ 4100, one curve, so no interval; the fits explain.
        assertTrue(
                flow.startsWith(
                        "Gradient flow at the end: exploding: over the T = 30 steps of the task the gradient grows ×4"),
                flow);
        assertTrue(flow.contains("one curve, no interval, above ×10"), flow);
        assertTrue(flow.contains("‖∂L/∂h_k‖ (full BPTT, measured) at iteration 55 ×1.33 per step (fitted)"), flow);
        assertTrue(flow.contains("iteration 0 ×1.2 per step (fitted)"), flow);
        String facts = factsOf(html);
        for (String f : List.of("ρ(W) went from 1.5 to 1.2", "97% of iterations (58 of 60)")) {
            assertTrue(facts.contains(f), () -> "facts lack '" + f + "': " + facts);
        }
        assertTrue(html.contains("&lt;b&gt;escaped&lt;/b&gt; &amp; &quot;quoted&quot;"), "config is escaped");
        assertEquals(List.of(file), listing(), "only the report, no temp file left");
    }

    @Test
    void vanishingRunSaysVanishingAndNotLearned() throws IOException {
        Path file = dir.resolve("vanishing.html");
        HtmlReport.write(file, SampleRuns.vanishing());

        String html = Files.readString(file);
        assertEquals(HtmlReport.TRAINING_CHARTS - 2, count(html, "<svg"), "no Jacobian products, no clipping");
        assertNoExternalReferences(html);
        assertTrue(verdictOf(html).contains("not learned: no better than the baseline"), verdictOf(html));
        String flow = flowOf(html);
        assertTrue(flow.startsWith("Gradient flow at the end: vanishing: over the T = "), flow);
        assertTrue(flow.contains("W itself contracts"), flow);
        assertTrue(factsOf(html).contains("no clipping"), factsOf(html));
        assertEquals(List.of(file), listing());
    }

    @Test
    void divergedRunIsReportedUpToTheDivergenceAndMarked() throws IOException {
        ReportData e = SampleRuns.exploding();
        List<org.bptt.training.IterationMetrics> upTo = e.metrics().subList(0, 41);
        ReportData d = SampleRuns.data(
                "diverged",
                Map.of(),
                upTo,
                1.0,
                0.25,
                e.flow().subList(0, 9),
                e.spectrumStart(),
                null,
                Outcome.DIVERGED,
                List.of());
        String html = HtmlReport.render(d);
        assertTrue(html.contains("<p class=\"alert\">This run diverged at iteration 41"), html);
        assertTrue(verdictOf(html).startsWith("Diverged after 41 iterations"), verdictOf(html));
        // The line is drawn on the loss and accuracy panels, the gradient-norm, clipping and ρ(W) charts.
        assertEquals(5, count(html, ">diverged at iteration 41<"));
        String interrupted = HtmlReport.render(SampleRuns.data(
                "stopped", Map.of(), upTo, 1.0, 0.25, List.of(), null, null, Outcome.INTERRUPTED, List.of()));
        assertTrue(interrupted.contains("This run was interrupted at iteration 41 of 60"), interrupted);
    }

    @Test
    void cellWithoutASingleWShowsNoSpectrumAndSaysWhy() {
        ReportData e = SampleRuns.exploding();
        ReportData d = SampleRuns.data(
                "gated", Map.of(), e.metrics(), 1.0, 0.25, e.flow(), null, null, Outcome.FINISHED, List.of());
        assertFalse(d.singleW());
        String html = HtmlReport.render(d);
        assertTrue(html.contains(Page.esc(HtmlReport.NO_W)), "says why there is no ρ(W)");
        assertEquals(4, count(html, "<svg"), "loss, gradient norm, clipping, heatmap");
        assertFalse(html.contains("Spectral radius and norm"), "no ρ(W) chart");
        assertTrue(flowOf(html).contains("no single recurrent matrix W"), flowOf(html));
    }

    @Test
    void heldOutEvaluationsFromAHandMadeHistoryAreDrawnAndGiveTheFinalFigure() throws IOException {
        // diagnostics.json as the held-out evaluation writes it: both record shapes are read.
        Path diag = dir.resolve("diagnostics.json");
        Files.writeString(diag, """
                {"format": 2, "metrics": [], "gradient_flow": [],
                 "evaluations": [
                   {"iteration": 20, "metrics": {"loss": 0.2, "bits_per_char": 3.1, "perplexity": 8.6}},
                   {"iteration": 40, "loss": 0.1, "bits_per_char": 2.4, "perplexity": 5.3},
                   {"iteration": 59, "metrics": {"loss": 0.07, "bits_per_char": 2.0, "perplexity": 4.0}}]}""");
        List<Evaluation> evals = Evaluation.read(diag);
        assertEquals(3, evals.size());
        assertEquals(2.4, evals.get(1).metrics().get("bits_per_char"));
        ReportData e = SampleRuns.exploding();
        ReportData d = SampleRuns.data(
                "text",
                Map.of(),
                e.metrics(),
                1.0,
                0.25,
                e.flow(),
                e.spectrumStart(),
                e.spectrumEnd(),
                Outcome.FINISHED,
                evals);
        assertEquals(0.07, d.summary().finalLoss());
        String html = HtmlReport.render(d);
        assertTrue(verdictOf(html).contains("-&gt; 0.07000 (held-out loss at iteration 59)"), verdictOf(html));
        assertTrue(verdictOf(html).contains("learned"), verdictOf(html));
        assertEquals(HtmlReport.TRAINING_CHARTS, count(html, "<svg"), "the held-out metrics chart is added");
        assertTrue(html.contains("held-out loss"), "held-out curve on the loss chart");
        assertTrue(html.contains("Held-out bits per character"), "bits per character chart");
        assertTrue(html.contains("bits per char") && html.contains("perplexity"), "its legend names the metrics");
        assertEquals(List.of(), Evaluation.read(dir.resolve("absent.json")));
    }

    @Test
    void rewritingReplacesTheWholeFile() throws IOException {
        Path file = dir.resolve("r.html");
        Files.writeString(file, "old content that is not a report");
        HtmlReport.write(file, SampleRuns.vanishing());
        String html = Files.readString(file);
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.strip().endsWith("</html>"));
        assertFalse(html.contains("old content"));
        assertEquals(List.of(file), listing());
    }

    @Test
    void emptyRunStillRendersEveryChart() throws IOException {
        Path file = dir.resolve("empty.html");
        HtmlReport.write(
                file,
                SampleRuns.data(
                        "empty", Map.of(), List.of(), Double.NaN, Double.NaN, List.of(), null, null, null, List.of()));
        String html = Files.readString(file);
        assertEquals(3, count(html, "<svg"));
        // Not "in progress": a report of a checkpoint outlives its process; outcome.json says whether it still runs.
        assertTrue(verdictOf(html).startsWith("At iteration 0 of 60; loss n/a -&gt; n/a"), verdictOf(html));
    }

    @Test
    void analysisReportShowsTheMeasuredVerdict() throws IOException {
        Path file = dir.resolve("analysis.html");
        double[][] j = SampleRuns.jacobians(4, 0.8);
        double[] gains = java.util.Arrays.stream(j).mapToDouble(r -> r[0]).toArray();
        GradientFlowVerdict v = GradientFlowVerdict.of(
                GradientFlowVerdict.Gain.of("gain", gains, j[0].length, true, 1),
                List.of(GradientFlowVerdict.Fit.of("‖∂h_T/∂s_k‖", j)),
                null,
                1.2,
                1.5,
                true,
                null);
        HtmlReport.writeAnalysis(
                file,
                new AnalysisData(
                        "analysis of W", SampleRuns.config("none"), SampleRuns.circle(1.2), j, v, "Trained weights."));
        String html = Files.readString(file);
        assertEquals(HtmlReport.ANALYSIS_CHARTS, count(html, "<svg"));
        assertNoExternalReferences(html);
        String verdict = verdictOf(html);
        // Sequence s decays by 0.8·(1 + 0.02 s): the median of four is between the 2nd and 3rd.
        assertTrue(
                verdict.startsWith(
                        "Vanishing: over the T = " + j[0].length + " steps of the task the gradient shrinks ×"),
                verdict);
        assertTrue(verdict.contains("‖∂h_T/∂s_k‖ ×0.824 per step (fitted, median of 4 sequences)"), verdict);
        assertTrue(verdict.contains("ρ(W) is above 1, yet the gradient shrinks"), verdict);
        assertTrue(factsOf(html).equals("Trained weights."), factsOf(html));
        assertEquals(List.of(file), listing());
    }

    @Test
    void failingMoveLeavesNoPartialFileAndSaysWhy() throws IOException {
        // A non-empty folder in the target's place: the temp file gets written, the final move fails.
        Path target = dir.resolve("report.html");
        Files.createDirectory(target);
        Files.writeString(target.resolve("keep.txt"), "x");

        IOException e = assertThrows(IOException.class, () -> HtmlReport.write(target, SampleRuns.exploding()));
        assertTrue(e.getMessage().startsWith("Cannot write report to " + target), e.getMessage());
        // Linux says "Is a directory" for a rename onto a folder; other systems may refuse it as non-empty.
        assertTrue(e.getMessage().matches("(?is).*(directory|folder).*"), e.getMessage());
        assertFalse(e.getMessage().contains(".tmp"), "the temp file's name means nothing to the user");
        assertEquals(List.of(target), listing(), "temp file removed");
        assertEquals("x", Files.readString(target.resolve("keep.txt")));
    }

    @Test
    void missingFolderFailsWithClearMessage() {
        Path target = dir.resolve("no-such-folder").resolve("report.html");
        IOException e = assertThrows(IOException.class, () -> HtmlReport.write(target, SampleRuns.vanishing()));
        assertTrue(e.getMessage().contains("Cannot write report to " + target), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void readOnlyFolderLeavesNothingBehind() throws IOException {
        Path ro = Files.createDirectory(dir.resolve("ro"));
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(Files.isWritable(ro), "running as root: permissions are not enforced");
            Path target = ro.resolve("report.html");
            IOException e = assertThrows(IOException.class, () -> HtmlReport.write(target, SampleRuns.vanishing()));
            assertTrue(e.getMessage().contains("permission denied"), e.getMessage());
            try (Stream<Path> s = Files.list(ro)) {
                assertEquals(0, s.count());
            }
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /** Only namespace declarations may name a URL; anything else would make the page depend on the network. */
    static void assertNoExternalReferences(String html) {
        String stripped = html.replaceAll("xmlns(:\\w+)?=['\"][^'\"]*['\"]", "");
        assertFalse(stripped.contains("http://"), "no http:// outside xmlns");
        assertFalse(stripped.contains("https://"), "no https:// outside xmlns");
        assertFalse(stripped.matches("(?s).*(src|href)=['\"][^#].*"), "no external src/href");
    }

    static String flowOf(String html) {
        Matcher m = Pattern.compile("<p class=\"verdict flow\">(.*?)</p>", Pattern.DOTALL)
                .matcher(html);
        assertTrue(m.find(), "gradient-flow paragraph");
        return m.group(1);
    }

    static String factsOf(String html) {
        Matcher m =
                Pattern.compile("<p class=\"facts\">(.*?)</p>", Pattern.DOTALL).matcher(html);
        assertTrue(m.find(), "facts paragraph");
        return m.group(1);
    }

    static String verdictOf(String html) {
        Matcher m = Pattern.compile("<p class=\"verdict\">(.*?)</p>", Pattern.DOTALL)
                .matcher(html);
        assertTrue(m.find(), "verdict paragraph");
        return m.group(1);
    }

    static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private List<Path> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
