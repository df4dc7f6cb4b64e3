package org.bptt.report;

import java.util.List;

/**
 * The skeleton and the one stylesheet of every static page of the platform: the training report,
 * the analysis, and the sweep, comparison and experiment pages of rnn-study. A page is one
 * self-contained HTML file: CSS inline, charts inlined as SVG, no scripts and no external
 * references, so it opens the same offline, attached to a mail or archived with the run.
 *
 * <p>A page is built into a {@link StringBuilder}: {@link #head}, then parts, then {@link #tail}.
 * Text is escaped here; an SVG given to {@link #figure} is inserted as it is.
 */
public final class Page {
    private Page() {}

    /** How wide a page's column may grow. */
    public enum Width {
        /** Text and 900-unit charts, at a width that keeps lines readable: the run report and analysis. */
        READING,
        /** Wide tables of many runs or settings (which scroll sideways when wider still): the study pages. */
        WIDE
    }

    /** Opens the page: the document head with the stylesheet, then the title as its heading. */
    public static void head(StringBuilder b, String title, Width width) {
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>")
                .append(esc(title))
                .append("</title>\n<style>\n")
                .append(CSS)
                .append("</style>\n</head>\n<body>\n<main")
                .append(width == Width.WIDE ? " class=\"wide\"" : "")
                .append(">\n<h1>")
                .append(esc(title))
                .append("</h1>\n");
    }

    /** Closes the page {@link #head} opened. */
    public static void tail(StringBuilder b) {
        b.append("</main>\n</body>\n</html>\n");
    }

    /** A paragraph of the stylesheet's class {@code cssClass} ("verdict", "note", "facts", "alert"). */
    public static void paragraph(StringBuilder b, String cssClass, String text) {
        b.append("<p class=\"").append(cssClass).append("\">").append(esc(text)).append("</p>\n");
    }

    /** A chart (inline SVG, inserted as it is) with its caption. */
    public static void figure(StringBuilder b, String svg, String caption) {
        b.append("<figure>\n")
                .append(svg)
                .append("\n<figcaption>")
                .append(esc(caption))
                .append("</figcaption>\n</figure>\n");
    }

    /**
     * A table that scrolls sideways when wider than the page; cells are text (escaped), except those
     * starting with {@code <a } which are links made by {@link #link}.
     */
    public static void table(StringBuilder b, List<String> header, List<List<String>> rows) {
        b.append("<div class=\"scroll\"><table>\n<thead><tr>");
        header.forEach(h -> b.append("<th>").append(esc(h)).append("</th>"));
        b.append("</tr></thead>\n<tbody>\n");
        for (List<String> r : rows) {
            b.append("<tr>");
            for (String c : r) {
                b.append("<td>").append(c.startsWith("<a ") ? c : esc(c)).append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</tbody>\n</table></div>\n");
    }

    /** A link, for a cell of {@link #table} or a list item. */
    public static String link(String href, String text) {
        return "<a href=\"" + esc(href) + "\">" + esc(text) + "</a>";
    }

    /** Escapes text for HTML element content and attribute values (every page of the platform uses this one). */
    public static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** The one stylesheet: the Okabe–Ito blue and vermilion of the charts mark verdicts and alerts. */
    static final String CSS = """
            :root { color-scheme: light; }
            body { margin: 0; background: #f6f7f9; color: #222;
              font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
            main { max-width: 960px; margin: 0 auto; padding: 24px 20px 48px; }
            main.wide { max-width: 1100px; }
            h1 { font-size: 1.6em; margin: 0 0 12px; }
            h2 { font-size: 1.15em; margin: 28px 0 8px; }
            .verdict { background: #fff; border-left: 4px solid #0072B2; padding: 12px 16px; margin: 0 0 8px;
              box-shadow: 0 1px 2px rgba(0,0,0,.08); }
            .alert { background: #fff4ef; border-left: 4px solid #D55E00; padding: 12px 16px; margin: 0 0 8px; font-weight: 600; }
            .facts, .note { color: #444; margin: 8px 0; }
            .scroll { overflow-x: auto; }
            table { border-collapse: collapse; background: #fff; box-shadow: 0 1px 2px rgba(0,0,0,.08); margin: 8px 0; }
            th, td { padding: 4px 10px; border-bottom: 1px solid #e4e6ea; text-align: left; vertical-align: top; }
            th { font-weight: 600; color: #444; white-space: nowrap; }
            td { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .9em; }
            tr.differs td { background: #fff8e1; }
            td a { white-space: nowrap; }
            table.config th, table.config td { padding: 4px 14px; }
            table.config td { font-size: .92em; word-break: break-word; }
            figure { background: #fff; margin: 20px 0; padding: 10px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
            figure svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
            figcaption { color: #555; font-size: .92em; padding: 6px 6px 0; }
            """;
}
