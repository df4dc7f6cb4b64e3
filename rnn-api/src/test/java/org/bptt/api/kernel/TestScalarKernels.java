package org.bptt.api.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The reference kernels against the definitions, element by element. */
final class TestScalarKernels {

    @Test
    void transposeAtAwkwardSizesWithOffsetsAndLeadingDimension() {
        for (int[] rc : new int[][] {{1, 1}, {1, 17}, {17, 1}, {15, 33}, {64, 64}, {207, 13}}) {
            int rows = rc[0];
            int cols = rc[1];
            int lds = cols + 3;
            float[] src = new float[5 + rows * lds];
            for (int i = 0; i < src.length; i++) {
                src[i] = i * 0.5f - 7;
            }
            float[] dst = new float[2 + rows * cols + 2];
            new ScalarKernels().transpose(rows, cols, src, 5, lds, dst, 2);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    assertEquals(src[5 + i * lds + j], dst[2 + j * rows + i], rows + "x" + cols + " at " + i + "," + j);
                }
            }
            assertEquals(0f, dst[0]);
            assertEquals(0f, dst[dst.length - 1]);
        }
    }

    @Test
    void gemmVariantsAgreeWithTheirDefinitions() {
        int m = 3;
        int n = 4;
        int k = 5;
        float[] a = new float[m * k];
        float[] at = new float[k * m];
        float[] b = new float[k * n];
        float[] bt = new float[n * k];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                a[i * k + p] = i - p * 0.25f;
                at[p * m + i] = a[i * k + p];
            }
        }
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                b[p * n + j] = 0.5f * j + p;
                bt[j * k + p] = b[p * n + j];
            }
        }
        ScalarKernels s = new ScalarKernels();
        float[] c1 = new float[m * n];
        float[] c2 = new float[m * n];
        float[] c3 = new float[m * n];
        s.multAdd(m, n, k, a, 0, k, b, 0, n, c1, 0, n);
        s.multAddTransB(m, n, k, a, 0, k, bt, 0, k, c2, 0, n);
        s.multAddTransA(m, n, k, at, 0, m, b, 0, n, c3, 0, n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double ref = 0;
                for (int p = 0; p < k; p++) {
                    ref += (double) a[i * k + p] * b[p * n + j];
                }
                assertEquals(ref, c1[i * n + j], 1e-5);
                assertEquals(ref, c2[i * n + j], 1e-5);
                assertEquals(ref, c3[i * n + j], 1e-5);
            }
        }
    }
}
