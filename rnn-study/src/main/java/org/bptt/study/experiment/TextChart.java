package org.bptt.study.experiment;

import java.util.List;
import java.util.Locale;
import org.bptt.study.Html;

/** Charts drawn in characters, for a terminal. */
public final class TextChart {
    private TextChart() {}

    /** Points of one series, drawn with one character. */
    public record Series(char mark, String name, List<double[]> points) {}

    /**
     * A scatter plot of the series on a {@code width}×{@code height} grid, with the line y = x drawn
     * in dots when {@code diagonal}; where series overlap the later one shows.
     */
    public static String scatter(
            String xLabel, String yLabel, List<Series> series, boolean diagonal, int width, int height) {
        double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY, y0 = x0, y1 = x1;
        for (Series s : series) {
            for (double[] p : s.points()) {
                if (Double.isFinite(p[0]) && Double.isFinite(p[1])) {
                    x0 = Math.min(x0, p[0]);
                    x1 = Math.max(x1, p[0]);
                    y0 = Math.min(y0, p[1]);
                    y1 = Math.max(y1, p[1]);
                }
            }
        }
        if (!(x0 < x1)) {
            return "(nothing to draw)\n";
        }
        if (diagonal) {
            y0 = Math.min(y0, x0);
            y1 = Math.max(y1, x1);
        }
        if (!(y0 < y1)) {
            y1 = y0 + 1;
        }
        char[][] grid = new char[height][width];
        for (char[] row : grid) {
            java.util.Arrays.fill(row, ' ');
        }
        if (diagonal) {
            for (int c = 0; c < width; c++) {
                double x = x0 + (x1 - x0) * c / (width - 1);
                int r = row(x, y0, y1, height);
                if (r >= 0 && r < height) {
                    grid[r][c] = '.';
                }
            }
        }
        for (Series s : series) {
            for (double[] p : s.points()) {
                if (Double.isFinite(p[0]) && Double.isFinite(p[1])) {
                    int c = (int) Math.round((p[0] - x0) / (x1 - x0) * (width - 1));
                    grid[row(p[1], y0, y1, height)][c] = s.mark();
                }
            }
        }
        StringBuilder b = new StringBuilder();
        String top = Html.num(y1);
        String bottom = Html.num(y0);
        int margin = Math.max(top.length(), bottom.length());
        b.append(yLabel).append('\n');
        for (int r = 0; r < height; r++) {
            String label = r == 0 ? top : r == height - 1 ? bottom : "";
            b.append(" ".repeat(margin - label.length()))
                    .append(label)
                    .append(" |")
                    .append(new String(grid[r]).stripTrailing())
                    .append('\n');
        }
        b.append(" ".repeat(margin)).append(" +").append("-".repeat(width)).append('\n');
        String left = Html.num(x0);
        String right = Html.num(x1);
        b.append(" ".repeat(margin + 2))
                .append(left)
                .append(" ".repeat(Math.max(1, width - left.length() - right.length())))
                .append(right)
                .append('\n');
        b.append(" ".repeat(margin + 2)).append(xLabel).append('\n');
        StringBuilder legend = new StringBuilder(" ".repeat(margin + 2));
        for (Series s : series) {
            legend.append(s.mark()).append(' ').append(s.name()).append("   ");
        }
        if (diagonal) {
            legend.append(". y = x");
        }
        b.append(legend.toString().stripTrailing()).append('\n');
        return b.toString();
    }

    private static int row(double y, double y0, double y1, int height) {
        return (int) Math.round((y1 - y) / (y1 - y0) * (height - 1));
    }

    /** One bar per label, of length value/max·width, with the value printed after it. */
    public static String bars(List<String> labels, double[] values, double max, int width, String unit) {
        int w = labels.stream().mapToInt(String::length).max().orElse(0);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < labels.size(); i++) {
            double v = values[i];
            int n = Double.isFinite(v) && max > 0 ? (int) Math.round(Math.max(0, Math.min(1, v / max)) * width) : 0;
            b.append(String.format(
                    Locale.ROOT, "%-" + w + "s |%s %s%s%n", labels.get(i), "#".repeat(n), Html.num(v), unit));
        }
        return b.toString();
    }
}
