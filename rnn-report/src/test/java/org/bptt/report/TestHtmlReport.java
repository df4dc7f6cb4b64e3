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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestHtmlReport {

    @TempDir
    Path dir;

    @Test
    void explodingRunReportIsSelfContainedWithFiveChartsAndTheNumbersInTheVerdict() throws IOException {
        Path file = dir.resolve("report.html");
        HtmlReport.write(file, SampleRuns.exploding());

        String html = Files.readString(file, StandardCharsets.UTF_8);
        assertEquals(HtmlReport.TRAINING_CHARTS, count(html, "<svg"));
        assertNoExternalReferences(html);
        assertFalse(html.contains("<script"), "no scripts");
        String verdict = verdictOf(html);
        // ρ 1.5 -> 1.2; 58 of 60 gradient norms (0.5·1.5^i, two of them +∞) exceed 1; final loss 0.05 vs 0.25.
        for (String expected : List.of("from 1.5 to 1.2", "exploding", "97% of iterations (58 of 60)",
                "2 updates were skipped", "final loss 0.05 vs baseline 0.25: learned", "Synthetic data.")) {
            assertTrue(verdict.contains(expected), () -> "verdict lacks '" + expected + "': " + verdict);
        }
        assertTrue(html.contains("&lt;b&gt;escaped&lt;/b&gt; &amp; &quot;quoted&quot;"), "config is escaped");
        assertEquals(List.of(file), listing(), "only the report, no temp file left");
    }

    @Test
    void vanishingRunVerdictSaysVanishingAndNotLearned() throws IOException {
        Path file = dir.resolve("vanishing.html");
        HtmlReport.write(file, SampleRuns.vanishing());

        String html = Files.readString(file);
        assertEquals(HtmlReport.TRAINING_CHARTS, count(html, "<svg"));
        assertNoExternalReferences(html);
        String verdict = verdictOf(html);
        for (String expected : List.of("from 0.9 to 0.8", "prone to vanishing", "(vanishing)", "no clipping",
                "not learned")) {
            assertTrue(verdict.contains(expected), () -> "verdict lacks '" + expected + "': " + verdict);
        }
        assertEquals(List.of(file), listing());
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
        HtmlReport.write(file, new ReportData("empty", java.util.Map.of(), List.of(), Double.NaN, Double.NaN,
                List.of(), null, null, null));
        String html = Files.readString(file);
        assertEquals(HtmlReport.TRAINING_CHARTS, count(html, "<svg"));
        assertTrue(verdictOf(html).contains("No measurements"));
    }

    @Test
    void analysisReportHasTwoChartsAndTheRadiusInTheVerdict() throws IOException {
        Path file = dir.resolve("analysis.html");
        HtmlReport.writeAnalysis(file, new AnalysisData("analysis of W", SampleRuns.config("none"),
                SampleRuns.circle(0.9), SampleRuns.jacobians(4, 0.8), "Trained weights."));
        String html = Files.readString(file);
        assertEquals(HtmlReport.ANALYSIS_CHARTS, count(html, "<svg"));
        assertNoExternalReferences(html);
        String verdict = verdictOf(html);
        assertTrue(verdict.contains("spectral radius of W is 0.9".substring(1)), verdict);
        assertTrue(verdict.contains("vanishing"), verdict);
        assertTrue(verdict.endsWith("Trained weights."), verdict);
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

    static String verdictOf(String html) {
        Matcher m = Pattern.compile("<p class=\"verdict\">(.*?)</p>", Pattern.DOTALL).matcher(html);
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
