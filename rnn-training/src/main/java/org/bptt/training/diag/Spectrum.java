package org.bptt.training.diag;

import java.util.Arrays;

/**
 * The eigenvalues of the recurrent matrix W, as parallel arrays of real and imaginary parts. Their largest modulus,
 * the spectral radius, decides whether repeated multiplication by W (and so the gradient through time) tends to
 * grow (&gt; 1) or shrink (&lt; 1).
 *
 * <p>The arrays are copied in and out; equality compares the contents.
 *
 * @param real real parts
 * @param imag imaginary parts, same length as {@code real}
 */
public record Spectrum(double[] real, double[] imag) {

    public Spectrum {
        if (real.length != imag.length) {
            throw new IllegalArgumentException(
                    "real and imag parts differ in length: " + real.length + " vs " + imag.length);
        }
        real = real.clone();
        imag = imag.clone();
    }

    @Override
    public double[] real() {
        return real.clone();
    }

    @Override
    public double[] imag() {
        return imag.clone();
    }

    /** The number of eigenvalues. */
    public int size() {
        return real.length;
    }

    /** Real part of eigenvalue i. */
    public double re(int i) {
        return real[i];
    }

    /** Imaginary part of eigenvalue i. */
    public double im(int i) {
        return imag[i];
    }

    /** max |&lambda;|, or NaN for an empty spectrum. */
    public double spectralRadius() {
        double r = Double.NaN;
        for (int i = 0; i < real.length; i++) {
            double m = Math.hypot(real[i], imag[i]);
            if (Double.isNaN(r) || m > r) {
                r = m;
            }
        }
        return r;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Spectrum s && Arrays.equals(s.real, real) && Arrays.equals(s.imag, imag);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(real) * 31 + Arrays.hashCode(imag);
    }

    @Override
    public String toString() {
        return "Spectrum[size=" + real.length + ", radius=" + spectralRadius() + "]";
    }
}
