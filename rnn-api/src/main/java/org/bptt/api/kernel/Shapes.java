package org.bptt.api.kernel;

/** Shape checks shared by every backend, so that all of them fail with the same message. */
public final class Shapes {
    private Shapes() {}

    /**
     * Checks that a (aRows×aCols, leading dimension lda), b and c (m×n, ldc) fit their arrays.
     */
    public static void checkGemm(
            String op,
            int m,
            int n,
            int k,
            float[] a,
            int aOff,
            int lda,
            int aRows,
            int aCols,
            float[] b,
            int bOff,
            int ldb,
            int bRows,
            int bCols,
            float[] c,
            int cOff,
            int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException(op + ": negative size m=" + m + " n=" + n + " k=" + k);
        }
        checkMatrix(op, "A", a, aOff, lda, aRows, aCols);
        checkMatrix(op, "B", b, bOff, ldb, bRows, bCols);
        checkMatrix(op, "C", c, cOff, ldc, m, n);
    }

    /** Checks that a rows×cols matrix at {@code off} with leading dimension {@code ld} fits {@code x}. */
    public static void checkMatrix(String op, String which, float[] x, int off, int ld, int rows, int cols) {
        if (rows == 0 || cols == 0) {
            return;
        }
        if (ld < cols || off < 0 || (long) off + (long) (rows - 1) * ld + cols > x.length) {
            throw new IllegalArgumentException(op + ": operand " + which + " (" + rows + "x" + cols + ", offset " + off
                    + ", leading dimension " + ld + ") does not fit its array of " + x.length + " floats");
        }
    }
}
