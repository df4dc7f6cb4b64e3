package org.bptt.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Curves of runs that differ only by seed, averaged into one: at each x of the longest curve,
 * the mean of the curves that reach that x (linearly interpolated between their points) and the
 * band from the lowest to the highest of them. A band of the seeds' own values stays within what
 * the quantity can take, on any axis.
 */
public final class SeedBand {
    /** One averaged point: the mean of {@code n} curves at {@code x}, lowest and highest of them. */
    public record Point(double x, double mean, double low, double high, int n) {}

    private SeedBand() {}

    /**
     * @param curves points {x, y} per run, x increasing; non-finite y are gaps
     * @return one point per x of the curve with the most points; NaN mean where no curve has a value
     */
    public static List<Point> of(List<List<double[]>> curves) {
        List<double[]> grid = curves.stream()
                .max(java.util.Comparator.comparingInt(List::size))
                .orElse(List.of());
        List<Point> points = new ArrayList<>(grid.size());
        for (double[] g : grid) {
            double x = g[0];
            double sum = 0;
            double low = Double.POSITIVE_INFINITY;
            double high = Double.NEGATIVE_INFINITY;
            int n = 0;
            for (List<double[]> c : curves) {
                double y = at(c, x);
                if (Double.isFinite(y)) {
                    sum += y;
                    low = Math.min(low, y);
                    high = Math.max(high, y);
                    n++;
                }
            }
            points.add(
                    n == 0 ? new Point(x, Double.NaN, Double.NaN, Double.NaN, 0) : new Point(x, sum / n, low, high, n));
        }
        return points;
    }

    /**
     * The runs grouped by a label (their setting without the seed), in first-seen order, each
     * group's curves averaged; the label of a group of several gains their number ("k2=5 (6 seeds)").
     * Groups without a curve are left out.
     */
    public static <R> Map<String, List<Point>> byLabel(
            List<R> runs, Function<R, String> label, Function<R, List<double[]>> curve) {
        Map<String, List<List<double[]>>> groups = new LinkedHashMap<>();
        for (R r : runs) {
            List<double[]> c = curve.apply(r);
            if (!c.isEmpty()) {
                groups.computeIfAbsent(label.apply(r), k -> new ArrayList<>()).add(c);
            }
        }
        Map<String, List<Point>> bands = new LinkedHashMap<>();
        groups.forEach((k, cs) -> bands.put(cs.size() == 1 ? k : k + " (" + cs.size() + " seeds)", of(cs)));
        return bands;
    }

    /** The curve's value at x, interpolated between its neighbouring points; NaN outside its x range or beside a gap. */
    static double at(List<double[]> c, double x) {
        if (c.isEmpty() || x < c.get(0)[0] || x > c.get(c.size() - 1)[0]) {
            return Double.NaN;
        }
        int hi = 0;
        while (c.get(hi)[0] < x) {
            hi++;
        }
        double[] b = c.get(hi);
        if (b[0] == x || hi == 0) {
            return b[1];
        }
        double[] a = c.get(hi - 1);
        return a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0]);
    }
}
