package org.bptt.simd.internal;

import java.util.function.IntConsumer;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.bptt.api.internal.kernel.ScalarLoops;
import org.bptt.api.kernel.Activation;
import org.bptt.api.kernel.Kernels;
import org.bptt.api.kernel.Shapes;
import org.bptt.simd.SimdSettings;

/**
 * The Vector API backend. GEMMs run the register-blocked kernels of {@link Gemm}, split
 * over blocks of C on a {@link WorkerPool} when the product is big enough; element-wise
 * kernels follow Lucene's shape (species once, loop bound, vector body, scalar tail).
 *
 * <p>Where the scalar reference rounds once per operation without FMA (axpy, the
 * activation derivatives, column sums), this class does the same so the results are
 * bitwise equal; the GEMMs and reductions use FMA and a fixed order instead.
 *
 * <p>Thread-safe: parallel work is serialized by the pool, and the only mutable scratch
 * (the packed Bᵀ panel) is per calling thread.
 *
 * <p>Run with {@code -XX:CompileCommand=dontinline,org.bptt.simd.internal.SimdKernels::*}
 * (docs/architecture.md, "Running the SIMD kernels"): each method here is then compiled on its own, never
 * deep inside a caller where C2 would stop inlining short of the Vector API's intrinsics. So
 * no vector may cross a method of this class; helpers that take or return one live in
 * {@link VectorMath}.
 */
final class SimdKernels implements Kernels {

    private static final VectorSpecies<Float> S = Gemm.S;
    private static final int L = Gemm.L;
    private static final VectorSpecies<Double> D = VectorMath.D;
    private static final VectorSpecies<Float> H = VectorMath.H;

    /**
     * multAddTransB transposes B into scratch when A has at least this many rows to amortize it,
     * and takes the dot-product form below. Not a tuned setting: the two forms add in different
     * orders, so moving this threshold would change results' bits.
     */
    static final int PACK_MIN_ROWS = 16;

    private final int threads;
    private final SimdSettings settings;
    private final Gemm gemm;
    /** The GEMM of packed products whose B streams from beyond a core's cache: the stream tile's. */
    private final Gemm streamGemm;
    /** Below this many flops (2·m·n·k) handing work to other threads costs more than it saves. */
    private final long parallelFlops;
    /**
     * From this many rows of C, the product is blocked for the caches, with B copied K-block by
     * K-block ({@link Gemm#outerBlocked}): by default 96 (copying B panels alone took
     * 1024×1024×3200 Aᵀ·B from 166 to 213 GFLOP/s; with 64 rows the copy was not repaid).
     */
    private final int copyMinRows;

    private final WorkerPool pool;
    private final GemmJob job;
    /** Bᵀ panel of multAddTransB, grown when needed and kept, one per calling thread. */
    private final ThreadLocal<float[][]> packScratch = ThreadLocal.withInitial(() -> new float[1][0]);

    SimdKernels(int threads, SimdSettings settings) {
        this.threads = threads;
        this.settings = settings;
        this.gemm = new Gemm(
                settings.tileRows(),
                settings.tileVectors(),
                settings.kc(),
                settings.kcCopy(),
                settings.mc(),
                settings.copyAMinPanels());
        this.streamGemm = settings.streamTile().equals(settings.tile())
                ? gemm
                : new Gemm(
                        settings.streamTileRows(),
                        settings.streamTileVectors(),
                        settings.kc(),
                        settings.kcCopy(),
                        settings.mc(),
                        settings.copyAMinPanels());
        this.parallelFlops = settings.parallelFlops();
        this.copyMinRows = settings.copyMinRows();
        this.job = new GemmJob();
        this.pool = threads > 1 ? new WorkerPool(threads - 1) : null;
    }

    SimdSettings settings() {
        return settings;
    }

    @Override
    public String name() {
        return "simd";
    }

    @Override
    public int vectorBitSize() {
        return S.vectorBitSize();
    }

    @Override
    public int threads() {
        return threads;
    }

