package org.bptt.simd.internal;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;
import org.bptt.api.kernel.Activation;

/**
 * tanh in float lanes (Cephes' tanhf, within 1 ulp), the logistic function in double lanes
 * rounded once to float, and the softmax of rows with e^x in float lanes: all from additions,
 * multiplications, FMAs, divisions and bit operations only.
 *
 * <p>Why not {@code lanewise(TANH)} / {@code lanewise(EXP)}: compiled code runs an intrinsic
 * and interpreted code a Java fallback, and the two may differ in the last bit. Results
 * would then depend on when the JIT got to a kernel, and a resumed run would not equal an
 * uninterrupted one. IEEE add, multiply, FMA and conversions give the same bits in every
 * mode. The logistic function's double evaluation (relative error below 1e-9) makes its float
 * result correctly rounded in all but rare ties; tanh's float evaluation is within 1 ulp of
 * tanh rounded once from double (every float in [0, 10] checked): both within 1 ulp of the
 * scalar reference.
 *
 * <p>Shape of the code, for C2: each kernel here is one big loop body that C2 will not
 * inline into its callers, so it is compiled as its own root and the call chains from its
 * loops into the Vector API stay within C2's inlining depth (past it, the innermost calls
 * stay calls and every vector is boxed); loads are half width ({@link #H}) so that widening
 * to doubles is one same-lane-count conversion; polynomials are written out with literal
 * coefficients. The few small helpers that take or return a vector are for
 * {@link SimdKernels}, whose own methods may not (see there).
 */
