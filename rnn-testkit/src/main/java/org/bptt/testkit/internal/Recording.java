package org.bptt.testkit.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Copies of what a plugin wrote, each with a label, so that two runs can be compared bit for
 * bit and a difference named ("window 2: gradient of W, element 7"). Floats are kept as the
 * doubles they convert to exactly.
 */
final class Recording {
    private final List<String> labels = new ArrayList<>();
    private final List<double[]> values = new ArrayList<>();

    void add(String label, float[] a) {
        labels.add(label);
        double[] copy = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            copy[i] = a[i];
        }
        values.add(copy);
    }

    void add(String label, double... a) {
        labels.add(label);
        values.add(a.clone());
    }

    /** Null when both recordings hold the same bits (NaN payloads aside), else where they first differ. */
    String firstDifference(Recording other) {
        if (labels.size() != other.labels.size()) {
            return "the runs recorded " + labels.size() + " and " + other.labels.size() + " arrays";
        }
        for (int i = 0; i < values.size(); i++) {
            double[] a = values.get(i);
            double[] b = other.values.get(i);
            int n = Math.min(a.length, b.length);
            for (int j = 0; j < n; j++) {
                if (Double.doubleToLongBits(a[j]) != Double.doubleToLongBits(b[j])) {
                    return labels.get(i) + ", element " + j + ": " + a[j] + " vs " + b[j];
                }
            }
            if (a.length != b.length) {
                return labels.get(i) + ": " + a.length + " vs " + b.length + " elements";
            }
        }
        return null;
    }

    /** Null when every recorded value is finite, else the first that is not. */
    String firstNonFinite() {
        for (int i = 0; i < values.size(); i++) {
            double[] a = values.get(i);
            for (int j = 0; j < a.length; j++) {
                if (!Double.isFinite(a[j])) {
                    return labels.get(i) + ", element " + j + " is " + a[j];
                }
            }
        }
        return null;
    }
}