    /** Adapts a {@link #parallelFor} task to the pool, reused so a region allocates nothing. */
    private static final class RegionJob implements WorkerPool.Job {
        IntConsumer task;

        @Override
        public void run(int chunk) {
            task.accept(chunk);
        }
    }

    private final RegionJob region = new RegionJob();
    /**
     * True while a {@link #parallelFor} region runs: its tasks already occupy every thread,
     * so kernels they call run inline instead of handing work to the (busy) pool.
     */
    private volatile boolean inRegion;

    @Override
    public void parallelFor(int parts, IntConsumer task) {
        if (pool == null || parts <= 1 || inRegion) {
            for (int p = 0; p < parts; p++) {
                task.accept(p);
            }
            return;
        }
        synchronized (region) {
            region.task = task;
            inRegion = true;
            try {
                pool.run(region, parts);
            } finally {
                inRegion = false;
                region.task = null;
            }
        }
    }

    // ------------------------------------------------------------------------- GEMMs

    @Override
    public void multAddTransB(
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
            int ldc) {
        Shapes.checkGemm("multAddTransB", m, n, k, a, aOff, lda, m, k, b, bOff, ldb, n, k, c, cOff, ldc);
        if (m == 0 || n == 0 || k == 0) {
            return;
        }
        if (m >= PACK_MIN_ROWS) {
            float[][] holder = packScratch.get();
            if (holder[0].length < k * n) {
                holder[0] = new float[k * n];
            }
            float[] bt = holder[0];
            ScalarLoops.transposeBlocked(n, k, b, bOff, ldb, bt, 0);
            gemm(outerKind(m), m, n, k, a, aOff, lda, 1, bt, 0, n, c, cOff, ldc);
        } else {
            gemm(GemmJob.DOT, m, n, k, a, aOff, lda, 1, b, bOff, ldb, c, cOff, ldc);
        }
    }

    @Override
    public void multAdd(
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
            int ldc) {
        Shapes.checkGemm("multAdd", m, n, k, a, aOff, lda, m, k, b, bOff, ldb, k, n, c, cOff, ldc);
        if (m == 0 || n == 0 || k == 0) {
            return;
        }
        gemm(outerKind(m), m, n, k, a, aOff, lda, 1, b, bOff, ldb, c, cOff, ldc);
    }

    @Override
    public void multAddTransA(
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
            int ldc) {
        Shapes.checkGemm("multAddTransA", m, n, k, a, aOff, lda, k, m, b, bOff, ldb, k, n, c, cOff, ldc);
        if (m == 0 || n == 0 || k == 0) {
            return;
        }
        gemm(outerKind(m), m, n, k, a, aOff, 1, lda, b, bOff, ldb, c, cOff, ldc);
    }

    private int outerKind(int m) {
        return m >= copyMinRows ? GemmJob.COPYING : GemmJob.OUTER;
    }

    @Override
    public int recurrenceParts(int rows, long sharedBytes) {
        return sharedBytes <= settings.splitWeightBytes() ? Math.max(1, Math.min(threads, rows / MIN_PART_ROWS)) : 1;
    }

    /** Fewest batch rows worth a thread of their own in a split recurrence: two 4-row register tiles. */
    private static final int MIN_PART_ROWS = 8;

    @Override
    public int packedSize(int k, int n) {
        // The lead that puts the panels on vector boundaries, and one vector of padding: the masked
        // loads of a last, partial panel then never reach the array's end (the scalar edge path).
        return Math.addExact(Math.multiplyExact(k, n), Gemm.LEAD + Gemm.L);
    }

    @Override
    public void packB(int k, int n, float[] b, int bOff, int ldb, float[] packed) {
        Shapes.checkMatrix("packB", "B", b, bOff, ldb, k, n);
        if (packed.length < packedSize(k, n)) {
            throw new IllegalArgumentException("packB: the packed array has " + packed.length + " floats, "
                    + "packedSize(" + k + ", " + n + ") = " + packedSize(k, n) + " are needed");
        }
        packedGemm(k, n).pack(k, n, b, bOff, ldb, packed);
    }

