package org.bptt.training.diag;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.bptt.api.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The eigenvalue magnitudes of a matrix whose eigenvalues are known by construction, largest first. */
final class TestSpectralMagnitudes {
    @Test
    void aBlockDiagonalMatrixHasTheMagnitudesOfItsBlocksLargestFirst() {
        // A rotation scaled by 2 (eigenvalues ±2i), then 0.5 and -3 on the diagonal.
        Tensor w = new Tensor("W", 4, 4, new float[] {
            0, -2, 0, 0,
            2, 0, 0, 0,
            0, 0, 0.5f, 0,
            0, 0, 0, -3
        });
        assertArrayEquals(new double[] {3, 2, 2, 0.5}, Spectral.of(w).magnitudes(), 1e-12);
    }
}
