package org.bptt.study;

import java.util.List;

/** A plain-text table with aligned columns, for terminals. */
public final class TextTable {
    private TextTable() {}

    public static String render(List<String> header, List<List<String>> rows) {
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = header.get(i).length();
            for (List<String> r : rows) {
                w[i] = Math.max(w[i], r.get(i).length());
            }
        }
        StringBuilder b = new StringBuilder();
        line(b, header, w);
        for (int i = 0; i < w.length; i++) {
            b.append(i == 0 ? "" : "  ").append("-".repeat(w[i]));
        }
        b.append('\n');
        rows.forEach(r -> line(b, r, w));
        return b.toString();
    }

    private static void line(StringBuilder b, List<String> cells, int[] w) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
            l.append(i == 0 ? "" : "  ")
                    .append(cells.get(i))
                    .append(" ".repeat(w[i] - cells.get(i).length()));
        }
        b.append(l.toString().stripTrailing()).append('\n');
    }
}