    /** The GEMM that packs, and multiplies by, a packed k×n B: both must take the same one, its layout depends on the tile. */
    private Gemm packedGemm(int k, int n) {
        return 4L * k * n >= settings.streamMinBytes() ? streamGemm : gemm;
    }

    @Override
    public void multAddPacked(
            int m, int n, int k, float[] a, int aOff, int lda, float[] packed, float[] c, int cOff, int ldc) {
        Shapes.checkGemm("multAddPacked", m, n, k, a, aOff, lda, m, k, packed, 0, n, k, n, c, cOff, ldc);
        if (packed.length < packedSize(k, n)) {
            throw new IllegalArgumentException("multAddPacked: the packed array has " + packed.length
                    + " floats, packedSize(" + k + ", " + n + ") = " + packedSize(k, n) + " are needed");
        }
        if (m == 0 || n == 0 || k == 0) {
            return;
        }
        gemm(packedGemm(k, n), GemmJob.PACKED, m, n, k, a, aOff, lda, 1, packed, 0, n, c, cOff, ldc);
    }

    private void gemm(
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
        gemm(gemm, kind, m, n, k, a, aOff, ars, aps, b, bOff, ldb, c, cOff, ldc);
    }

    /** Runs one GEMM inline, or split into blocks of C over the pool when it pays. */
    private void gemm(
            Gemm g,
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
        if (pool == null || 2L * m * n * k < parallelFlops || inRegion) {
            GemmJob.kernel(g, kind, m, n, k, a, aOff, ars, aps, b, bOff, ldb, c, cOff, ldc);
            return;
        }
        synchronized (job) {
            int chunks = job.set(g, kind, m, n, k, a, aOff, ars, aps, b, bOff, ldb, c, cOff, ldc, threads);
            try {
                pool.run(job, chunks);
            } finally {
                job.clear();
            }
        }
    }

    // ------------------------------------------------------------------ element-wise

