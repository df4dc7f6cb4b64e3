package org.bptt.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.bptt.training.diag.GradientFlowVerdict;
import org.junit.jupiter.api.Test;

/** The one page skeleton: what it escapes, what it leaves as it is, and the width it asks for. */
final class TestPage {

    @Test
    void textIsEscapedEverywhereAndOnlyLinksAndSvgPassAsTheyAre() {
        StringBuilder b = new StringBuilder();
        Page.head(b, "<b>title</b> & 'more'", Page.Width.WIDE);
        Page.paragraph(b, "note", "a < b");
        Page.figure(b, "<svg id=\"s\"></svg>", "caption \"q\"");
        Page.table(b, List.of("h<1>"), List.of(List.of(Page.link("runs/a&b/report.html", "a&b")), List.of("<a-ish")));
        Page.tail(b);
        String html = b.toString();

        assertEquals(2, count(html, "&lt;b&gt;title&lt;/b&gt; &amp; &#39;more&#39;"), "in <title> and <h1>");
        assertTrue(html.contains("<p class=\"note\">a &lt; b</p>"), html);
        assertTrue(html.contains("<svg id=\"s\"></svg>\n<figcaption>caption &quot;q&quot;</figcaption>"), html);
        assertTrue(html.contains("<th>h&lt;1&gt;</th>"), html);
        assertTrue(html.contains("<td><a href=\"runs/a&amp;b/report.html\">a&amp;b</a></td>"), html);
        assertTrue(html.contains("<td>&lt;a-ish</td>"), "a cell that is no link is escaped: " + html);
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.endsWith("</html>\n"));
        assertFalse(html.contains("<script"));
    }

    @Test
    void everyPageCarriesTheOneStylesheetAndOnlyWidePagesAskForTheWideColumn() {
        StringBuilder wide = new StringBuilder();
        Page.head(wide, "w", Page.Width.WIDE);
        assertTrue(wide.toString().contains("<main class=\"wide\">"));
        assertTrue(Page.CSS.contains("main.wide {"), "the stylesheet defines the class the skeleton sets");

        String analysis = HtmlReport.renderAnalysis(new AnalysisData(
                "a",
                Map.of(),
                SampleRuns.circle(0.9),
                SampleRuns.jacobians(2, 0.8),
                GradientFlowVerdict.unmeasured(0.9, 0.9, true),
                ""));
        assertEquals(
                1, count(analysis, "<style>\n" + Page.CSS + "</style>"), "the report's style is the one stylesheet");
        assertTrue(analysis.contains("<main>\n"), "the report keeps the reading width");
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }
}
