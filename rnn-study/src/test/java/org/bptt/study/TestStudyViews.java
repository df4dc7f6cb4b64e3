package org.bptt.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.IntervalXYDataset;
import org.junit.jupiter.api.Test;

/** Seed-averaged curves, whiskers cut to a quantity's range and relative links, against values worked by hand. */
final class TestStudyViews {

    private static List<double[]> curve(double... xy) {
        List<double[]> l = new java.util.ArrayList<>();
        for (int i = 0; i < xy.length; i += 2) {
            l.add(new double[] {xy[i], xy[i + 1]});
        }
        return l;
    }

    @Test
    void seedsAreAveragedOnTheLongestCurvesGridWithTheirRangeAsBand() {
        // a: (0,1)-(10,3), read at 5 as 2; b: (0,3),(5,1),(10,5); c stopped at 5 (it diverged), with a gap at 0.
        List<SeedBand.Point> p =
                SeedBand.of(List.of(curve(0, 1, 10, 3), curve(0, 3, 5, 1, 10, 5), curve(0, Double.NaN, 5, 4)));
        assertEquals(3, p.size());
        assertEquals(new SeedBand.Point(0, 2, 1, 3, 2), p.get(0));
        assertEquals(new SeedBand.Point(5, 7.0 / 3, 1, 4, 3), p.get(1));
        assertEquals(new SeedBand.Point(10, 4, 3, 5, 2), p.get(2));
        assertEquals(2.5, SeedBand.at(curve(0, 1, 10, 3), 7.5), 1e-15);
        assertTrue(Double.isNaN(SeedBand.at(curve(0, 1, 10, 3), 11)), "beyond the curve's end");
    }

    @Test
    void runsAreGroupedByTheirSettingAndCounted() {
        record R(String setting, List<double[]> curve) {}
        Map<String, List<SeedBand.Point>> b = SeedBand.byLabel(
                List.of(
                        new R("k2=5", curve(0, 1)),
                        new R("k2=15", curve(0, 2)),
                        new R("k2=5", curve(0, 3)),
                        new R("k2=30", List.of())),
                R::setting,
                R::curve);
        assertEquals(
                List.of("k2=5 (2 seeds)", "k2=15"), List.copyOf(b.keySet()), "in first-seen order; no curve, no entry");
        assertEquals(2, b.get("k2=5 (2 seeds)").get(0).mean());
    }

    @Test
    void settingsPastTheEighthColourAreDashed() {
        Map<String, List<SeedBand.Point>> bands = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            bands.put("s" + i, List.of(new SeedBand.Point(0, 1, 1, 1, 1), new SeedBand.Point(1, 2, 1, 3, 2)));
        }
        XYPlot plot =
                (XYPlot) StudyCharts.bands("t", "iteration", "loss", bands).getPlot();
        java.awt.BasicStroke first = (java.awt.BasicStroke) plot.getRenderer().getSeriesStroke(0);
        java.awt.BasicStroke ninth = (java.awt.BasicStroke) plot.getRenderer().getSeriesStroke(8);
        assertEquals(null, first.getDashArray());
        assertEquals(plot.getRenderer().getSeriesPaint(0), plot.getRenderer().getSeriesPaint(8), "the colours repeat");
        assertTrue(ninth.getDashArray() != null, "so the dashes differ");
        assertTrue(plot.getRangeAxis() instanceof org.jfree.chart.axis.NumberAxis, "means within two decades: linear");
    }

    @Test
    void whiskersStopAtTheEndsOfTheQuantitysRange() {
        assertEquals(Quantity.RATE, Quantity.of("held-out correct"));
        assertEquals(Quantity.RATE, Quantity.of("share of runs that succeeded"));
        assertEquals(Quantity.LOSS, Quantity.of("bits_per_char"));
        assertEquals(Quantity.LOSS, Quantity.of("held-out loss"));
        assertEquals(Quantity.ANY, Quantity.of("ρ(W)"));
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put("a", new double[][] {{0.15, 0.26}, {0.97, 0.05}});
        series.put("b", new double[][] {{Double.NaN, Double.NaN}, {0.5, Double.NaN}});
        JFreeChart rate =
                StudyCharts.byValue("t", "policy", "held-out correct", List.of("none", "clip"), series, Quantity.RATE);
        IntervalXYDataset d = (IntervalXYDataset) ((XYPlot) rate.getPlot()).getDataset();
        assertEquals(0, d.getStartYValue(0, 0), 0);
        assertEquals(0.41, d.getEndYValue(0, 0), 1e-15);
        assertEquals(0.92, d.getStartYValue(0, 1), 1e-15);
        assertEquals(1, d.getEndYValue(0, 1), 0);
        assertEquals(1, d.getItemCount(1), "no point where the mean is missing");
        assertEquals(0.5, d.getStartYValue(1, 0), 0, "no spread known: no whisker");
        JFreeChart any = StudyCharts.byValue("t", "policy", "x", List.of("none", "clip"), series, Quantity.ANY);
        IntervalXYDataset u = (IntervalXYDataset) ((XYPlot) any.getPlot()).getDataset();
        assertEquals(0.15 - 0.26, u.getStartYValue(0, 0), 1e-15, "an unbounded quantity keeps the whole interval");
        // Mean and sample sd by hand: 1, 2, 3, 4 gives 2.5 and √(5/3); equal values no spread, not a rounding residue.
        assertEquals(new Stats(4, 2.5, Math.sqrt(5.0 / 3)), Stats.of(1, 2, 3, 4, Double.NaN));
        assertEquals(0, Stats.of(0.05, 0.05, 0.05).sd());
        assertEquals(0.1, Quantity.LOSS.clip(0.1));
        assertEquals(0, Quantity.LOSS.clip(-0.3));
    }

    @Test
    void aBarTallerThanTheAxisMaximumRaisesTheAxis() {
        JFreeChart c =
                StudyCharts.bars("t", "k2", "held-out loss", List.of("a", "b"), new double[] {0.05, 0.1}, 1.0 / 12);
        assertEquals(
                0.105,
                ((org.jfree.chart.plot.CategoryPlot) c.getPlot()).getRangeAxis().getUpperBound(),
                1e-15);
        JFreeChart d =
                StudyCharts.bars("t", "k2", "held-out loss", List.of("a", "b"), new double[] {0.05, 0.08}, 1.0 / 12);
        assertEquals(
                1.0 / 12,
                ((org.jfree.chart.plot.CategoryPlot) d.getPlot()).getRangeAxis().getUpperBound(),
                0);
    }

    @Test
    void reportLinksAreRelativeAndEncoded() {
        Path page = Path.of("/sweeps/pages");
        assertEquals(
                "../my%20sweep/runs/000-lr=0.01-seed=1/report.html",
                ComparePage.relativeHref(page, Path.of("/sweeps/my sweep/runs/000-lr=0.01-seed=1/report.html")));
        assertEquals("runs/a/report.html", ComparePage.relativeHref(Path.of("/s"), Path.of("/s/runs/a/report.html")));
        assertEquals(
                "runs/000-text=a%20b.txt-seed=1/report.html",
                ComparePage.href(Path.of("runs", "000-text=a b.txt-seed=1", "report.html")));
    }
}
