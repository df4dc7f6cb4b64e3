package org.bptt.report;

import org.bptt.training.diag.Spectrum;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the {@code analyze} command shows about one (trained or initial) recurrent matrix W.
 *
 * @param title         the page title
 * @param configuration settings shown as a table in the given order
 * @param spectrum      eigenvalues of W, or null when not computed
 * @param jacobianNorms {@code jacobianNorms[s][k]} = ||dh_T/dh_k|| for sample sequence s and step k = 0..T-1
 * @param verdict       the analysis' conclusion in words (shown as the verdict paragraph); may be empty
 */
public record AnalysisData(String title, Map<String, String> configuration, Spectrum spectrum,
        double[][] jacobianNorms, String verdict) {

    public AnalysisData {
        Objects.requireNonNull(title, "title");
        configuration = Collections.unmodifiableMap(new LinkedHashMap<>(configuration));
        jacobianNorms = deepCopy(jacobianNorms);
        verdict = verdict == null ? "" : verdict;
    }

    @Override
    public double[][] jacobianNorms() {
        return deepCopy(jacobianNorms);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AnalysisData a && a.title.equals(title) && a.configuration.equals(configuration)
                && Objects.equals(a.spectrum, spectrum) && Arrays.deepEquals(a.jacobianNorms, jacobianNorms)
                && a.verdict.equals(verdict);
    }

    @Override
    public int hashCode() {
        return Objects.hash(title, configuration, spectrum, Arrays.deepHashCode(jacobianNorms), verdict);
    }

    @Override
    public String toString() {
        return "AnalysisData[title=" + title + ", sequences=" + jacobianNorms.length + "]";
    }

    private static double[][] deepCopy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }
}
