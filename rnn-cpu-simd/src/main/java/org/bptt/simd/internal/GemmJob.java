package org.bptt.simd.internal;

/**
 * One GEMM split into blocks of C for the {@link WorkerPool}. Reused across calls (its
 * owner holds a lock while it is in use), so a parallel product allocates nothing.
 * Blocks are whole row groups or column groups; the per-element order of {@link Gemm}
 * does not depend on the block, so the result does not depend on the thread count.
 */
final class GemmJob implements WorkerPool.Job {
    static final int OUTER = 0;
    static final int DOT = 1;
    /** {@link Gemm#outerPacked}: b is a packed k×n B, bOff and ldb are unused. */
    static final int PACKED = 2;
    /** {@link Gemm#outerBlocked}: OUTER for many rows. */
    static final int COPYING = 3;

    /** Per-thread partial sums of the dot-product form; workers and callers each get one. */
    private static final ThreadLocal<float[]> DOT_SCRATCH = ThreadLocal.withInitial(() -> new float[Gemm.DOT_SCRATCH]);
    /** Per-thread copy of a K-block of B for the blocked form, grown to the largest any product asked for. */
    private static final ThreadLocal<float[]> COPY_SCRATCH = ThreadLocal.withInitial(() -> new float[0]);
    /** Per-thread copy of a block of Aᵀ for the blocked form. */
    private static final ThreadLocal<float[]> A_SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

    private Gemm gemm;
    private int kind, m, n, k, aOff, ars, aps, bOff, ldb, cOff, ldc;
    private float[] a, b, c;
    private boolean byRows;
    private int block;

    /** Sets the job and returns its number of chunks, about four per thread for balance. */
    int set(
            Gemm gemm,
            int kind,
            int m,
            int n,
            int k,
            float[] a,
            int aOff,
            int ars,
            int aps,
            float[] b,
            int bOff,
            int ldb,
            float[] c,
            int cOff,
            int ldc,
            int threads) {
        this.gemm = gemm;
        this.kind = kind;
        this.m = m;
        this.n = n;
        this.k = k;
        this.a = a;
        this.aOff = aOff;
        this.ars = ars;
        this.aps = aps;
        this.b = b;
        this.bOff = bOff;
        this.ldb = ldb;
        this.c = c;
        this.cOff = cOff;
        this.ldc = ldc;
        int target = 4 * threads;
        // Column blocks keep the micro-kernel's natural width (a panel, or 4 rows of B).
        int colUnit = kind == DOT ? 4 : gemm.nc;
        int rowChunks = (m + 3) / 4;
        int colChunks = (n + colUnit - 1) / colUnit;
        // The blocked form copies the K-blocks of B of its columns: split by rows, every chunk would copy all of B.
        byRows = kind == COPYING ? colChunks < 2 * threads : rowChunks >= colChunks;
        int units = byRows ? rowChunks : colChunks;
        int unitsPerChunk = Math.max(1, (units + target - 1) / target);
        block = unitsPerChunk * (byRows ? 4 : colUnit);
        int extent = byRows ? m : n;
        return (extent + block - 1) / block;
    }

    void clear() {
        a = b = c = null;
        gemm = null;
    }

    @Override
    public void run(int chunk) {
        int start = chunk * block;
        if (byRows) {
            int rows = Math.min(block, m - start);
            kernel(gemm, kind, rows, n, k, a, aOff + start * ars, ars, aps, b, bOff, ldb, c, cOff + start * ldc, ldc);
        } else if (kind == PACKED) {
            gemm.outerPacked(m, Math.min(block, n - start), k, a, aOff, ars, aps, b, n, start, c, cOff + start, ldc);
        } else {
            int cols = Math.min(block, n - start);
            int bStart = kind == DOT ? bOff + start * ldb : bOff + start;
            kernel(gemm, kind, m, cols, k, a, aOff, ars, aps, b, bStart, ldb, c, cOff + start, ldc);
        }
    }

    static void kernel(
            Gemm gemm,
            int kind,
            int m,
            int n,
            int k,
            float[] a,
            int aOff,
            int ars,
            int aps,
            float[] b,
            int bOff,
            int ldb,
            float[] c,
            int cOff,
            int ldc) {
        if (kind == OUTER) {
            gemm.outer(m, n, k, a, aOff, ars, aps, b, bOff, ldb, c, cOff, ldc);
        } else if (kind == PACKED) {
            gemm.outerPacked(m, n, k, a, aOff, ars, aps, b, n, 0, c, cOff, ldc);
        } else if (kind == COPYING) {
            gemm.outerBlocked(
                    m,
                    n,
                    k,
                    a,
                    aOff,
                    ars,
                    aps,
                    b,
                    bOff,
                    ldb,
                    c,
                    cOff,
                    ldc,
                    scratch(COPY_SCRATCH, gemm.blockedScratch(n)),
                    aps == 1 || (n + gemm.nc - 1) / gemm.nc < gemm.copyAMinPanels
                            ? null
                            : scratch(A_SCRATCH, gemm.blockedScratchA()));
        } else {
            Gemm.dotTransB(m, n, k, a, aOff, ars, b, bOff, ldb, c, cOff, ldc, DOT_SCRATCH.get());
        }
    }

    private static float[] scratch(ThreadLocal<float[]> holder, int floats) {
        float[] w = holder.get();
        if (w.length < floats) {
            w = new float[floats];
            holder.set(w);
        }
        return w;
    }
}
