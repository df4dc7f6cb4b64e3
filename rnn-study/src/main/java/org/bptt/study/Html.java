package org.bptt.study;

import java.util.List;
import java.util.Locale;

/** The pieces every study page shares: one self-contained HTML file, inline CSS and SVG, no scripts. */
public final class Html {
    private Html() {}

    /** Escapes text for element content and attribute values: the reports' escaping. */
    public static String esc(String s) {
        return org.bptt.report.HtmlReport.esc(s);
    }

    public static void head(StringBuilder b, String title) {
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(esc(title)).append("</title>\n<style>\n").append(CSS)
                .append("</style>\n</head>\n<body>\n<main>\n<h1>").append(esc(title)).append("</h1>\n");
    }

    public static void tail(StringBuilder b) {
        b.append("</main>\n</body>\n</html>\n");
    }

    public static void paragraph(StringBuilder b, String cssClass, String text) {
        b.append("<p class=\"").append(cssClass).append("\">").append(esc(text)).append("</p>\n");
    }

    public static void figure(StringBuilder b, String svg, String caption) {
        b.append("<figure>\n").append(svg).append("\n<figcaption>").append(esc(caption)).append("</figcaption>\n</figure>\n");
    }

    /** A table; cells are text (escaped), except those starting with {@code <a } which are links made by {@link #link}. */
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

    /** A relative link, for {@link #table}. */
    public static String link(String href, String text) {
        return "<a href=\"" + esc(href) + "\">" + esc(text) + "</a>";
    }

    /** Four significant digits, scientific when huge or tiny; blank for NaN. */
    public static String num(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        double a = Math.abs(v);
        return a != 0 && (a >= 1e5 || a < 1e-3) ? String.format(Locale.ROOT, "%.3e", v) : String.format(Locale.ROOT, "%.4g", v);
    }

    private static final String CSS = """
            :root { color-scheme: light; }
            body { margin: 0; background: #f6f7f9; color: #222;
              font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
            main { max-width: 1100px; margin: 0 auto; padding: 24px 20px 48px; }
            h1 { font-size: 1.6em; margin: 0 0 12px; }
            h2 { font-size: 1.15em; margin: 28px 0 8px; }
            .verdict { background: #fff; border-left: 4px solid #0072B2; padding: 12px 16px; margin: 0 0 8px;
              box-shadow: 0 1px 2px rgba(0,0,0,.08); }
            .note { color: #555; }
            .scroll { overflow-x: auto; }
            table { border-collapse: collapse; background: #fff; box-shadow: 0 1px 2px rgba(0,0,0,.08); margin: 8px 0; }
            th, td { padding: 4px 10px; border-bottom: 1px solid #e4e6ea; text-align: left; vertical-align: top; }
            th { font-weight: 600; color: #444; white-space: nowrap; }
            td { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .9em; }
            tr.differs td { background: #fff8e1; }
            td a { white-space: nowrap; }
            figure { background: #fff; margin: 20px 0; padding: 10px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
            figure svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
            figcaption { color: #555; font-size: .92em; padding: 6px 6px 0; }
            """;
}