final class VectorMath {
    /** Double lanes of the preferred width. */
    static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Floats that widen to exactly one {@link #D} vector. */
    static final VectorSpecies<Float> H =
            VectorSpecies.of(float.class, VectorShape.forBitSize(D.length() * Float.SIZE));

    static final int HL = H.length();

    private static final double LOG2E = 1.4426950408889634;
    private static final double LN2_HI = 0.6931471803691238;
    private static final double LN2_LO = 1.9082149292705877e-10;
    /** 1.5·2^52: adding it rounds a double below 2^51 in magnitude to an integer, kept in the low mantissa bits. */
    private static final double ROUND = 6755399441055744.0;

    private static final long ROUND_BITS = Double.doubleToRawLongBits(ROUND);
    /** Below this, 1 − e^(−2a) cancels too many bits; tanh's Taylor series is used instead. */
    private static final double TANH_SMALL = 0.0625;

    private VectorMath() {}

    /**
     * dst[r][i] = tanh(src[r][i] + bias[i]) (or the logistic function) for the first
     * {@code H.loopBound(n)} elements of each of {@code rows} rows (lds and ldd floats apart);
     * bias may be null. Returns how many elements of each row were done.
     *
     * <p>e^x: x = n·ln2 + r with |r| ≤ ln2/2, e^r by its Taylor series to r^8 (truncation
     * below 3e-10 relative, 0.005 of a float ulp), times 2^n built in the exponent bits.
     * Inputs beyond ±200 (whose float results are 0 or +inf anyway) are clamped so that 2^n
     * stays representable. tanh: the Taylor series to a^9 below {@link #TANH_SMALL}
     * (truncation below 1e-14 relative), (1 − e^−2a)/(1 + e^−2a) above, x's sign put back.
     * The logistic function: 1/(1 + e^−x).
     *
     * <p>All in this one loop body on purpose: vectors handed to or returned from a method
     * that C2 does not inline are boxed, and whether it inlines depends on what it compiled
     * first (a helper compiled on its own into a big method is not inlined later).
     */
    static int activate(
            boolean tanh,
            int rows,
            int n,
            float[] src,
            int srcOff,
            int lds,
            float[] bias,
            int biasOff,
            float[] dst,
            int dstOff,
            int ldd) {
        if (tanh) {
            return tanhRows(rows, n, src, srcOff, lds, bias, biasOff, dst, dstOff, ldd);
        }
        int bound = H.loopBound(n);
        // Rows inside this one loop nest rather than one call per row: the out-of-order core then
        // overlaps the long dependency chain of one row's last vectors with the next row's first.
        for (int row = 0; row < rows; row++) {
            int so = srcOff + row * lds, d0 = dstOff + row * ldd;
            for (int i = 0; i < bound; i += HL) {
                FloatVector z = FloatVector.fromArray(H, src, so + i);
                if (bias != null) {
                    z = z.add(FloatVector.fromArray(H, bias, biasOff + i));
                }
                DoubleVector d = (DoubleVector) z.convertShape(VectorOperators.F2D, D, 0);
                DoubleVector a = d.abs();
                DoubleVector x = tanh ? a.mul(-2.0) : d.neg();
                // e = e^x. Clamped by compare and blend: max/min carry Java's NaN and signed-zero rules,
                // several instructions each. NaN passes through.
                DoubleVector xc = x.blend(-200.0, x.compare(VectorOperators.LT, -200.0))
                        .blend(200.0, x.compare(VectorOperators.GT, 200.0));
                DoubleVector t = xc.fma(LOG2E, ROUND);
                DoubleVector nn = t.sub(ROUND);
                DoubleVector r = nn.fma(DoubleVector.broadcast(D, -LN2_HI), xc).add(nn.mul(-LN2_LO));
                DoubleVector p = r.fma(1.0 / 40320, 1.0 / 5040);
                p = p.fma(r, DoubleVector.broadcast(D, 1.0 / 720));
                p = p.fma(r, DoubleVector.broadcast(D, 1.0 / 120));
                p = p.fma(r, DoubleVector.broadcast(D, 1.0 / 24));
                p = p.fma(r, DoubleVector.broadcast(D, 1.0 / 6));
                p = p.fma(r, DoubleVector.broadcast(D, 0.5));
                p = p.fma(r, DoubleVector.broadcast(D, 1.0));
                p = p.fma(r, DoubleVector.broadcast(D, 1.0));
                LongVector bits = ((LongVector) t.viewAsIntegralLanes())
                        .sub(ROUND_BITS - 1023L)
                        .lanewise(VectorOperators.LSHL, 52);
                DoubleVector e = p.mul((DoubleVector) bits.viewAsFloatingLanes());
                // The exponent bits made from a NaN are garbage: keep NaN.
                e = e.blend(x, x.test(VectorOperators.IS_NAN));
                DoubleVector y;
                if (tanh) {
                    DoubleVector large = e.neg().add(1.0).div(e.add(1.0));
                    VectorMask<Double> isSmall = a.compare(VectorOperators.LT, TANH_SMALL);
                    DoubleVector a2 = a.mul(a);
                    DoubleVector q = a2.fma(62.0 / 2835, -17.0 / 315);
                    q = q.fma(a2, DoubleVector.broadcast(D, 2.0 / 15));
                    q = q.fma(a2, DoubleVector.broadcast(D, -1.0 / 3));
                    DoubleVector magnitude = large.blend(a.mul(a2).fma(q, a), isSmall);
                    // tanh is odd, and tanh(−0) = −0: copy the sign bit of the input.
                    LongVector sign = ((LongVector) d.viewAsIntegralLanes()).and(Long.MIN_VALUE);
                    y = (DoubleVector) ((LongVector) magnitude.viewAsIntegralLanes())
                            .or(sign)
                            .viewAsFloatingLanes();
                } else {
                    y = DoubleVector.broadcast(D, 1.0).div(e.add(1.0));
                }
                ((FloatVector) y.convertShape(VectorOperators.D2F, H, 0)).intoArray(dst, d0 + i);
            }
        }
        return bound;
    }

    /** {@link #activate} for one row: dst[i] = act(src[i] + bias[i]) for the first elements; returns how many. */
    static int activate(
            boolean tanh, int n, float[] src, int srcOff, float[] bias, int biasOff, float[] dst, int dstOff) {
        return activate(tanh, 1, n, src, srcOff, n, bias, biasOff, dst, dstOff, n);
    }

    /**
     * dst[r][i] = tanh(src[r][i] + bias[i]) in float lanes for the first {@code S.loopBound(n)}
     * elements of each row; returns how many. Cephes' tanhf: below |x| = 0.625 its odd
     * polynomial x + x³·P(x²), above 1 − 2/(e^2|x| + 1) with e^2|x| from Cephes' expf
     * ({@link #softmaxRows}' exponential, the argument capped at 88 where the result is 1
     * anyway), the input's sign put back. Within 1 ulp of tanh rounded once from double for
     * every float in [0, 10] (checked exhaustively), and 1 above; NaN stays NaN, tanh(−0) = −0.
     * Three times the speed of the double-lane evaluation it replaced, whose results it matches
     * within that ulp. Only additions, multiplications, FMAs, a division and bit operations:
     * the same bits compiled and interpreted.
     */
    private static int tanhRows(
            int rows,
            int n,
            float[] src,
            int srcOff,
            int lds,
            float[] bias,
            int biasOff,
            float[] dst,
            int dstOff,
            int ldd) {
        int bound = S.loopBound(n);
        for (int row = 0; row < rows; row++) {
            int so = srcOff + row * lds, d0 = dstOff + row * ldd;
            for (int i = 0; i < bound; i += S.length()) {
                FloatVector x = FloatVector.fromArray(S, src, so + i);
                if (bias != null) {
                    x = x.add(FloatVector.fromArray(S, bias, biasOff + i));
                }
                FloatVector a = x.abs();
                FloatVector z = a.mul(a);
                FloatVector p = z.fma(-5.70498872745e-3f, 2.06390887954e-2f);
                p = p.fma(z, FloatVector.broadcast(S, -5.37397155531e-2f));
                p = p.fma(z, FloatVector.broadcast(S, 1.33314422036e-1f));
                p = p.fma(z, FloatVector.broadcast(S, -3.33332819422e-1f));
                FloatVector small = p.mul(z).fma(a, a);
                FloatVector xx = a.mul(2f);
                FloatVector xc = xx.blend(88f, xx.compare(VectorOperators.GT, 88f));
                FloatVector t = xc.fma(1.44269504088896341f, ROUND_F);
                FloatVector nn = t.sub(ROUND_F);
                FloatVector r = nn.fma(FloatVector.broadcast(S, -0.693359375f), xc);
                r = nn.fma(FloatVector.broadcast(S, 2.12194440e-4f), r);
                FloatVector q = r.fma(1.9875691500e-4f, 1.3981999507e-3f);
                q = q.fma(r, FloatVector.broadcast(S, 8.3334519073e-3f));
                q = q.fma(r, FloatVector.broadcast(S, 4.1665795894e-2f));
                q = q.fma(r, FloatVector.broadcast(S, 1.6666665459e-1f));
                q = q.fma(r, FloatVector.broadcast(S, 5.0000001201e-1f));
                FloatVector y = q.fma(r.mul(r), r).add(1f);
                IntVector bits = ((IntVector) t.viewAsIntegralLanes())
                        .sub(ROUND_F_BITS - 127)
                        .lanewise(VectorOperators.LSHL, 23);
                FloatVector e = y.mul((FloatVector) bits.viewAsFloatingLanes());
                FloatVector large = FloatVector.broadcast(S, 1f)
                        .sub(FloatVector.broadcast(S, 2f).div(e.add(1f)));
                FloatVector m = large.blend(small, a.compare(VectorOperators.LT, 0.625f));
                // tanh is odd, and tanh(−0) = −0: copy the sign bit of the input (a NaN stays a NaN).
                IntVector sign = ((IntVector) x.viewAsIntegralLanes()).and(Integer.MIN_VALUE);
                ((FloatVector) ((IntVector) m.viewAsIntegralLanes()).or(sign).viewAsFloatingLanes())
                        .intoArray(dst, d0 + i);
            }
        }
        return bound;
    }

    /** The piecewise-linear activations; TANH and SIGMOID go through {@link #activate}. */
    static FloatVector piecewise(Activation act, FloatVector z) {
        return switch (act) {
            case RELU -> FloatVector.zero(z.species()).blend(z, z.compare(VectorOperators.GT, 0f));
            case IDENTITY -> z;
            case TANH, SIGMOID -> throw new IllegalArgumentException(act + " is computed by VectorMath.activate");
        };
    }

    /** Floats of {@link #H} to the doubles of {@link #D}: one same-lane-count conversion. */
    static DoubleVector widen(FloatVector v) {
        return (DoubleVector) v.convertShape(VectorOperators.F2D, D, 0);
    }

    /** Lane sum in a fixed order (reduceLanes may add in another order compiled than interpreted); a few lanes, so a plain loop. */
    static double laneSum(DoubleVector v) {
        double s = 0;
        for (int l = 0; l < v.length(); l++) {
            s += v.lane(l);
        }
        return s;
    }

    /** Full-width floats, for tanh and the softmax's exponentials. */
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private static final float ROUND_F = 12582912f; // 1.5·2^23
    private static final int ROUND_F_BITS = Float.floatToRawIntBits(ROUND_F);

    /**
     * Softmax of rows of n ≥ 1 floats, contiguous: dst[i] = e^(src[i] − max) / Σ_j e^(src[j] − max) per row.
     *
     * <p>e^x in float lanes (Cephes' expf with FMAs, within about 1 ulp): the row sum and
     * normalization tolerate it, and it has twice the lanes of the double path. Results below
     * float's normal range (x &lt; −87.3) are flushed to 0. The scalar tail uses Math.exp; the
     * sum is the vector part's lanes added by a fixed tree, then the tail in double.
     *
     * <p>All rows in this one method on purpose, as {@link #activate} is: it is too big for C2
     * to inline, so it is always compiled as its own root, with the Vector API's call chains
     * well inside C2's inlining depth. Inlined into a deep caller (a trainer loop compiled on
     * stack replacement, say), the innermost calls fell past the depth limit, were left as
     * calls, and every vector of the row was boxed.
     */
    static void softmaxRows(int rows, int n, float[] src, int srcOff, float[] dst, int dstOff) {
        // Every row inside this one loop, not one call each: the out-of-order core overlaps a row's
        // long chain of dependent reductions with the next row's independent work.
        for (int row = 0; row < rows; row++) {
            int so = srcOff + row * n, d0 = dstOff + row * n;
            int bound = S.loopBound(n);
            float max = Float.NEGATIVE_INFINITY;
            int j = 0;
            if (bound > 0) {
                FloatVector mv = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
                for (; j < bound; j += S.length()) {
                    mv = mv.max(FloatVector.fromArray(S, src, so + j));
                }
                max = mv.reduceLanes(VectorOperators.MAX);
            }
            for (; j < n; j++) {
                max = Math.max(max, src[so + j]);
            }
            FloatVector acc = FloatVector.zero(S);
            for (int i = 0; i < bound; i += S.length()) {
                FloatVector x = FloatVector.fromArray(S, src, so + i).sub(max);
                FloatVector xc = x.blend(-87.3f, x.compare(VectorOperators.LT, -87.3f))
                        .blend(88.7f, x.compare(VectorOperators.GT, 88.7f));
                FloatVector t = xc.fma(1.44269504088896341f, ROUND_F);
                FloatVector nn = t.sub(ROUND_F);
                FloatVector r = nn.fma(FloatVector.broadcast(S, -0.693359375f), xc);
                r = nn.fma(FloatVector.broadcast(S, 2.12194440e-4f), r);
                FloatVector p = r.fma(1.9875691500e-4f, 1.3981999507e-3f);
                p = p.fma(r, FloatVector.broadcast(S, 8.3334519073e-3f));
                p = p.fma(r, FloatVector.broadcast(S, 4.1665795894e-2f));
                p = p.fma(r, FloatVector.broadcast(S, 1.6666665459e-1f));
                p = p.fma(r, FloatVector.broadcast(S, 5.0000001201e-1f));
                FloatVector y = p.fma(r.mul(r), r).add(1f);
                IntVector bits = ((IntVector) t.viewAsIntegralLanes())
                        .sub(ROUND_F_BITS - 127)
                        .lanewise(VectorOperators.LSHL, 23);
                FloatVector e = y.mul((FloatVector) bits.viewAsFloatingLanes());
                e = e.blend(0f, x.compare(VectorOperators.LT, -87.3f));
                e = e.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, 88.7f));
                e = e.blend(x, x.test(VectorOperators.IS_NAN));
                e.intoArray(dst, d0 + i);
                acc = acc.add(e);
            }
            // The lane sum by a fixed pairwise tree: reduceLanes may add in another order compiled
            // than interpreted.
            float vectorSum;
            if (S.length() > 16) {
                vectorSum = 0f;
                for (int l = 0; l < S.length(); l++) {
                    vectorSum += acc.lane(l);
                }
            } else {
                if (S.length() == 16) {
                    acc = acc.add(acc.rearrange(SWAP8));
                }
                if (S.length() >= 8) {
                    acc = acc.add(acc.rearrange(SWAP4));
                }
                acc = acc.add(acc.rearrange(SWAP2));
                acc = acc.add(acc.rearrange(SWAP1));
                vectorSum = acc.lane(0);
            }
            double sum = vectorSum;
            for (j = bound; j < n; j++) {
                float e = (float) Math.exp(src[so + j] - max);
                dst[d0 + j] = e;
                sum += e;
            }
            float inv = (float) (1.0 / sum);
            for (j = 0; j < bound; j += S.length()) {
                FloatVector.fromArray(S, dst, d0 + j).mul(inv).intoArray(dst, d0 + j);
            }
            for (; j < n; j++) {
                dst[d0 + j] *= inv;
            }
        }
    }

    /**
     * Lane swaps i → i ^ s for s = 8, 4, 2, 1: the levels of a fixed pairwise reduction tree.
     * Separate constants (identity where s ≥ lanes) so C2 folds them; a shuffle read from an
     * array is not intrinsified and boxes every vector.
     */
    private static final VectorShuffle<Float> SWAP8 = swap(8), SWAP4 = swap(4), SWAP2 = swap(2), SWAP1 = swap(1);

    private static VectorShuffle<Float> swap(int s) {
        return VectorShuffle.fromOp(S, i -> s < S.length() ? i ^ s : i);
    }
}
