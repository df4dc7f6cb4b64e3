package org.bptt.training.diag;

import java.util.Arrays;
import org.bptt.api.tensor.Tensor;
import org.ejml.data.Complex_F64;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * The spectrum of a square recurrent matrix W, in double precision (EJML): the spectral
 * radius max|λ| decides whether products of Jacobians grow or shrink in the linear regime
 * (λ₀ &gt; 1 explodes, λ₀ &lt; 1 vanishes); the spectral norm σ_max bounds ‖W‖.
 */
public final class Spectral {
    private final double[] real;
    private final double[] imag;
    private final double radius;
    private final double norm;

    private Spectral(double[] real, double[] imag, double radius, double norm) {
        this.real = real;
        this.imag = imag;
        this.radius = radius;
        this.norm = norm;
    }

    public static Spectral of(Tensor w) {
        if (w.rows() != w.cols()) {
            throw new IllegalArgumentException("the spectrum needs a square matrix, " + w + " is not");
        }
        DMatrixRMaj m = toDouble(w);
        int n = w.rows();
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, false);
        if (!eig.decompose(m.copy())) {
            throw new IllegalStateException("the eigenvalue decomposition of " + w + " did not converge");
        }
        double[] re = new double[n];
        double[] im = new double[n];
        double radius = 0;
        for (int i = 0; i < n; i++) {
            Complex_F64 e = eig.getEigenvalue(i);
            re[i] = e.real;
            im[i] = e.imaginary;
            radius = Math.max(radius, e.getMagnitude());
        }
        return new Spectral(re, im, radius, spectralNorm(m));
    }

    /** Largest singular value of a (not modified). */
    public static double spectralNorm(DMatrixRMaj a) {
        // Scaled to a largest entry of 1 first: the SVD's iterations do not converge on tiny (subnormal) or huge
        // entries.
        double largest = CommonOps_DDRM.elementMaxAbs(a);
        if (largest == 0) {
            return 0;
        }
        if (!Double.isFinite(largest)) {
            throw new IllegalStateException(
                    "the singular value decomposition of a matrix with non-finite entries is undefined");
        }
        DMatrixRMaj scaled = a.copy();
        CommonOps_DDRM.divide(scaled, largest);
        SingularValueDecomposition_F64<DMatrixRMaj> svd =
                DecompositionFactory_DDRM.svd(a.numRows, a.numCols, false, false, true);
        if (!svd.decompose(scaled)) {
            throw new IllegalStateException("the singular value decomposition did not converge");
        }
        double max = 0;
        for (double s : svd.getSingularValues()) {
            max = Math.max(max, s);
        }
        return max * largest;
    }

    static DMatrixRMaj toDouble(Tensor w) {
        DMatrixRMaj m = new DMatrixRMaj(w.rows(), w.cols());
        float[] d = w.data();
        for (int i = 0; i < d.length; i++) {
            m.data[i] = d[i];
        }
        return m;
    }

    /** Real parts of the eigenvalues. */
    public double[] real() {
        return real.clone();
    }
    /** Imaginary parts of the eigenvalues. */
    public double[] imag() {
        return imag.clone();
    }
    /** |λ| of every eigenvalue, largest first. */
    public double[] magnitudes() {
        double[] m = new double[real.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = Math.hypot(real[i], imag[i]);
        }
        Arrays.sort(m);
        for (int i = 0, j = m.length - 1; i < j; i++, j--) {
            double t = m[i];
            m[i] = m[j];
            m[j] = t;
        }
        return m;
    }
    /** max |λ|. */
    public double radius() {
        return radius;
    }
    /** σ_max. */
    public double norm() {
        return norm;
    }
}
