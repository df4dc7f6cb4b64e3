package org.bptt.simd.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-threaded GEMM micro-kernels over a block of C. Two forms:
 *
 * <ul>
 * <li>{@link #outer}: C += A·B as rank-1 updates, a broadcast element of A times vector
 *     rows of B, into a register tile of {@link #mr} rows × {@link #nv} vectors of
 *     accumulators (4-row and 1-row tiles for the rows left over, narrower and masked ones for
 *     the columns). Each C element is computed as {@code c = fma(a_ip, b_pj, c)} for
 *     p = 0, 1, … in order, whatever the tile, the K-block or the scalar edge that holds it:
 *     between K-blocks the partial sum is the C element itself, stored and reloaded exactly.
 *     So any tile shape, any K-block and any split of C give identical bits.
 * <li>{@link #dotTransB}: C += A·Bᵀ with both operands read along k, a 4×4 tile of
 *     vector dot products reduced by a fixed tree ({@link #finish}). Used when m is too small
 *     to pay for transposing B; every element again follows one fixed order, which depends on
 *     the vector width (lane partial sums) but on nothing this class is configured with.
 * </ul>
 *
 * <p>An instance holds one tile shape and the K-blocks ({@link org.bptt.simd.SimdSettings}); it
 * is immutable, and the packed layout of {@link #pack} belongs to the instance that wrote it.
 */
final class Gemm {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /**
     * Index of the first packed float in {@link #pack}'s layout and {@link #outerBlocked}'s
     * scratch: a vector boundary of every float array when the JVM aligns arrays to vectors
     * ({@link ArrayAlignment}), else 0. Panels are whole vectors wide, so every row of every
     * panel then starts on a boundary.
     */
    static final int LEAD = ArrayAlignment.firstAlignedIndex(S.vectorByteSize());

    /** Scratch floats {@link #dotTransB} needs: the partial sums of one 4×4 tile. */
    static final int DOT_SCRATCH = 16 * L;

    /** Rows of the main register tile: 4, 6 or 8. */
    final int mr;
    /** Vectors of columns of the main register tile: 2, 3 or 4. */
    final int nv;
    /** Columns of one B panel and C tile: nv vectors. */
    final int nc;
    /** K-block of {@link #outer} and {@link #pack}: a kc×nc panel of B stays in cache while the row tiles pass over it. */
    final int kc;
    /** K-block of {@link #outerBlocked}. */
    final int kcCopy;
    /** Row block of {@link #outerBlocked}: an mc×kcCopy block of A stays in L2 while the panels pass. */
    final int mc;

    /** Panels of B from which {@link #outerBlocked} copies a transposed A into rows. */
    final int copyAMinPanels;

    Gemm(int mr, int nv, int kc, int kcCopy, int mc, int copyAMinPanels) {
        boolean known = (nv == 4 && (mr == 6 || mr == 4))
                || (nv == 3 && (mr == 8 || mr == 4))
                || (nv == 2 && (mr == 6 || mr == 4));
        if (!known || kc < 1 || kcCopy < 1 || mc < 1) {
            throw new IllegalArgumentException(
                    "no GEMM tile " + mr + "x" + nv + " with K-blocks " + kc + " and " + kcCopy);
        }
        this.mr = mr;
        this.nv = nv;
        this.nc = nv * L;
        this.kc = kc;
        this.kcCopy = kcCopy;
        this.mc = mc;
        this.copyAMinPanels = copyAMinPanels;
    }

    // ---------------------------------------------------------------- outer-product form

    /**
     * C(m×n) += A·B with A(i,p) = a[aOff + i·ars + p·aps] and B(p,j) = b[bOff + p·ldb + j].
     * The strides cover A (ars = lda, aps = 1) and Aᵀ (ars = 1, aps = lda).
     */
    void outer(
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
        for (int p0 = 0; p0 < k; p0 += kc) {
            int kb = Math.min(kc, k - p0);
            int ap = aOff + p0 * aps;
            int j0 = 0;
            if (m == 1) {
                // One row: eight vectors of columns at once, each its own FMA chain (see tile1x8).
                for (; j0 + 8 * L <= n; j0 += 8 * L) {
                    tile1x8(kb, a, ap, aps, b, bOff + p0 * ldb + j0, ldb, 8 * L, 8, c, cOff + j0);
                }
            }
            for (; j0 < n; j0 += nc) {
                panel(m, Math.min(nc, n - j0), kb, a, ap, ars, aps, b, bOff + p0 * ldb + j0, ldb, c, cOff + j0, ldc);
            }
        }
    }

    /**
     * {@link #outer} for many rows, blocked for the caches as GotoBLAS does: for each K-block
     * of {@link #kcCopy}, all of its kb×n block of B is first copied into {@code w} in the
     * packed layout of {@link #pack} (panels of nc columns, rows contiguous), then the rows of
     * A go by blocks of {@link #mc} (an mc×kb block of A stays in L2) and, for each, every panel
     * passes over them (a kb×nc panel streams from L1/L2). So A is read from memory once per
     * K-block, not once per panel. {@code w} holds at least {@link #blockedScratch(int)} floats.
     * Same per-element order, same bits as {@code outer}.
     */
    void outerBlocked(
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
            float[] w,
            float[] wa) {
        // Aᵀ (rows of A one float apart, steps of k a whole row apart) is copied block by block
        // into rows when enough panels pass over each block to repay it: its tiles would otherwise
        // touch a new page at every step of k, and miss the TLB.
        boolean copyA = aps != 1 && (n + nc - 1) / nc >= copyAMinPanels;
        for (int p0 = 0; p0 < k; p0 += kcCopy) {
            int kb = Math.min(kcCopy, k - p0);
            for (int j0 = 0; j0 < n; j0 += nc) {
                copyPanel(kb, Math.min(nc, n - j0), b, bOff + p0 * ldb + j0, ldb, w, LEAD + j0 * kb);
            }
            int ap = aOff + p0 * aps;
            for (int i0 = 0; i0 < m; i0 += mc) {
                int mb = Math.min(mc, m - i0);
                float[] ab = a;
                int abOff = ap + i0 * ars, abRs = ars, abPs = aps;
                if (copyA) {
                    // A(i, p) = a[ap + i·ars + p·aps] with ars = 1: a kb×mb block of rows aps apart, transposed.
                    org.bptt.api.internal.kernel.ScalarLoops.transposeBlocked(kb, mb, a, abOff, aps, wa, 0);
                    ab = wa;
                    abOff = 0;
                    abRs = kb;
                    abPs = 1;
                }
                for (int j0 = 0; j0 < n; j0 += nc) {
                    int ncols = Math.min(nc, n - j0);
                    panel(mb, ncols, kb, ab, abOff, abRs, abPs, w, LEAD + j0 * kb, ncols, c, cOff + i0 * ldc + j0, ldc);
                }
            }
        }
    }

    /** Scratch floats {@link #outerBlocked} needs for n columns: the lead, one K-block of B, and a vector so masked loads stay inside. */
    int blockedScratch(int n) {
        return Math.addExact(Math.multiplyExact(kcCopy, n), L + LEAD);
    }

    /** Scratch floats {@link #outerBlocked} needs for one block of A (when A is read transposed). */
    int blockedScratchA() {
        return Math.multiplyExact(kcCopy, mc);
    }

    /**
     * The layout {@link #outerPacked} reads: for each K-block p0 and each panel j0 of nc
     * columns, its kb×ncols block of B stored row after row, contiguous, at LEAD + p0·n + j0·kb.
     * A tile then streams B sequentially instead of one row every ldb floats.
     */
    void pack(int k, int n, float[] b, int bOff, int ldb, float[] packed) {
        for (int p0 = 0; p0 < k; p0 += kc) {
            int kb = Math.min(kc, k - p0);
            for (int j0 = 0; j0 < n; j0 += nc) {
                copyPanel(kb, Math.min(nc, n - j0), b, bOff + p0 * ldb + j0, ldb, packed, LEAD + p0 * n + j0 * kb);
            }
        }
    }

    /** Copies the kb×ncols block of B at {@code src} (rows ldb apart) to {@code dst}, rows contiguous. */
    private static void copyPanel(int kb, int ncols, float[] b, int src, int ldb, float[] dst, int dstOff) {
        for (int p = 0; p < kb; p++) {
            System.arraycopy(b, src + p * ldb, dst, dstOff + p * ncols, ncols);
        }
    }

    /**
     * {@link #outer} with B from {@link #pack} of a k×nTotal matrix, over its columns
     * [j0Start, j0Start + n); j0Start is a multiple of nc and cOff points at column j0Start.
     * Same per-element order: the same bits as {@code outer} on the unpacked B.
     */
    void outerPacked(
            int m,
            int n,
            int k,
            float[] a,
            int aOff,
            int ars,
            int aps,
            float[] packed,
            int nTotal,
            int j0Start,
            float[] c,
            int cOff,
            int ldc) {
        for (int p0 = 0; p0 < k; p0 += kc) {
            int kb = Math.min(kc, k - p0);
            int ap = aOff + p0 * aps;
            int j = 0;
            if (m == 1 && 8 % nv == 0) {
                // One row: the next 8/nv whole panels at once, eight FMA chains (see tile1x8).
                int group = 8 / nv * nc;
                for (; j + group <= n && j0Start + j + group <= nTotal; j += group) {
                    tile1x8(
                            kb,
                            a,
                            ap,
                            aps,
                            packed,
                            LEAD + p0 * nTotal + (j0Start + j) * kb,
                            nc,
                            nc * kb,
                            nv,
                            c,
                            cOff + j);
                }
            }
            for (; j < n; j += nc) {
                int jg = j0Start + j;
                int ncols = Math.min(nc, nTotal - jg);
                panel(m, ncols, kb, a, ap, ars, aps, packed, LEAD + p0 * nTotal + jg * kb, ncols, c, cOff + j, ldc);
            }
        }
    }

    /** C(m×ncols) += A(m×kb)·B(kb×ncols) for one panel of at most nc columns. */
    private void panel(
            int m,
            int ncols,
            int kb,
            float[] a,
            int ap,
            int ars,
            int aps,
            float[] b,
            int bp,
            int ldb,
            float[] c,
            int cj,
            int ldc) {
        if (ncols == nc) {
            switch (nv) {
                case 4 -> rows4(m, kb, a, ap, ars, aps, b, bp, ldb, c, cj, ldc);
                case 3 -> rows3(m, kb, a, ap, ars, aps, b, bp, ldb, c, cj, ldc);
                default -> rows2(m, kb, a, ap, ars, aps, b, bp, ldb, c, cj, ldc);
            }
            return;
        }
        // A narrower panel at the right edge: pairs of whole vectors, then single (masked) ones.
        int j = 0;
        if (nv > 2) {
            for (; ncols - j >= 2 * L; j += 2 * L) {
                rows2Narrow(m, kb, a, ap, ars, aps, b, bp + j, ldb, c, cj + j, ldc);
            }
        }
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int ci = cj + i * ldc;
            for (int jj = j; jj < ncols; jj += L) {
                tile4x1(kb, ncols - jj, a, ap + i * ars, ars, aps, b, bp + jj, ldb, c, ci + jj, ldc);
            }
        }
        for (; i < m; i++) {
            int ci = cj + i * ldc;
            for (int jj = j; jj < ncols; jj += L) {
                tile1x1(kb, ncols - jj, a, ap + i * ars, aps, b, bp + jj, ldb, c, ci + jj);
            }
        }
    }

    /**
     * Whether a main tile of 6 rows should take the next rows when {@code left} remain: not
     * when 8 or 9 remain, which go better as 4 + 4 (+ 1) than as 6 + 1 + 1 (+ 1).
     */
    private static boolean sixFits(int left) {
        return left >= 6 && left != 8 && left != 9;
    }

    private void rows4(
            int m,
            int kb,
            float[] a,
            int ap,
            int ars,
            int aps,
            float[] b,
            int bp,
            int ldb,
            float[] c,
            int cj,
            int ldc) {
        int i = 0;
        if (mr == 6) {
            for (; sixFits(m - i); i += 6) {
                tile6x4(kb, a, ap + i * ars, ars, aps, b, bp, ldb, c, cj + i * ldc, ldc);
            }
        }
        for (; i + 4 <= m; i += 4) {
            tile4x4(kb, a, ap + i * ars, ars, aps, b, bp, ldb, c, cj + i * ldc, ldc);
        }
        for (; i < m; i++) {
            tile1x4(kb, a, ap + i * ars, ars, aps, b, bp, ldb, c, cj + i * ldc, ldc);
        }
    }

    private void rows3(
            int m,
            int kb,
            float[] a,
            int ap,
            int ars,
            int aps,
            float[] b,
            int bp,
            int ldb,
            float[] c,
            int cj,
            int ldc) {
        int i = 0;
        if (mr == 8) {
            for (; m - i >= 8; i += 8) {
                tile8x3(kb, a, ap + i * ars, ars, aps, b, bp, ldb, c, cj + i * ldc, ldc);
            }
        }
        for (; i + 4 <= m; i += 4) {
            tile4x3(kb, a, ap + i * ars, ars, aps, b, bp, ldb, c, cj + i * ldc, ldc);
        }
        for (; i < m; i++) {
            tile1x3(kb, a, ap + i * ars, ars, aps, b, bp, ldb, c, cj + i * ldc, ldc);
        }
    }

    private void rows2(
            int m,
            int kb,
            float[] a,
            int ap,
            int ars,
            int aps,
            float[] b,
            int bp,
            int ldb,
            float[] c,
            int cj,
            int ldc) {
        int i = 0;
        if (mr == 6) {
            for (; sixFits(m - i); i += 6) {
                tile6x2(kb, a, ap + i * ars, ars, aps, b, bp, ldb, c, cj + i * ldc, ldc);
            }
        }
        rows2Narrow(m - i, kb, a, ap + i * ars, ars, aps, b, bp, ldb, c, cj + i * ldc, ldc);
    }

    /** Rows of two-vector tiles, 4 then 1 at a time. */
    private static void rows2Narrow(
            int m,
            int kb,
            float[] a,
            int ap,
            int ars,
            int aps,
            float[] b,
            int bp,
            int ldb,
            float[] c,
            int cj,
            int ldc) {
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            tile4x2(kb, a, ap + i * ars, ars, aps, b, bp, ldb, c, cj + i * ldc, ldc);
        }
        for (; i < m; i++) {
            tile1x2(kb, a, ap + i * ars, ars, aps, b, bp, ldb, c, cj + i * ldc, ldc);
        }
    }

    // Register tiles: R rows × V vectors of accumulators, the most that leave registers for the V
    // B vectors and a broadcast (32 vector registers with AVX-512, 16 with AVX2: 6x4 and 8x3 need
    // 32, 6x2 and 4x3 fit 16). Written out per shape: an array of vectors would be boxed.
    // Each tile has two k-loops that differ only in how they index A. The Rows loop (A's rows run
    // along k, aps = 1: every product but Aᵀ read in place) indexes a[q + o_r + p] by the loop
    // counter, so C2 proves those indices in bounds once before the loop instead of at every load.
    // The strided loop (Aᵀ read in place) reaches the R rows from one index and loop-invariant
    // offsets, q += aps, rather than R indices each advanced every step. Same loads, same order,
    // same bits.

    private static void tile6x4(
            int kc, float[] a, int ai, int ars, int aps, float[] b, int bp, int ldb, float[] c, int ci, int ldc) {
        int r0 = ci, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc, r4 = r3 + ldc, r5 = r4 + ldc;
        FloatVector c00 = FloatVector.fromArray(S, c, r0), c01 = FloatVector.fromArray(S, c, r0 + L);
        FloatVector c02 = FloatVector.fromArray(S, c, r0 + 2 * L), c03 = FloatVector.fromArray(S, c, r0 + 3 * L);
        FloatVector c10 = FloatVector.fromArray(S, c, r1), c11 = FloatVector.fromArray(S, c, r1 + L);
        FloatVector c12 = FloatVector.fromArray(S, c, r1 + 2 * L), c13 = FloatVector.fromArray(S, c, r1 + 3 * L);
        FloatVector c20 = FloatVector.fromArray(S, c, r2), c21 = FloatVector.fromArray(S, c, r2 + L);
        FloatVector c22 = FloatVector.fromArray(S, c, r2 + 2 * L), c23 = FloatVector.fromArray(S, c, r2 + 3 * L);
        FloatVector c30 = FloatVector.fromArray(S, c, r3), c31 = FloatVector.fromArray(S, c, r3 + L);
        FloatVector c32 = FloatVector.fromArray(S, c, r3 + 2 * L), c33 = FloatVector.fromArray(S, c, r3 + 3 * L);
        FloatVector c40 = FloatVector.fromArray(S, c, r4), c41 = FloatVector.fromArray(S, c, r4 + L);
        FloatVector c42 = FloatVector.fromArray(S, c, r4 + 2 * L), c43 = FloatVector.fromArray(S, c, r4 + 3 * L);
        FloatVector c50 = FloatVector.fromArray(S, c, r5), c51 = FloatVector.fromArray(S, c, r5 + L);
        FloatVector c52 = FloatVector.fromArray(S, c, r5 + 2 * L), c53 = FloatVector.fromArray(S, c, r5 + 3 * L);
        int q = ai, o1 = ars, o2 = o1 + ars, o3 = o2 + ars, o4 = o3 + ars, o5 = o4 + ars;
        if (aps == 1) {
            for (int p = 0; p < kc; p++) {
                FloatVector b0 = FloatVector.fromArray(S, b, bp);
                FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
                FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
                FloatVector b3 = FloatVector.fromArray(S, b, bp + 3 * L);
                FloatVector x = FloatVector.broadcast(S, a[q + p]);
                c00 = x.fma(b0, c00);
                c01 = x.fma(b1, c01);
                c02 = x.fma(b2, c02);
                c03 = x.fma(b3, c03);
                x = FloatVector.broadcast(S, a[q + o1 + p]);
                c10 = x.fma(b0, c10);
                c11 = x.fma(b1, c11);
                c12 = x.fma(b2, c12);
                c13 = x.fma(b3, c13);
                x = FloatVector.broadcast(S, a[q + o2 + p]);
                c20 = x.fma(b0, c20);
                c21 = x.fma(b1, c21);
                c22 = x.fma(b2, c22);
                c23 = x.fma(b3, c23);
                x = FloatVector.broadcast(S, a[q + o3 + p]);
                c30 = x.fma(b0, c30);
                c31 = x.fma(b1, c31);
                c32 = x.fma(b2, c32);
                c33 = x.fma(b3, c33);
                x = FloatVector.broadcast(S, a[q + o4 + p]);
                c40 = x.fma(b0, c40);
                c41 = x.fma(b1, c41);
                c42 = x.fma(b2, c42);
                c43 = x.fma(b3, c43);
                x = FloatVector.broadcast(S, a[q + o5 + p]);
                c50 = x.fma(b0, c50);
                c51 = x.fma(b1, c51);
                c52 = x.fma(b2, c52);
                c53 = x.fma(b3, c53);
                bp += ldb;
            }
        } else {
            for (int p = 0; p < kc; p++) {
                FloatVector b0 = FloatVector.fromArray(S, b, bp);
                FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
                FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
                FloatVector b3 = FloatVector.fromArray(S, b, bp + 3 * L);
                FloatVector x = FloatVector.broadcast(S, a[q]);
                c00 = x.fma(b0, c00);
                c01 = x.fma(b1, c01);
                c02 = x.fma(b2, c02);
                c03 = x.fma(b3, c03);
                x = FloatVector.broadcast(S, a[q + o1]);
                c10 = x.fma(b0, c10);
                c11 = x.fma(b1, c11);
                c12 = x.fma(b2, c12);
                c13 = x.fma(b3, c13);
                x = FloatVector.broadcast(S, a[q + o2]);
                c20 = x.fma(b0, c20);
                c21 = x.fma(b1, c21);
                c22 = x.fma(b2, c22);
                c23 = x.fma(b3, c23);
                x = FloatVector.broadcast(S, a[q + o3]);
                c30 = x.fma(b0, c30);
                c31 = x.fma(b1, c31);
                c32 = x.fma(b2, c32);
                c33 = x.fma(b3, c33);
                x = FloatVector.broadcast(S, a[q + o4]);
                c40 = x.fma(b0, c40);
                c41 = x.fma(b1, c41);
                c42 = x.fma(b2, c42);
                c43 = x.fma(b3, c43);
                x = FloatVector.broadcast(S, a[q + o5]);
                c50 = x.fma(b0, c50);
                c51 = x.fma(b1, c51);
                c52 = x.fma(b2, c52);
                c53 = x.fma(b3, c53);
                q += aps;
                bp += ldb;
            }
        }
        c00.intoArray(c, r0);
        c01.intoArray(c, r0 + L);
        c02.intoArray(c, r0 + 2 * L);
        c03.intoArray(c, r0 + 3 * L);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + L);
        c12.intoArray(c, r1 + 2 * L);
        c13.intoArray(c, r1 + 3 * L);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + L);
        c22.intoArray(c, r2 + 2 * L);
        c23.intoArray(c, r2 + 3 * L);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + L);
        c32.intoArray(c, r3 + 2 * L);
        c33.intoArray(c, r3 + 3 * L);
        c40.intoArray(c, r4);
        c41.intoArray(c, r4 + L);
        c42.intoArray(c, r4 + 2 * L);
        c43.intoArray(c, r4 + 3 * L);
        c50.intoArray(c, r5);
        c51.intoArray(c, r5 + L);
        c52.intoArray(c, r5 + 2 * L);
        c53.intoArray(c, r5 + 3 * L);
    }

    private static void tile4x4(
            int kc, float[] a, int ai, int ars, int aps, float[] b, int bp, int ldb, float[] c, int ci, int ldc) {
        int r0 = ci, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
        FloatVector c00 = FloatVector.fromArray(S, c, r0), c01 = FloatVector.fromArray(S, c, r0 + L);
        FloatVector c02 = FloatVector.fromArray(S, c, r0 + 2 * L), c03 = FloatVector.fromArray(S, c, r0 + 3 * L);
        FloatVector c10 = FloatVector.fromArray(S, c, r1), c11 = FloatVector.fromArray(S, c, r1 + L);
        FloatVector c12 = FloatVector.fromArray(S, c, r1 + 2 * L), c13 = FloatVector.fromArray(S, c, r1 + 3 * L);
        FloatVector c20 = FloatVector.fromArray(S, c, r2), c21 = FloatVector.fromArray(S, c, r2 + L);
        FloatVector c22 = FloatVector.fromArray(S, c, r2 + 2 * L), c23 = FloatVector.fromArray(S, c, r2 + 3 * L);
        FloatVector c30 = FloatVector.fromArray(S, c, r3), c31 = FloatVector.fromArray(S, c, r3 + L);
        FloatVector c32 = FloatVector.fromArray(S, c, r3 + 2 * L), c33 = FloatVector.fromArray(S, c, r3 + 3 * L);
        int q = ai, o1 = ars, o2 = o1 + ars, o3 = o2 + ars;
        if (aps == 1) {
            for (int p = 0; p < kc; p++) {
                FloatVector b0 = FloatVector.fromArray(S, b, bp);
                FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
                FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
                FloatVector b3 = FloatVector.fromArray(S, b, bp + 3 * L);
                FloatVector x = FloatVector.broadcast(S, a[q + p]);
                c00 = x.fma(b0, c00);
                c01 = x.fma(b1, c01);
                c02 = x.fma(b2, c02);
                c03 = x.fma(b3, c03);
                x = FloatVector.broadcast(S, a[q + o1 + p]);
                c10 = x.fma(b0, c10);
                c11 = x.fma(b1, c11);
                c12 = x.fma(b2, c12);
                c13 = x.fma(b3, c13);
                x = FloatVector.broadcast(S, a[q + o2 + p]);
                c20 = x.fma(b0, c20);
                c21 = x.fma(b1, c21);
                c22 = x.fma(b2, c22);
                c23 = x.fma(b3, c23);
                x = FloatVector.broadcast(S, a[q + o3 + p]);
                c30 = x.fma(b0, c30);
                c31 = x.fma(b1, c31);
                c32 = x.fma(b2, c32);
                c33 = x.fma(b3, c33);
                bp += ldb;
            }
        } else {
            for (int p = 0; p < kc; p++) {
                FloatVector b0 = FloatVector.fromArray(S, b, bp);
                FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
                FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
                FloatVector b3 = FloatVector.fromArray(S, b, bp + 3 * L);
                FloatVector x = FloatVector.broadcast(S, a[q]);
                c00 = x.fma(b0, c00);
                c01 = x.fma(b1, c01);
                c02 = x.fma(b2, c02);
                c03 = x.fma(b3, c03);
                x = FloatVector.broadcast(S, a[q + o1]);
                c10 = x.fma(b0, c10);
                c11 = x.fma(b1, c11);
                c12 = x.fma(b2, c12);
                c13 = x.fma(b3, c13);
                x = FloatVector.broadcast(S, a[q + o2]);
                c20 = x.fma(b0, c20);
                c21 = x.fma(b1, c21);
                c22 = x.fma(b2, c22);
                c23 = x.fma(b3, c23);
                x = FloatVector.broadcast(S, a[q + o3]);
                c30 = x.fma(b0, c30);
                c31 = x.fma(b1, c31);
                c32 = x.fma(b2, c32);
                c33 = x.fma(b3, c33);
                q += aps;
                bp += ldb;
            }
        }
        c00.intoArray(c, r0);
        c01.intoArray(c, r0 + L);
        c02.intoArray(c, r0 + 2 * L);
        c03.intoArray(c, r0 + 3 * L);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + L);
        c12.intoArray(c, r1 + 2 * L);
        c13.intoArray(c, r1 + 3 * L);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + L);
        c22.intoArray(c, r2 + 2 * L);
        c23.intoArray(c, r2 + 3 * L);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + L);
        c32.intoArray(c, r3 + 2 * L);
        c33.intoArray(c, r3 + 3 * L);
    }

    private static void tile1x4(
            int kc, float[] a, int ai, int ars, int aps, float[] b, int bp, int ldb, float[] c, int ci, int ldc) {
        int r0 = ci;
        FloatVector c00 = FloatVector.fromArray(S, c, r0), c01 = FloatVector.fromArray(S, c, r0 + L);
        FloatVector c02 = FloatVector.fromArray(S, c, r0 + 2 * L), c03 = FloatVector.fromArray(S, c, r0 + 3 * L);
        int q = ai;
        if (aps == 1) {
            for (int p = 0; p < kc; p++) {
                FloatVector b0 = FloatVector.fromArray(S, b, bp);
                FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
                FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
                FloatVector b3 = FloatVector.fromArray(S, b, bp + 3 * L);
                FloatVector x = FloatVector.broadcast(S, a[q + p]);
                c00 = x.fma(b0, c00);
                c01 = x.fma(b1, c01);
                c02 = x.fma(b2, c02);
                c03 = x.fma(b3, c03);
                bp += ldb;
            }
        } else {
            for (int p = 0; p < kc; p++) {
                FloatVector b0 = FloatVector.fromArray(S, b, bp);
                FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
                FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
                FloatVector b3 = FloatVector.fromArray(S, b, bp + 3 * L);
                FloatVector x = FloatVector.broadcast(S, a[q]);
                c00 = x.fma(b0, c00);
                c01 = x.fma(b1, c01);
                c02 = x.fma(b2, c02);
                c03 = x.fma(b3, c03);
                q += aps;
                bp += ldb;
            }
        }
        c00.intoArray(c, r0);
        c01.intoArray(c, r0 + L);
        c02.intoArray(c, r0 + 2 * L);
        c03.intoArray(c, r0 + 3 * L);
    }

    private static void tile8x3(
            int kc, float[] a, int ai, int ars, int aps, float[] b, int bp, int ldb, float[] c, int ci, int ldc) {
        int r0 = ci,
                r1 = r0 + ldc,
                r2 = r1 + ldc,
                r3 = r2 + ldc,
                r4 = r3 + ldc,
                r5 = r4 + ldc,
                r6 = r5 + ldc,
                r7 = r6 + ldc;
        FloatVector c00 = FloatVector.fromArray(S, c, r0), c01 = FloatVector.fromArray(S, c, r0 + L);
        FloatVector c02 = FloatVector.fromArray(S, c, r0 + 2 * L);
        FloatVector c10 = FloatVector.fromArray(S, c, r1), c11 = FloatVector.fromArray(S, c, r1 + L);
        FloatVector c12 = FloatVector.fromArray(S, c, r1 + 2 * L);
        FloatVector c20 = FloatVector.fromArray(S, c, r2), c21 = FloatVector.fromArray(S, c, r2 + L);
        FloatVector c22 = FloatVector.fromArray(S, c, r2 + 2 * L);
        FloatVector c30 = FloatVector.fromArray(S, c, r3), c31 = FloatVector.fromArray(S, c, r3 + L);
        FloatVector c32 = FloatVector.fromArray(S, c, r3 + 2 * L);
        FloatVector c40 = FloatVector.fromArray(S, c, r4), c41 = FloatVector.fromArray(S, c, r4 + L);
        FloatVector c42 = FloatVector.fromArray(S, c, r4 + 2 * L);
        FloatVector c50 = FloatVector.fromArray(S, c, r5), c51 = FloatVector.fromArray(S, c, r5 + L);
        FloatVector c52 = FloatVector.fromArray(S, c, r5 + 2 * L);
        FloatVector c60 = FloatVector.fromArray(S, c, r6), c61 = FloatVector.fromArray(S, c, r6 + L);
        FloatVector c62 = FloatVector.fromArray(S, c, r6 + 2 * L);
        FloatVector c70 = FloatVector.fromArray(S, c, r7), c71 = FloatVector.fromArray(S, c, r7 + L);
        FloatVector c72 = FloatVector.fromArray(S, c, r7 + 2 * L);
        int q = ai, o1 = ars, o2 = o1 + ars, o3 = o2 + ars, o4 = o3 + ars, o5 = o4 + ars, o6 = o5 + ars, o7 = o6 + ars;
        if (aps == 1) {
            for (int p = 0; p < kc; p++) {
                FloatVector b0 = FloatVector.fromArray(S, b, bp);
                FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
                FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
                FloatVector x = FloatVector.broadcast(S, a[q + p]);
                c00 = x.fma(b0, c00);
                c01 = x.fma(b1, c01);
                c02 = x.fma(b2, c02);
                x = FloatVector.broadcast(S, a[q + o1 + p]);
                c10 = x.fma(b0, c10);
                c11 = x.fma(b1, c11);
                c12 = x.fma(b2, c12);
                x = FloatVector.broadcast(S, a[q + o2 + p]);
                c20 = x.fma(b0, c20);
                c21 = x.fma(b1, c21);
                c22 = x.fma(b2, c22);
                x = FloatVector.broadcast(S, a[q + o3 + p]);
                c30 = x.fma(b0, c30);
                c31 = x.fma(b1, c31);
                c32 = x.fma(b2, c32);
                x = FloatVector.broadcast(S, a[q + o4 + p]);
                c40 = x.fma(b0, c40);
                c41 = x.fma(b1, c41);
                c42 = x.fma(b2, c42);
                x = FloatVector.broadcast(S, a[q + o5 + p]);
                c50 = x.fma(b0, c50);
                c51 = x.fma(b1, c51);
                c52 = x.fma(b2, c52);
                x = FloatVector.broadcast(S, a[q + o6 + p]);
                c60 = x.fma(b0, c60);
                c61 = x.fma(b1, c61);
                c62 = x.fma(b2, c62);
                x = FloatVector.broadcast(S, a[q + o7 + p]);
                c70 = x.fma(b0, c70);
                c71 = x.fma(b1, c71);
                c72 = x.fma(b2, c72);
                bp += ldb;
            }
        } else {
            for (int p = 0; p < kc; p++) {
                FloatVector b0 = FloatVector.fromArray(S, b, bp);
                FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
                FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
                FloatVector x = FloatVector.broadcast(S, a[q]);
                c00 = x.fma(b0, c00);
                c01 = x.fma(b1, c01);
                c02 = x.fma(b2, c02);
                x = FloatVector.broadcast(S, a[q + o1]);
                c10 = x.fma(b0, c10);
                c11 = x.fma(b1, c11);
                c12 = x.fma(b2, c12);
                x = FloatVector.broadcast(S, a[q + o2]);
                c20 = x.fma(b0, c20);
                c21 = x.fma(b1, c21);
                c22 = x.fma(b2, c22);
                x = FloatVector.broadcast(S, a[q + o3]);
                c30 = x.fma(b0, c30);
                c31 = x.fma(b1, c31);
                c32 = x.fma(b2, c32);
                x = FloatVector.broadcast(S, a[q + o4]);
                c40 = x.fma(b0, c40);
                c41 = x.fma(b1, c41);
                c42 = x.fma(b2, c42);
                x = FloatVector.broadcast(S, a[q + o5]);
                c50 = x.fma(b0, c50);
                c51 = x.fma(b1, c51);
                c52 = x.fma(b2, c52);
                x = FloatVector.broadcast(S, a[q + o6]);
                c60 = x.fma(b0, c60);
                c61 = x.fma(b1, c61);
                c62 = x.fma(b2, c62);
                x = FloatVector.broadcast(S, a[q + o7]);
                c70 = x.fma(b0, c70);
                c71 = x.fma(b1, c71);
                c72 = x.fma(b2, c72);
                q += aps;
                bp += ldb;
            }
        }
        c00.intoArray(c, r0);
        c01.intoArray(c, r0 + L);
        c02.intoArray(c, r0 + 2 * L);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + L);
        c12.intoArray(c, r1 + 2 * L);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + L);
        c22.intoArray(c, r2 + 2 * L);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + L);
        c32.intoArray(c, r3 + 2 * L);
        c40.intoArray(c, r4);
        c41.intoArray(c, r4 + L);
        c42.intoArray(c, r4 + 2 * L);
        c50.intoArray(c, r5);
        c51.intoArray(c, r5 + L);
        c52.intoArray(c, r5 + 2 * L);
        c60.intoArray(c, r6);
        c61.intoArray(c, r6 + L);
        c62.intoArray(c, r6 + 2 * L);
        c70.intoArray(c, r7);
        c71.intoArray(c, r7 + L);
        c72.intoArray(c, r7 + 2 * L);
    }

    private static void tile4x3(
            int kc, float[] a, int ai, int ars, int aps, float[] b, int bp, int ldb, float[] c, int ci, int ldc) {
        int r0 = ci, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
        FloatVector c00 = FloatVector.fromArray(S, c, r0), c01 = FloatVector.fromArray(S, c, r0 + L);
        FloatVector c02 = FloatVector.fromArray(S, c, r0 + 2 * L);
        FloatVector c10 = FloatVector.fromArray(S, c, r1), c11 = FloatVector.fromArray(S, c, r1 + L);
        FloatVector c12 = FloatVector.fromArray(S, c, r1 + 2 * L);
        FloatVector c20 = FloatVector.fromArray(S, c, r2), c21 = FloatVector.fromArray(S, c, r2 + L);
        FloatVector c22 = FloatVector.fromArray(S, c, r2 + 2 * L);
        FloatVector c30 = FloatVector.fromArray(S, c, r3), c31 = FloatVector.fromArray(S, c, r3 + L);
        FloatVector c32 = FloatVector.fromArray(S, c, r3 + 2 * L);
        int q = ai, o1 = ars, o2 = o1 + ars, o3 = o2 + ars;
        if (aps == 1) {
            for (int p = 0; p < kc; p++) {
                FloatVector b0 = FloatVector.fromArray(S, b, bp);
                FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
                FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
                FloatVector x = FloatVector.broadcast(S, a[q + p]);
                c00 = x.fma(b0, c00);
                c01 = x.fma(b1, c01);
                c02 = x.fma(b2, c02);
                x = FloatVector.broadcast(S, a[q + o1 + p]);
                c10 = x.fma(b0, c10);
                c11 = x.fma(b1, c11);
                c12 = x.fma(b2, c12);
                x = FloatVector.broadcast(S, a[q + o2 + p]);
                c20 = x.fma(b0, c20);
                c21 = x.fma(b1, c21);
                c22 = x.fma(b2, c22);
                x = FloatVector.broadcast(S, a[q + o3 + p]);
                c30 = x.fma(b0, c30);
                c31 = x.fma(b1, c31);
                c32 = x.fma(b2, c32);
                bp += ldb;
            }
        } else {
            for (int p = 0; p < kc; p++) {
                FloatVector b0 = FloatVector.fromArray(S, b, bp);
                FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
                FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
                FloatVector x = FloatVector.broadcast(S, a[q]);
                c00 = x.fma(b0, c00);
                c01 = x.fma(b1, c01);
                c02 = x.fma(b2, c02);
                x = FloatVector.broadcast(S, a[q + o1]);
                c10 = x.fma(b0, c10);
                c11 = x.fma(b1, c11);
                c12 = x.fma(b2, c12);
                x = FloatVector.broadcast(S, a[q + o2]);
                c20 = x.fma(b0, c20);
                c21 = x.fma(b1, c21);
                c22 = x.fma(b2, c22);
                x = FloatVector.broadcast(S, a[q + o3]);
                c30 = x.fma(b0, c30);
                c31 = x.fma(b1, c31);
                c32 = x.fma(b2, c32);
                q += aps;
                bp += ldb;
            }
        }
        c00.intoArray(c, r0);
        c01.intoArray(c, r0 + L);
        c02.intoArray(c, r0 + 2 * L);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + L);
        c12.intoArray(c, r1 + 2 * L);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + L);
        c22.intoArray(c, r2 + 2 * L);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + L);
        c32.intoArray(c, r3 + 2 * L);
    }

    private static void tile1x3(
            int kc, float[] a, int ai, int ars, int aps, float[] b, int bp, int ldb, float[] c, int ci, int ldc) {
        int r0 = ci;
        FloatVector c00 = FloatVector.fromArray(S, c, r0), c01 = FloatVector.fromArray(S, c, r0 + L);
        FloatVector c02 = FloatVector.fromArray(S, c, r0 + 2 * L);
        int q = ai;
        if (aps == 1) {
            for (int p = 0; p < kc; p++) {
                FloatVector b0 = FloatVector.fromArray(S, b, bp);
                FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
                FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
                FloatVector x = FloatVector.broadcast(S, a[q + p]);
                c00 = x.fma(b0, c00);
                c01 = x.fma(b1, c01);
                c02 = x.fma(b2, c02);
                bp += ldb;
            }
        } else {
            for (int p = 0; p < kc; p++) {
                FloatVector b0 = FloatVector.fromArray(S, b, bp);
                FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
                FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
                FloatVector x = FloatVector.broadcast(S, a[q]);
                c00 = x.fma(b0, c00);
                c01 = x.fma(b1, c01);
                c02 = x.fma(b2, c02);
                q += aps;
                bp += ldb;
            }
        }
        c00.intoArray(c, r0);
        c01.intoArray(c, r0 + L);
        c02.intoArray(c, r0 + 2 * L);
    }

    private static void tile6x2(
            int kc, float[] a, int ai, int ars, int aps, float[] b, int bp, int ldb, float[] c, int ci, int ldc) {
        int r0 = ci, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc, r4 = r3 + ldc, r5 = r4 + ldc;
        FloatVector c00 = FloatVector.fromArray(S, c, r0), c01 = FloatVector.fromArray(S, c, r0 + L);
        FloatVector c10 = FloatVector.fromArray(S, c, r1), c11 = FloatVector.fromArray(S, c, r1 + L);
        FloatVector c20 = FloatVector.fromArray(S, c, r2), c21 = FloatVector.fromArray(S, c, r2 + L);
        FloatVector c30 = FloatVector.fromArray(S, c, r3), c31 = FloatVector.fromArray(S, c, r3 + L);
        FloatVector c40 = FloatVector.fromArray(S, c, r4), c41 = FloatVector.fromArray(S, c, r4 + L);
        FloatVector c50 = FloatVector.fromArray(S, c, r5), c51 = FloatVector.fromArray(S, c, r5 + L);
        int q = ai, o1 = ars, o2 = o1 + ars, o3 = o2 + ars, o4 = o3 + ars, o5 = o4 + ars;
        if (aps == 1) {
            for (int p = 0; p < kc; p++) {
                FloatVector b0 = FloatVector.fromArray(S, b, bp);
                FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
                FloatVector x = FloatVector.broadcast(S, a[q + p]);
                c00 = x.fma(b0, c00);
                c01 = x.fma(b1, c01);
                x = FloatVector.broadcast(S, a[q + o1 + p]);
                c10 = x.fma(b0, c10);
                c11 = x.fma(b1, c11);
                x = FloatVector.broadcast(S, a[q + o2 + p]);
                c20 = x.fma(b0, c20);
                c21 = x.fma(b1, c21);
                x = FloatVector.broadcast(S, a[q + o3 + p]);
                c30 = x.fma(b0, c30);
                c31 = x.fma(b1, c31);
                x = FloatVector.broadcast(S, a[q + o4 + p]);
                c40 = x.fma(b0, c40);
                c41 = x.fma(b1, c41);
                x = FloatVector.broadcast(S, a[q + o5 + p]);
                c50 = x.fma(b0, c50);
                c51 = x.fma(b1, c51);
                bp += ldb;
            }
        } else {
            for (int p = 0; p < kc; p++) {
                FloatVector b0 = FloatVector.fromArray(S, b, bp);
                FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
                FloatVector x = FloatVector.broadcast(S, a[q]);
                c00 = x.fma(b0, c00);
                c01 = x.fma(b1, c01);
                x = FloatVector.broadcast(S, a[q + o1]);
                c10 = x.fma(b0, c10);
                c11 = x.fma(b1, c11);
                x = FloatVector.broadcast(S, a[q + o2]);
                c20 = x.fma(b0, c20);
                c21 = x.fma(b1, c21);
                x = FloatVector.broadcast(S, a[q + o3]);
                c30 = x.fma(b0, c30);
                c31 = x.fma(b1, c31);
                x = FloatVector.broadcast(S, a[q + o4]);
                c40 = x.fma(b0, c40);
                c41 = x.fma(b1, c41);
                x = FloatVector.broadcast(S, a[q + o5]);
                c50 = x.fma(b0, c50);
                c51 = x.fma(b1, c51);
                q += aps;
                bp += ldb;
            }
        }
        c00.intoArray(c, r0);
        c01.intoArray(c, r0 + L);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + L);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + L);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + L);
        c40.intoArray(c, r4);
        c41.intoArray(c, r4 + L);
        c50.intoArray(c, r5);
        c51.intoArray(c, r5 + L);
    }

    private static void tile4x2(
            int kc, float[] a, int ai, int ars, int aps, float[] b, int bp, int ldb, float[] c, int ci, int ldc) {
        int r0 = ci, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
        FloatVector c00 = FloatVector.fromArray(S, c, r0), c01 = FloatVector.fromArray(S, c, r0 + L);
        FloatVector c10 = FloatVector.fromArray(S, c, r1), c11 = FloatVector.fromArray(S, c, r1 + L);
        FloatVector c20 = FloatVector.fromArray(S, c, r2), c21 = FloatVector.fromArray(S, c, r2 + L);
        FloatVector c30 = FloatVector.fromArray(S, c, r3), c31 = FloatVector.fromArray(S, c, r3 + L);
        int q = ai, o1 = ars, o2 = o1 + ars, o3 = o2 + ars;
        if (aps == 1) {
            for (int p = 0; p < kc; p++) {
                FloatVector b0 = FloatVector.fromArray(S, b, bp);
                FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
                FloatVector x = FloatVector.broadcast(S, a[q + p]);
                c00 = x.fma(b0, c00);
                c01 = x.fma(b1, c01);
                x = FloatVector.broadcast(S, a[q + o1 + p]);
                c10 = x.fma(b0, c10);
                c11 = x.fma(b1, c11);
                x = FloatVector.broadcast(S, a[q + o2 + p]);
                c20 = x.fma(b0, c20);
                c21 = x.fma(b1, c21);
                x = FloatVector.broadcast(S, a[q + o3 + p]);
                c30 = x.fma(b0, c30);
                c31 = x.fma(b1, c31);
                bp += ldb;
            }
        } else {
            for (int p = 0; p < kc; p++) {
                FloatVector b0 = FloatVector.fromArray(S, b, bp);
                FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
                FloatVector x = FloatVector.broadcast(S, a[q]);
                c00 = x.fma(b0, c00);
                c01 = x.fma(b1, c01);
                x = FloatVector.broadcast(S, a[q + o1]);
                c10 = x.fma(b0, c10);
                c11 = x.fma(b1, c11);
                x = FloatVector.broadcast(S, a[q + o2]);
                c20 = x.fma(b0, c20);
                c21 = x.fma(b1, c21);
                x = FloatVector.broadcast(S, a[q + o3]);
                c30 = x.fma(b0, c30);
                c31 = x.fma(b1, c31);
                q += aps;
                bp += ldb;
            }
        }
        c00.intoArray(c, r0);
        c01.intoArray(c, r0 + L);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + L);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + L);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + L);
    }

    /**
     * One row of C, eight vectors of columns (8·L contiguous floats at ci): for a single row
     * (a batch of one) the 1×nv tiles are bound by the latency of their nv FMA chains, and
     * eight independent chains hide it. Vector v of B starts at bp + (v / perGroup)·groupStride
     * + (v mod perGroup)·L and advances ldb per step of k: consecutive columns of an unpacked B
     * (perGroup 8), or 8/nv whole packed panels (perGroup nv, groupStride nc·kb). Every element
     * is still c = fma(a_p, b_pj, c) for p in order: the same bits as the other tiles.
     */
    private static void tile1x8(
            int kc,
            float[] a,
            int ai,
            int aps,
            float[] b,
            int bp,
            int ldb,
            int groupStride,
            int perGroup,
            float[] c,
            int ci) {
        int o0 = bp, o1 = off(bp, 1, groupStride, perGroup), o2 = off(bp, 2, groupStride, perGroup);
        int o3 = off(bp, 3, groupStride, perGroup), o4 = off(bp, 4, groupStride, perGroup);
        int o5 = off(bp, 5, groupStride, perGroup), o6 = off(bp, 6, groupStride, perGroup);
        int o7 = off(bp, 7, groupStride, perGroup);
        FloatVector c0 = FloatVector.fromArray(S, c, ci), c1 = FloatVector.fromArray(S, c, ci + L);
        FloatVector c2 = FloatVector.fromArray(S, c, ci + 2 * L), c3 = FloatVector.fromArray(S, c, ci + 3 * L);
        FloatVector c4 = FloatVector.fromArray(S, c, ci + 4 * L), c5 = FloatVector.fromArray(S, c, ci + 5 * L);
        FloatVector c6 = FloatVector.fromArray(S, c, ci + 6 * L), c7 = FloatVector.fromArray(S, c, ci + 7 * L);
        int a0 = ai;
        for (int p = 0, q = 0; p < kc; p++, q += ldb) {
            FloatVector x = FloatVector.broadcast(S, a[a0]);
            c0 = x.fma(FloatVector.fromArray(S, b, o0 + q), c0);
            c1 = x.fma(FloatVector.fromArray(S, b, o1 + q), c1);
            c2 = x.fma(FloatVector.fromArray(S, b, o2 + q), c2);
            c3 = x.fma(FloatVector.fromArray(S, b, o3 + q), c3);
            c4 = x.fma(FloatVector.fromArray(S, b, o4 + q), c4);
            c5 = x.fma(FloatVector.fromArray(S, b, o5 + q), c5);
            c6 = x.fma(FloatVector.fromArray(S, b, o6 + q), c6);
            c7 = x.fma(FloatVector.fromArray(S, b, o7 + q), c7);
            a0 += aps;
        }
        c0.intoArray(c, ci);
        c1.intoArray(c, ci + L);
        c2.intoArray(c, ci + 2 * L);
        c3.intoArray(c, ci + 3 * L);
        c4.intoArray(c, ci + 4 * L);
        c5.intoArray(c, ci + 5 * L);
        c6.intoArray(c, ci + 6 * L);
        c7.intoArray(c, ci + 7 * L);
    }

    /** Where vector v of a {@link #tile1x8} starts. */
    private static int off(int bp, int v, int groupStride, int perGroup) {
        return bp + (v / perGroup) * groupStride + (v % perGroup) * L;
    }

    private static void tile1x2(
            int kc, float[] a, int ai, int ars, int aps, float[] b, int bp, int ldb, float[] c, int ci, int ldc) {
        int r0 = ci;
        FloatVector c00 = FloatVector.fromArray(S, c, r0), c01 = FloatVector.fromArray(S, c, r0 + L);
        int a0 = ai;
        if (aps == 1) {
            for (int p = 0; p < kc; p++) {
                FloatVector b0 = FloatVector.fromArray(S, b, bp);
                FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
                FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
                c00 = x.fma(b0, c00);
                c01 = x.fma(b1, c01);
                bp += ldb;
            }
        } else {
            for (int p = 0; p < kc; p++) {
                FloatVector b0 = FloatVector.fromArray(S, b, bp);
                FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
                FloatVector x = FloatVector.broadcast(S, a[a0]);
                c00 = x.fma(b0, c00);
                c01 = x.fma(b1, c01);
                a0 += aps;
                bp += ldb;
            }
        }
        c00.intoArray(c, r0);
        c01.intoArray(c, r0 + L);
    }

    /** Four rows, one vector of columns, or its first {@code width} lanes. */
    private static void tile4x1(
            int kc,
            int width,
            float[] a,
            int ai,
            int ars,
            int aps,
            float[] b,
            int bp,
            int ldb,
            float[] c,
            int ci,
            int ldc) {
        if (ci + 3 * ldc + L > c.length || bp + (kc - 1) * ldb + L > b.length) {
            edge(4, kc, width, a, ai, ars, aps, b, bp, ldb, c, ci, ldc);
            return;
        }
        // The mask is made here, not passed in: a mask argument to a call C2 does not inline is boxed.
        VectorMask<Float> cols = S.indexInRange(0, width);
        int r0 = ci, r1 = ci + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
        FloatVector c0 = FloatVector.fromArray(S, c, r0, cols), c1 = FloatVector.fromArray(S, c, r1, cols);
        FloatVector c2 = FloatVector.fromArray(S, c, r2, cols), c3 = FloatVector.fromArray(S, c, r3, cols);
        int q = ai, o1 = ars, o2 = o1 + ars, o3 = o2 + ars;
        for (int p = 0; p < kc; p++) {
            FloatVector bv = FloatVector.fromArray(S, b, bp, cols);
            c0 = FloatVector.broadcast(S, a[q]).fma(bv, c0);
            c1 = FloatVector.broadcast(S, a[q + o1]).fma(bv, c1);
            c2 = FloatVector.broadcast(S, a[q + o2]).fma(bv, c2);
            c3 = FloatVector.broadcast(S, a[q + o3]).fma(bv, c3);
            q += aps;
            bp += ldb;
        }
        c0.intoArray(c, r0, cols);
        c1.intoArray(c, r1, cols);
        c2.intoArray(c, r2, cols);
        c3.intoArray(c, r3, cols);
    }

    /** One row, one vector of columns, or its first {@code width} lanes. */
    private static void tile1x1(
            int kc, int width, float[] a, int ai, int aps, float[] b, int bp, int ldb, float[] c, int ci) {
        if (ci + L > c.length || bp + (kc - 1) * ldb + L > b.length) {
            edge(1, kc, width, a, ai, 0, aps, b, bp, ldb, c, ci, 0);
            return;
        }
        VectorMask<Float> cols = S.indexInRange(0, width);
        FloatVector c0 = FloatVector.fromArray(S, c, ci, cols);
        for (int p = 0; p < kc; p++) {
            c0 = FloatVector.broadcast(S, a[ai]).fma(FloatVector.fromArray(S, b, bp, cols), c0);
            ai += aps;
            bp += ldb;
        }
        c0.intoArray(c, ci, cols);
    }

    /**
     * The masked tiles' twin for a block that ends within a vector of its array's end: there
     * a masked load or store checks every lane and, in some JIT states, allocates a mask on
     * each call. Scalar {@code Math.fma} in the same order p = 0, 1, … rounds exactly as a
     * vector lane does, so the bits are those of the masked tile.
     */
    private static void edge(
            int rows,
            int kc,
            int width,
            float[] a,
            int ai,
            int ars,
            int aps,
            float[] b,
            int bp,
            int ldb,
            float[] c,
            int ci,
            int ldc) {
        int w = Math.min(width, L);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < w; j++) {
                int cij = ci + r * ldc + j;
                float s = c[cij];
                for (int p = 0, ap = ai + r * ars, bpj = bp + j; p < kc; p++, ap += aps, bpj += ldb) {
                    s = Math.fma(a[ap], b[bpj], s);
                }
                c[cij] = s;
            }
        }
    }

    // ---------------------------------------------------------------- dot-product form

    /**
     * C(m×n) += A(m×k)·B(n×k)ᵀ by vector dot products. B rows are the outer loop so a 4-row
     * group of B stays in L1 while every row tile of A passes over it. {@code w} is the
     * calling thread's scratch of at least {@link #DOT_SCRATCH} floats.
     */
    static void dotTransB(
            int m,
            int n,
            int k,
            float[] a,
            int aOff,
            int lda,
            float[] b,
            int bOff,
            int ldb,
            float[] c,
            int cOff,
            int ldc,
            float[] w) {
        int kb = S.loopBound(k);
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            int bj = bOff + j * ldb;
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                dot4x4(kb, k, a, aOff + i * lda, lda, b, bj, ldb, c, cOff + i * ldc + j, ldc, w);
            }
            for (; i < m; i++) {
                dot1x4(kb, k, a, aOff + i * lda, b, bj, ldb, c, cOff + i * ldc + j, w);
            }
        }
        for (; j < n; j++) {
            int bj = bOff + j * ldb;
            for (int i = 0; i < m; i++) {
                c[cOff + i * ldc + j] += dot1x1(kb, k, a, aOff + i * lda, b, bj, w);
            }
        }
    }

    private static void dot4x4(
            int kb,
            int k,
            float[] a,
            int ai,
            int lda,
            float[] b,
            int bj,
            int ldb,
            float[] c,
            int ci,
            int ldc,
            float[] w) {
        int a0 = ai, a1 = ai + lda, a2 = a1 + lda, a3 = a2 + lda;
        int b0 = bj, b1 = bj + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
        FloatVector s00 = FloatVector.zero(S), s01 = s00, s02 = s00, s03 = s00;
        FloatVector s10 = s00, s11 = s00, s12 = s00, s13 = s00;
        FloatVector s20 = s00, s21 = s00, s22 = s00, s23 = s00;
        FloatVector s30 = s00, s31 = s00, s32 = s00, s33 = s00;
        for (int p = 0; p < kb; p += L) {
            FloatVector y0 = FloatVector.fromArray(S, b, b0 + p), y1 = FloatVector.fromArray(S, b, b1 + p);
            FloatVector y2 = FloatVector.fromArray(S, b, b2 + p), y3 = FloatVector.fromArray(S, b, b3 + p);
            FloatVector x = FloatVector.fromArray(S, a, a0 + p);
            s00 = x.fma(y0, s00);
            s01 = x.fma(y1, s01);
            s02 = x.fma(y2, s02);
            s03 = x.fma(y3, s03);
            x = FloatVector.fromArray(S, a, a1 + p);
            s10 = x.fma(y0, s10);
            s11 = x.fma(y1, s11);
            s12 = x.fma(y2, s12);
            s13 = x.fma(y3, s13);
            x = FloatVector.fromArray(S, a, a2 + p);
            s20 = x.fma(y0, s20);
            s21 = x.fma(y1, s21);
            s22 = x.fma(y2, s22);
            s23 = x.fma(y3, s23);
            x = FloatVector.fromArray(S, a, a3 + p);
            s30 = x.fma(y0, s30);
            s31 = x.fma(y1, s31);
            s32 = x.fma(y2, s32);
            s33 = x.fma(y3, s33);
        }
        s00.intoArray(w, 0);
        s01.intoArray(w, L);
        s02.intoArray(w, 2 * L);
        s03.intoArray(w, 3 * L);
        s10.intoArray(w, 4 * L);
        s11.intoArray(w, 5 * L);
        s12.intoArray(w, 6 * L);
        s13.intoArray(w, 7 * L);
        s20.intoArray(w, 8 * L);
        s21.intoArray(w, 9 * L);
        s22.intoArray(w, 10 * L);
        s23.intoArray(w, 11 * L);
        s30.intoArray(w, 12 * L);
        s31.intoArray(w, 13 * L);
        s32.intoArray(w, 14 * L);
        s33.intoArray(w, 15 * L);
        for (int r = 0; r < 4; r++) {
            int cr = ci + r * ldc, ar = ai + r * lda;
            c[cr] += finish(w, (4 * r) * L, kb, k, a, ar, b, b0);
            c[cr + 1] += finish(w, (4 * r + 1) * L, kb, k, a, ar, b, b1);
            c[cr + 2] += finish(w, (4 * r + 2) * L, kb, k, a, ar, b, b2);
            c[cr + 3] += finish(w, (4 * r + 3) * L, kb, k, a, ar, b, b3);
        }
    }

    private static void dot1x4(
            int kb, int k, float[] a, int ai, float[] b, int bj, int ldb, float[] c, int ci, float[] w) {
        int b0 = bj, b1 = bj + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        for (int p = 0; p < kb; p += L) {
            FloatVector x = FloatVector.fromArray(S, a, ai + p);
            s0 = x.fma(FloatVector.fromArray(S, b, b0 + p), s0);
            s1 = x.fma(FloatVector.fromArray(S, b, b1 + p), s1);
            s2 = x.fma(FloatVector.fromArray(S, b, b2 + p), s2);
            s3 = x.fma(FloatVector.fromArray(S, b, b3 + p), s3);
        }
        s0.intoArray(w, 0);
        s1.intoArray(w, L);
        s2.intoArray(w, 2 * L);
        s3.intoArray(w, 3 * L);
        c[ci] += finish(w, 0, kb, k, a, ai, b, b0);
        c[ci + 1] += finish(w, L, kb, k, a, ai, b, b1);
        c[ci + 2] += finish(w, 2 * L, kb, k, a, ai, b, b2);
        c[ci + 3] += finish(w, 3 * L, kb, k, a, ai, b, b3);
    }

    private static float dot1x1(int kb, int k, float[] a, int ai, float[] b, int bj, float[] w) {
        FloatVector s = FloatVector.zero(S);
        for (int p = 0; p < kb; p += L) {
            s = FloatVector.fromArray(S, a, ai + p).fma(FloatVector.fromArray(S, b, bj + p), s);
        }
        s.intoArray(w, 0);
        return finish(w, 0, kb, k, a, ai, b, bj);
    }

    /**
     * One element's dot product from its L partial sums at w[from…]: a fixed pairwise tree
     * over the lanes, then the k % L leftover products by scalar FMA in order. Every tile
     * shape ends here, so they agree bit for bit. Scalar on purpose: a vector reduction
     * called 16 times per tile was not inlined by C2 and boxed its argument.
     */
    private static float finish(float[] w, int from, int kb, int k, float[] a, int ai, float[] b, int bj) {
        for (int s = L / 2; s > 0; s >>= 1) {
            for (int l = 0; l < s; l++) {
                w[from + l] += w[from + l + s];
            }
        }
        float t = w[from];
        for (int p = kb; p < k; p++) {
            t = Math.fma(a[ai + p], b[bj + p], t);
        }
        return t;
    }
}