    @Override
    public void addRowVector(int rows, int cols, float[] x, int xOff, int ldx, float[] bias, int biasOff) {
        int bound = S.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * ldx;
            int j = 0;
            for (; j < bound; j += L) {
                FloatVector.fromArray(S, x, xr + j)
                        .add(FloatVector.fromArray(S, bias, biasOff + j))
                        .intoArray(x, xr + j);
            }
            for (; j < cols; j++) {
                x[xr + j] += bias[biasOff + j];
            }
        }
    }

    @Override
    public void addColumnSums(int rows, int cols, float[] x, int xOff, int ldx, float[] out, int outOff) {
        // Columns outer, rows inner, so each output vector is added in row order as the scalar loop does.
        int bound4 = cols - cols % (4 * L);
        int j = 0;
        for (; j < bound4; j += 4 * L) {
            FloatVector s0 = FloatVector.fromArray(S, out, outOff + j);
            FloatVector s1 = FloatVector.fromArray(S, out, outOff + j + L);
            FloatVector s2 = FloatVector.fromArray(S, out, outOff + j + 2 * L);
            FloatVector s3 = FloatVector.fromArray(S, out, outOff + j + 3 * L);
            for (int r = 0, xr = xOff + j; r < rows; r++, xr += ldx) {
                s0 = s0.add(FloatVector.fromArray(S, x, xr));
                s1 = s1.add(FloatVector.fromArray(S, x, xr + L));
                s2 = s2.add(FloatVector.fromArray(S, x, xr + 2 * L));
                s3 = s3.add(FloatVector.fromArray(S, x, xr + 3 * L));
            }
            s0.intoArray(out, outOff + j);
            s1.intoArray(out, outOff + j + L);
            s2.intoArray(out, outOff + j + 2 * L);
            s3.intoArray(out, outOff + j + 3 * L);
        }
        int bound = S.loopBound(cols);
        for (; j < bound; j += L) {
            FloatVector s = FloatVector.fromArray(S, out, outOff + j);
            for (int r = 0, xr = xOff + j; r < rows; r++, xr += ldx) {
                s = s.add(FloatVector.fromArray(S, x, xr));
            }
            s.intoArray(out, outOff + j);
        }
        for (; j < cols; j++) {
            float s = out[outOff + j];
            for (int r = 0, xr = xOff + j; r < rows; r++, xr += ldx) {
                s += x[xr];
            }
            out[outOff + j] = s;
        }
    }

    @Override
    public void addBiasActivate(
            Activation act, int rows, int cols, float[] x, int xOff, int ldx, float[] bias, int biasOff) {
        boolean transcendental = act == Activation.TANH || act == Activation.SIGMOID;
        int bound = S.loopBound(cols);
        int done = transcendental
                ? VectorMath.activate(act == Activation.TANH, rows, cols, x, xOff, ldx, bias, biasOff, x, xOff, ldx)
                : 0;
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * ldx;
            int j;
            if (transcendental) {
                j = done;
            } else {
                for (j = 0; j < bound; j += L) {
                    FloatVector z =
                            FloatVector.fromArray(S, x, xr + j).add(FloatVector.fromArray(S, bias, biasOff + j));
                    VectorMath.piecewise(act, z).intoArray(x, xr + j);
                }
            }
            for (; j < cols; j++) {
                x[xr + j] = applyScalar(act, x[xr + j] + bias[biasOff + j]);
            }
        }
    }

    @Override
    public void activate(Activation act, int n, float[] src, int srcOff, float[] dst, int dstOff) {
        int i;
        if (act == Activation.TANH || act == Activation.SIGMOID) {
            i = VectorMath.activate(act == Activation.TANH, 1, n, src, srcOff, n, null, 0, dst, dstOff, n);
        } else {
            int bound = S.loopBound(n);
            for (i = 0; i < bound; i += L) {
                VectorMath.piecewise(act, FloatVector.fromArray(S, src, srcOff + i))
                        .intoArray(dst, dstOff + i);
            }
        }
        for (; i < n; i++) {
            dst[dstOff + i] = applyScalar(act, src[srcOff + i]);
        }
    }

    /** The scalar tail's twin of {@link VectorMath#piecewise}, in float like the vector body. */
    private static float applyScalar(Activation act, float z) {
        return switch (act) {
            case TANH -> (float) Math.tanh(z);
            case RELU -> z > 0f ? z : 0f;
            case SIGMOID -> (float) (1.0 / (1.0 + Math.exp(-z)));
            case IDENTITY -> z;
        };
    }

    @Override
    public void activationBackward(
            Activation act, int n, float[] h, int hOff, float[] dh, int dhOff, float[] dz, int dzOff) {
        int bound = S.loopBound(n);
        int i = 0;
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector zero = FloatVector.zero(S);
        for (; i < bound; i += L) {
            FloatVector hv = FloatVector.fromArray(S, h, hOff + i);
            FloatVector d = switch (act) {
                case TANH -> one.sub(hv.mul(hv));
                case RELU -> zero.blend(one, hv.compare(VectorOperators.GT, 0f));
                case SIGMOID -> hv.mul(one.sub(hv));
                case IDENTITY -> one;
            };
            FloatVector.fromArray(S, dh, dhOff + i).mul(d).intoArray(dz, dzOff + i);
        }
        for (; i < n; i++) {
            float hi = h[hOff + i];
            float d = switch (act) {
                case TANH -> 1f - hi * hi;
                case RELU -> hi > 0f ? 1f : 0f;
                case SIGMOID -> hi * (1f - hi);
                case IDENTITY -> 1f;
            };
            dz[dzOff + i] = dh[dhOff + i] * d;
        }
    }

    @Override
    public void softmaxRows(int rows, int cols, float[] src, int srcOff, float[] dst, int dstOff) {
        VectorMath.softmaxRows(rows, cols, src, srcOff, dst, dstOff);
    }

    // ------------------------------------------------------------------ gated cells
    // Same operations in the same order as ScalarLoops', no FMA: bitwise equal to them
    // (lstmUpdate's tanh aside, which is VectorMath's). Within a vector chunk every input is
    // loaded before any output is stored, so an output may alias an input exactly.

    @Override
    public void multiplyElements(
            int rows,
            int cols,
            float[] a,
            int aOff,
            int lda,
            float[] b,
            int bOff,
            int ldb,
            float[] c,
            int cOff,
            int ldc) {
        Shapes.checkMatrix("multiplyElements", "A", a, aOff, lda, rows, cols);
        Shapes.checkMatrix("multiplyElements", "B", b, bOff, ldb, rows, cols);
        Shapes.checkMatrix("multiplyElements", "C", c, cOff, ldc, rows, cols);
        int bound = S.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int ar = aOff + r * lda, br = bOff + r * ldb, cr = cOff + r * ldc;
            int j = 0;
            for (; j < bound; j += L) {
                FloatVector.fromArray(S, a, ar + j)
                        .mul(FloatVector.fromArray(S, b, br + j))
                        .intoArray(c, cr + j);
            }
            for (; j < cols; j++) {
                c[cr + j] = a[ar + j] * b[br + j];
            }
        }
    }

    @Override
    public void multiplyAddElements(
            int rows,
            int cols,
            float[] a,
            int aOff,
            int lda,
            float[] b,
            int bOff,
            int ldb,
            float[] c,
            int cOff,
            int ldc) {
        Shapes.checkMatrix("multiplyAddElements", "A", a, aOff, lda, rows, cols);
        Shapes.checkMatrix("multiplyAddElements", "B", b, bOff, ldb, rows, cols);
        Shapes.checkMatrix("multiplyAddElements", "C", c, cOff, ldc, rows, cols);
        int bound = S.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int ar = aOff + r * lda, br = bOff + r * ldb, cr = cOff + r * ldc;
            int j = 0;
            for (; j < bound; j += L) {
                FloatVector p = FloatVector.fromArray(S, a, ar + j).mul(FloatVector.fromArray(S, b, br + j));
                FloatVector.fromArray(S, c, cr + j).add(p).intoArray(c, cr + j);
            }
            for (; j < cols; j++) {
                float p = a[ar + j] * b[br + j];
                c[cr + j] += p;
            }
        }
    }

    /** The gated blend is the GRU's update, vectorized once for both. */
    @Override
    public void interpolateElements(
            int rows,
            int cols,
            float[] t,
            int tOff,
            int ldt,
            float[] a,
            int aOff,
            int lda,
            float[] b,
            int bOff,
            int ldb,
            float[] c,
            int cOff,
            int ldc) {
        gruUpdate(rows, cols, t, tOff, ldt, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    }

    @Override
    public void gruUpdate(
            int rows,
            int cols,
            float[] z,
            int zOff,
            int ldz,
            float[] n,
            int nOff,
            int ldn,
            float[] hPrev,
            int pOff,
            int ldp,
            float[] h,
            int hOff,
            int ldh) {
        Shapes.checkMatrix("gruUpdate", "z", z, zOff, ldz, rows, cols);
        Shapes.checkMatrix("gruUpdate", "n", n, nOff, ldn, rows, cols);
        Shapes.checkMatrix("gruUpdate", "hPrev", hPrev, pOff, ldp, rows, cols);
        Shapes.checkMatrix("gruUpdate", "h", h, hOff, ldh, rows, cols);
        int bound = S.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int zr = zOff + r * ldz, nr = nOff + r * ldn, pr = pOff + r * ldp, hr = hOff + r * ldh;
            int j = 0;
            for (; j < bound; j += L) {
                FloatVector nv = FloatVector.fromArray(S, n, nr + j);
                FloatVector d = FloatVector.fromArray(S, hPrev, pr + j).sub(nv);
                nv.add(FloatVector.fromArray(S, z, zr + j).mul(d)).intoArray(h, hr + j);
            }
            for (; j < cols; j++) {
                float nj = n[nr + j];
                float d = hPrev[pr + j] - nj;
                float zd = z[zr + j] * d;
                h[hr + j] = nj + zd;
            }
        }
    }

    @Override
    public void gruBackward(
            int rows,
            int cols,
            float[] gates,
            int gOff,
            int ldg,
            float[] ghn,
            int nOff,
            int ldn,
            float[] hPrev,
            int pOff,
            int ldp,
            float[] dh,
            int dhOff,
            int lddh,
            float[] dGates,
            int dgOff,
            int lddg,
            float[] dhPrev,
            int dpOff,
            int lddp) {
        Shapes.checkMatrix("gruBackward", "gates", gates, gOff, ldg, rows, 3 * cols);
        Shapes.checkMatrix("gruBackward", "ghn", ghn, nOff, ldn, rows, cols);
        Shapes.checkMatrix("gruBackward", "hPrev", hPrev, pOff, ldp, rows, cols);
        Shapes.checkMatrix("gruBackward", "dh", dh, dhOff, lddh, rows, cols);
        Shapes.checkMatrix("gruBackward", "dGates", dGates, dgOff, lddg, rows, 4 * cols);
        Shapes.checkMatrix("gruBackward", "dhPrev", dhPrev, dpOff, lddp, rows, cols);
        int bound = S.loopBound(cols);
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int row = 0; row < rows; row++) {
            int g = gOff + row * ldg, gn = nOff + row * ldn, p = pOff + row * ldp, d = dhOff + row * lddh;
            int dg = dgOff + row * lddg, dp = dpOff + row * lddp;
            int j = 0;
            for (; j < bound; j += L) {
                FloatVector r = FloatVector.fromArray(S, gates, g + j);
                FloatVector z = FloatVector.fromArray(S, gates, g + cols + j);
                FloatVector n = FloatVector.fromArray(S, gates, g + 2 * cols + j);
                FloatVector hp = FloatVector.fromArray(S, hPrev, p + j);
                FloatVector dhj = FloatVector.fromArray(S, dh, d + j);
                FloatVector gh = FloatVector.fromArray(S, ghn, gn + j);
                FloatVector back = FloatVector.fromArray(S, dhPrev, dp + j);
                FloatVector dan = dhj.mul(one.sub(z)).mul(one.sub(n.mul(n)));
                FloatVector daz = dhj.mul(hp.sub(n)).mul(z.mul(one.sub(z)));
                FloatVector dar = dan.mul(gh).mul(r.mul(one.sub(r)));
                FloatVector dghn = dan.mul(r);
                FloatVector direct = dhj.mul(z);
                dar.intoArray(dGates, dg + j);
                daz.intoArray(dGates, dg + cols + j);
                dghn.intoArray(dGates, dg + 2 * cols + j);
                dan.intoArray(dGates, dg + 3 * cols + j);
                back.add(direct).intoArray(dhPrev, dp + j);
            }
            for (; j < cols; j++) {
                ScalarLoops.gruBackwardElement(j, cols, gates, g, ghn, gn, hPrev, p, dh, d, dGates, dg, dhPrev, dp);
            }
        }
    }

    @Override
    public void lstmUpdate(
            int rows,
            int cols,
            float[] gates,
            int gOff,
            int ldg,
            float[] cPrev,
            int pOff,
            int ldp,
            float[] c,
            int cOff,
            int ldc,
            float[] tanhC,
            int tOff,
            int ldt,
            float[] h,
            int hOff,
            int ldh) {
        Shapes.checkMatrix("lstmUpdate", "gates", gates, gOff, ldg, rows, 4 * cols);
        Shapes.checkMatrix("lstmUpdate", "cPrev", cPrev, pOff, ldp, rows, cols);
        Shapes.checkMatrix("lstmUpdate", "c", c, cOff, ldc, rows, cols);
        Shapes.checkMatrix("lstmUpdate", "tanhC", tanhC, tOff, ldt, rows, cols);
        Shapes.checkMatrix("lstmUpdate", "h", h, hOff, ldh, rows, cols);
        int bound = S.loopBound(cols);
        for (int row = 0; row < rows; row++) {
            int g = gOff + row * ldg,
                    p = pOff + row * ldp,
                    cr = cOff + row * ldc,
                    tr = tOff + row * ldt,
                    hr = hOff + row * ldh;
            int j = 0;
            for (; j < bound; j += L) {
                FloatVector fc =
                        FloatVector.fromArray(S, gates, g + cols + j).mul(FloatVector.fromArray(S, cPrev, p + j));
                FloatVector ig =
                        FloatVector.fromArray(S, gates, g + j).mul(FloatVector.fromArray(S, gates, g + 2 * cols + j));
                fc.add(ig).intoArray(c, cr + j);
            }
            for (; j < cols; j++) {
                float fc = gates[g + cols + j] * cPrev[p + j];
                float ig = gates[g + j] * gates[g + 2 * cols + j];
                c[cr + j] = fc + ig;
            }
            // tanh(c) by VectorMath (deterministic in every JIT state), its tail as the scalar reference.
            j = VectorMath.activate(true, cols, c, cr, null, 0, tanhC, tr);
            for (; j < cols; j++) {
                tanhC[tr + j] = applyScalar(Activation.TANH, c[cr + j]);
            }
            for (j = 0; j < bound; j += L) {
                FloatVector.fromArray(S, gates, g + 3 * cols + j)
                        .mul(FloatVector.fromArray(S, tanhC, tr + j))
                        .intoArray(h, hr + j);
            }
            for (; j < cols; j++) {
                h[hr + j] = gates[g + 3 * cols + j] * tanhC[tr + j];
            }
        }
    }

    @Override
    public void lstmBackward(
            int rows,
            int cols,
            float[] gates,
            int gOff,
            int ldg,
            float[] tanhC,
            int tOff,
            int ldt,
            float[] cPrev,
            int pOff,
            int ldp,
            float[] dh,
            int dhOff,
            int lddh,
            float[] dc,
            int dcOff,
            int lddc,
            float[] dGates,
            int dgOff,
            int lddg,
            float[] dcPrev,
            int dpOff,
            int lddp) {
        Shapes.checkMatrix("lstmBackward", "gates", gates, gOff, ldg, rows, 4 * cols);
        Shapes.checkMatrix("lstmBackward", "tanhC", tanhC, tOff, ldt, rows, cols);
        Shapes.checkMatrix("lstmBackward", "cPrev", cPrev, pOff, ldp, rows, cols);
        Shapes.checkMatrix("lstmBackward", "dh", dh, dhOff, lddh, rows, cols);
        Shapes.checkMatrix("lstmBackward", "dc", dc, dcOff, lddc, rows, cols);
        Shapes.checkMatrix("lstmBackward", "dGates", dGates, dgOff, lddg, rows, 4 * cols);
        Shapes.checkMatrix("lstmBackward", "dcPrev", dcPrev, dpOff, lddp, rows, cols);
        int bound = S.loopBound(cols);
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int row = 0; row < rows; row++) {
            int g = gOff + row * ldg, tr = tOff + row * ldt, p = pOff + row * ldp, d = dhOff + row * lddh;
            int dcr = dcOff + row * lddc, dg = dgOff + row * lddg, dp = dpOff + row * lddp;
            int j = 0;
            for (; j < bound; j += L) {
                FloatVector i = FloatVector.fromArray(S, gates, g + j);
                FloatVector f = FloatVector.fromArray(S, gates, g + cols + j);
                FloatVector gg = FloatVector.fromArray(S, gates, g + 2 * cols + j);
                FloatVector o = FloatVector.fromArray(S, gates, g + 3 * cols + j);
                FloatVector t = FloatVector.fromArray(S, tanhC, tr + j);
                FloatVector cp = FloatVector.fromArray(S, cPrev, p + j);
                FloatVector dhj = FloatVector.fromArray(S, dh, d + j);
                FloatVector dcj = FloatVector.fromArray(S, dc, dcr + j);
                FloatVector back = FloatVector.fromArray(S, dcPrev, dp + j);
                FloatVector dct = dcj.add(dhj.mul(o).mul(one.sub(t.mul(t))));
                FloatVector dai = dct.mul(gg).mul(i.mul(one.sub(i)));
                FloatVector daf = dct.mul(cp).mul(f.mul(one.sub(f)));
                FloatVector dag = dct.mul(i).mul(one.sub(gg.mul(gg)));
                FloatVector dao = dhj.mul(t).mul(o.mul(one.sub(o)));
                FloatVector cf = dct.mul(f);
                dai.intoArray(dGates, dg + j);
                daf.intoArray(dGates, dg + cols + j);
                dag.intoArray(dGates, dg + 2 * cols + j);
                dao.intoArray(dGates, dg + 3 * cols + j);
                back.add(cf).intoArray(dcPrev, dp + j);
            }
            for (; j < cols; j++) {
                ScalarLoops.lstmBackwardElement(
                        j, cols, gates, g, tanhC, tr, cPrev, p, dh, d, dc, dcr, dGates, dg, dcPrev, dp);
            }
        }
    }

    // -------------------------------------------------------------------- reductions

    @Override
    public double sumOfSquares(int n, float[] x, int off) {
        return dot(n, x, off, x, off);
    }

    @Override
    public double dot(int n, float[] x, int xOff, float[] y, int yOff) {
        // Each float product is exact in double, so floats are widened and summed in double.
        // The float species has as many lanes as the double one (half its width), so the
        // widening is one same-lane-count conversion, which C2 intrinsifies; a "part"
        // conversion from the full-width species is not, and boxes every vector.
        int w = H.length();
        DoubleVector s0 = DoubleVector.zero(D), s1 = s0;
        int bound2 = n - n % (2 * w);
        int i = 0;
        for (; i < bound2; i += 2 * w) {
            s0 = VectorMath.widen(FloatVector.fromArray(H, x, xOff + i))
                    .fma(VectorMath.widen(FloatVector.fromArray(H, y, yOff + i)), s0);
            s1 = VectorMath.widen(FloatVector.fromArray(H, x, xOff + i + w))
                    .fma(VectorMath.widen(FloatVector.fromArray(H, y, yOff + i + w)), s1);
        }
        double s = VectorMath.laneSum(s0.add(s1));
        for (; i < n; i++) {
            s += (double) x[xOff + i] * y[yOff + i];
        }
        return s;
    }

    // ------------------------------------------------------------------------ updates

    @Override
    public void scale(int n, float alpha, float[] x, int off) {
        int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(S, x, off + i).mul(alpha).intoArray(x, off + i);
        }
        for (; i < n; i++) {
            x[off + i] *= alpha;
        }
    }

    @Override
    public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        // mul then add, not fma, so the result equals the scalar reference bit for bit.
        int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i)
                    .mul(alpha)
                    .add(FloatVector.fromArray(S, y, yOff + i))
                    .intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public int clamp(int n, float lo, float hi, float[] x, int off) {
        int bound = S.loopBound(n);
        int changed = 0;
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, off + i);
            VectorMask<Float> below = v.compare(VectorOperators.LT, lo);
            VectorMask<Float> above = v.compare(VectorOperators.GT, hi);
            // NaN counts as changed, as in the scalar reference (NaN != NaN), and stays NaN.
            VectorMask<Float> touched = below.or(above).or(v.test(VectorOperators.IS_NAN));
            if (touched.anyTrue()) {
                v.blend(lo, below).blend(hi, above).intoArray(x, off + i);
                changed += touched.trueCount();
            }
        }
        for (; i < n; i++) {
            float v = x[off + i];
            float c = v < lo ? lo : (v > hi ? hi : v);
            if (c != v) {
                x[off + i] = c;
                changed++;
            }
        }
        return changed;
    }

    @Override
    public void fill(int n, float value, float[] x, int off) {
        FloatVector v = FloatVector.broadcast(S, value);
        int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            v.intoArray(x, off + i);
        }
        for (; i < n; i++) {
            x[off + i] = value;
        }
    }
}
