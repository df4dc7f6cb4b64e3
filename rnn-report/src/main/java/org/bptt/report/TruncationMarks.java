package org.bptt.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import org.bptt.api.truncation.Truncation.Window;
import org.bptt.training.diag.BackpropReach;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;

/**
 * Draws a truncation onto a gradient-flow heatmap (x: time step k): a faint line where each
 * backward pass ends, a bold one at the horizon of the last pass (k2 steps back from T, beyond
 * which no loss of the last window reaches), and where the task's longest dependency begins.
 */
final class TruncationMarks {
    /** The label of the horizon line, found by tests and the browser check. */
    static final String HORIZON = "horizon";

    private TruncationMarks() {}

    /** Marks {@code reach} on {@code heatmap}; nothing for full BPTT or an unknown reach. */
    static JFreeChart mark(JFreeChart heatmap, BackpropReach reach) {
        if (reach == null || !reach.truncated()) {
            return heatmap;
        }
        XYPlot plot = heatmap.getXYPlot();
        BasicStroke thin =
                new BasicStroke(0.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {3f, 3f}, 0f);
        for (Window w : reach.windows()) {
            if (w.backTo() < reach.steps()) {
                plot.addDomainMarker(new ValueMarker(w.backTo() - 0.5, new Color(0x555555), thin), Layer.FOREGROUND);
            }
        }
        Window last = reach.windows().get(reach.windows().size() - 1);
        ValueMarker h = new ValueMarker(last.backFrom() - 0.5, Color.BLACK, new BasicStroke(2.5f));
        label(h, HORIZON + ": " + last.length() + " steps back from T", true);
        plot.addDomainMarker(h, Layer.FOREGROUND);
        if (reach.longestLag() >= 0 && reach.longestLag() < reach.steps()) {
            ValueMarker lag = new ValueMarker(
                    reach.steps() - 1 - reach.longestLag() - 0.5, Charts.VERMILLION, new BasicStroke(2f));
            label(lag, "longest lag: " + reach.longestLag() + " steps", false);
            plot.addDomainMarker(lag, Layer.FOREGROUND);
        }
        return heatmap;
    }

    /** A label at the top left of the line ({@code left}) or at the bottom right, where the heatmap has room for it. */
    private static void label(ValueMarker m, String text, boolean left) {
        m.setLabel(text);
        m.setLabelFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
        m.setLabelPaint(Color.BLACK);
        m.setLabelAnchor(left ? RectangleAnchor.TOP_LEFT : RectangleAnchor.BOTTOM_RIGHT);
        m.setLabelTextAnchor(left ? TextAnchor.TOP_RIGHT : TextAnchor.BOTTOM_LEFT);
        m.setLabelOffset(new RectangleInsets(4, 4, 4, 4));
        m.setLabelBackgroundColor(new Color(255, 255, 255, 220));
    }
}
