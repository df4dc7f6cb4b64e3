package org.bptt.report;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.bptt.training.diag.GradientFlowVerdict;
import org.bptt.training.diag.Spectrum;

/**
 * What the {@code analyze} command shows about one (trained or initial) network.
 *
 * @param title         the page title
 * @param configuration settings shown as a table in the given order
 * @param spectrum      eigenvalues of W, or null when the cell has no single square W
 * @param jacobianNorms {@code jacobianNorms[s][k]} = ‖∂h_T/∂s_k‖ for sample sequence s and step k = 0..T−1
 * @param verdict       the gradient-flow verdict measured on those norms
 * @param notes         more words under the verdict (e.g. the independent reference's factor); may be empty
 */
public record AnalysisData(
        String title,
        Map<String, String> configuration,
        Spectrum spectrum,
        double[][] jacobianNorms,
        GradientFlowVerdict verdict,
        String notes) {

    public AnalysisData {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(verdict, "verdict");
        configuration = Collections.unmodifiableMap(new LinkedHashMap<>(configuration));
        jacobianNorms = deepCopy(jacobianNorms);
        notes = notes == null ? "" : notes;
    }

    @Override
    public double[][] jacobianNorms() {
        return deepCopy(jacobianNorms);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AnalysisData a
                && a.title.equals(title)
                && a.configuration.equals(configuration)
                && Objects.equals(a.spectrum, spectrum)
                && Arrays.deepEquals(a.jacobianNorms, jacobianNorms)
                && a.verdict == verdict
                && a.notes.equals(notes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(title, configuration, spectrum, Arrays.deepHashCode(jacobianNorms), verdict, notes);
    }

    @Override
    public String toString() {
        return "AnalysisData[title=" + title + ", sequences=" + jacobianNorms.length + ", verdict=" + verdict.regime()
                + "]";
    }

    private static double[][] deepCopy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }
}
