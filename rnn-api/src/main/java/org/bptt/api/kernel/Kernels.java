package org.bptt.api.kernel;

import java.util.function.IntConsumer;
import org.bptt.api.internal.kernel.ScalarLoops;

/**
 * The dense float32 operations of training, over flat row-major arrays with explicit
 * offsets and leading dimensions (the distance, in floats, between the starts of two rows).
 *
 * <p>Naming follows the math: {@code multAdd} is C += A·B, {@code multAddTransA} is
 * C += Aᵀ·B, {@code multAddTransB} is C += A·Bᵀ. Only the output operand is modified; every
 * other array is read only ("Not modified."). Implementations check shapes against array
 * lengths where it is cheap and report both operands' sizes when they do not fit.
 *
 * <p>Thread safety: implementations are stateless or internally synchronized and may be
 * shared. Determinism: for the same inputs the result must not depend on the number of
 * threads an implementation uses (split work by output rows, never by the reduction).
 */
public interface Kernels {

    /** Short name of this backend, e.g. {@code scalar} or {@code simd}. */
    String name();

    /** Width of one vector register in bits, 32 for a scalar backend. */
    int vectorBitSize();

    /**
     * C(m×n) += A(m×k) · B(n×k)ᵀ: the forward products X·Uᵀ, H·Wᵀ, H·Vᵀ.
     * A, B not modified; C modified.
     */
    void multAddTransB(
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
            int ldc);

    /**
     * C(m×n) += A(m×k) · B(k×n): the backward products Δ·W and ΔO·V.
     * A, B not modified; C modified.
     */
    void multAdd(
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
            int ldc);

    /**
     * C(m×n) += A(k×m)ᵀ · B(k×n): the outer-product gradients dW += Δᵀ·H summed over
     * k = steps × batch rows. A, B not modified; C modified.
     */
    void multAddTransA(
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
            int ldc);

    /**
     * dst(cols×rows, packed) = src(rows×cols)ᵀ. src not modified; dst modified.
     *
     * @implSpec The default is a scalar loop over 8×8 blocks.
     */
    default void transpose(int rows, int cols, float[] src, int srcOff, int lds, float[] dst, int dstOff) {
        ScalarLoops.transposeBlocked(rows, cols, src, srcOff, lds, dst, dstOff);
    }

    /** x[r][j] += bias[j] over a rows×cols block. x modified. */
    void addRowVector(int rows, int cols, float[] x, int xOff, int ldx, float[] bias, int biasOff);

    /** out[j] += Σ_r x[r][j] (the bias gradient). x not modified; out modified. */
    void addColumnSums(int rows, int cols, float[] x, int xOff, int ldx, float[] out, int outOff);

    /**
     * The fused forward pass of a cell's pre-activation: x[r][j] = act(x[r][j] + bias[j]),
     * in place. x modified.
     */
    void addBiasActivate(Activation act, int rows, int cols, float[] x, int xOff, int ldx, float[] bias, int biasOff);

    /** dst[i] = act(src[i]) for n elements; src and dst may be the same array. */
    void activate(Activation act, int n, float[] src, int srcOff, float[] dst, int dstOff);

    /**
     * The fused backward pass through an activation: dz[i] = dh[i] · act'(h[i]), the
     * derivative taken from the activation's output h. dz modified (may alias dh).
     */
    void activationBackward(Activation act, int n, float[] h, int hOff, float[] dh, int dhOff, float[] dz, int dzOff);

    /** Row-wise softmax of a rows×cols block into dst (may alias src). */
    void softmaxRows(int rows, int cols, float[] src, int srcOff, float[] dst, int dstOff);

    /** Σ x[i]², accumulated in double. */
    double sumOfSquares(int n, float[] x, int off);

    /** Σ x[i]·y[i], accumulated in double. */
    double dot(int n, float[] x, int xOff, float[] y, int yOff);

    /** x[i] *= alpha. */
    void scale(int n, float alpha, float[] x, int off);

    /** y[i] += alpha · x[i]. y modified. */
    void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff);

    /** x[i] = min(max(x[i], lo), hi). Returns how many elements were changed. */
    int clamp(int n, float lo, float hi, float[] x, int off);

    /** x[i] = value. */
    void fill(int n, float value, float[] x, int off);

    /** Floats {@link #packB} needs for a k×n matrix B. */
    default int packedSize(int k, int n) {
        return Math.multiplyExact(k, n);
    }

    /**
     * Copies B(k×n) into this backend's layout for {@link #multAddPacked}: for a B that many
     * products share (the recurrent weights over a window of steps), pack once, multiply often.
     * B not modified; packed (at least {@link #packedSize} floats) modified.
     *
     * @implSpec The default stores B row-major with leading dimension n.
     */
    default void packB(int k, int n, float[] b, int bOff, int ldb, float[] packed) {
        Shapes.checkMatrix("packB", "B", b, bOff, ldb, k, n);
        Shapes.checkMatrix("packB", "packed", packed, 0, n, k, n);
        for (int p = 0; p < k; p++) {
            System.arraycopy(b, bOff + p * ldb, packed, p * n, n);
        }
    }

    /**
     * C(m×n) += A(m×k) · B(k×n) with B as {@link #packB} left it; bit for bit what
     * {@link #multAdd} gives on the unpacked B. A, packed not modified; C modified.
     *
     * @implSpec The default multiplies the row-major copy the default {@link #packB} writes.
     */
    default void multAddPacked(
            int m, int n, int k, float[] a, int aOff, int lda, float[] packed, float[] c, int cOff, int ldc) {
        multAdd(m, n, k, a, aOff, lda, packed, 0, n, c, cOff, ldc);
    }

    // ------------------------------------------------------------------------------------------
    // Element-wise operations of gated cells. Each works on row blocks: row r of an operand X
    // starts at xOff + r·ldx, so a block may be a column range of a wider row (a gate of a
    // [r | z | n] row, the h or c half of an LSTM state row [h, c]). Every rounding is the
    // scalar loop's, in the same order and without fused multiply-add, so that a backend gives
    // the same bits as the scalar backend, except where a method computes tanh (its bound is
    // that of {@link #activate}). An output may be the same block as an input (same array,
    // offset and leading dimension), never a partly overlapping one.

    /**
     * C(rows×cols) = A ⊙ B, element by element. A, B not modified; C modified.
     *
     * @implSpec The default is the scalar loop of its definition.
     */
    default void multiplyElements(
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
        ScalarLoops.multiplyRows(rows, cols, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    }

    /**
     * C(rows×cols) += A ⊙ B, element by element: c + a·b with the product rounded before the
     * sum (no fused multiply-add). A, B not modified; C modified.
     *
     * @implSpec The default is the scalar loop of its definition.
     */
    default void multiplyAddElements(
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
        ScalarLoops.multiplyAddRows(rows, cols, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    }

    /**
     * dst = act(src) over rows×cols blocks: a gate's activation (σ for an input, forget or
     * update gate, tanh for a candidate) on its columns of a row of gate pre-activations.
     * src not modified; dst modified (may be src, same offset and leading dimension).
     *
     * @implSpec The default runs {@link #activate} on each row, so a backend's vectorized
     *           activation serves it.
     * @since 0.2.0
     */
    default void activateRows(
            Activation act, int rows, int cols, float[] src, int srcOff, int lds, float[] dst, int dstOff, int ldd) {
        Shapes.checkMatrix("activateRows", "src", src, srcOff, lds, rows, cols);
        Shapes.checkMatrix("activateRows", "dst", dst, dstOff, ldd, rows, cols);
        for (int r = 0; r < rows; r++) {
            activate(act, cols, src, srcOff + r * lds, dst, dstOff + r * ldd);
        }
    }

    /**
     * dz = dy ⊙ act′ over rows×cols blocks, act′ written in terms of the activation's output y
     * (σ′ = y(1 − y), tanh′ = 1 − y²): a gate's backward step. y, dy not modified; dz modified
     * (may be dy).
     *
     * @implSpec The default runs {@link #activationBackward} on each row.
     * @since 0.2.0
     */
    default void activationBackwardRows(
            Activation act,
            int rows,
            int cols,
            float[] y,
            int yOff,
            int ldy,
            float[] dy,
            int dyOff,
            int lddy,
            float[] dz,
            int dzOff,
            int lddz) {
        Shapes.checkMatrix("activationBackwardRows", "y", y, yOff, ldy, rows, cols);
        Shapes.checkMatrix("activationBackwardRows", "dy", dy, dyOff, lddy, rows, cols);
        Shapes.checkMatrix("activationBackwardRows", "dz", dz, dzOff, lddz, rows, cols);
        for (int r = 0; r < rows; r++) {
            activationBackward(act, cols, y, yOff + r * ldy, dy, dyOff + r * lddy, dz, dzOff + r * lddz);
        }
    }

    /**
     * C(rows×cols) = A + T ⊙ (B − A), element by element: the gated blend of two states (a GRU's
     * h = (1 − z) ⊙ n + z ⊙ h_prev with T = z, A = n, B = h_prev; a highway's or a leaky unit's
     * mix), computed with one product, the difference and the product each rounded. T, A, B not
     * modified; C modified (may be A or B).
     *
     * @implSpec The default is the scalar loop of its definition.
     * @since 0.2.0
     */
    default void interpolateElements(
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
        ScalarLoops.gruUpdateRows(rows, cols, t, tOff, ldt, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    }

    /**
     * The GRU's new state h = (1 − z) ⊙ n + z ⊙ h_prev over rows×cols blocks, computed as
     * PyTorch does, n + z·(h_prev − n): one product instead of two.
     * z, n, hPrev not modified; h modified (may be n or hPrev).
     *
     * @implSpec The default is {@link #interpolateElements}, which it is.
     */
    default void gruUpdate(
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
        interpolateElements(rows, cols, z, zOff, ldz, n, nOff, ldn, hPrev, pOff, ldp, h, hOff, ldh);
    }

    /**
     * The element-wise part of a GRU step's backward pass (PyTorch's nn.GRU equations
     * r = σ(a_r), z = σ(a_z), n = tanh(a_in + r ⊙ ghn), h = (1 − z) ⊙ n + z ⊙ h_prev, where
     * ghn = W_hn h_prev + b_hn): from dh = ∂L/∂h, the gradients of the gates' pre-activations.
     *
     * <p>Row r of {@code gates} holds [r | z | n], the activated gates, each {@code cols} wide.
     * Row r of {@code dGates} receives four blocks of {@code cols}, each an input of one
     * product of the backward pass:
     * <pre>
     *   dn  = dh·(1 − z)            da_n = dn·(1 − n²)         (∂L/∂a_in, and of b_in)
     *   dz  = dh·(h_prev − n)       da_z = dz·(z·(1 − z))      (∂L/∂a_z)
     *   dr  = da_n·ghn              da_r = dr·(r·(1 − r))      (∂L/∂a_r)
     *   dghn = da_n·r                                          (∂L/∂ghn, and of b_hn)
     *   dGates row = [da_r | da_z | dghn | da_n]      dhPrev += dh·z
     * </pre>
     * so that [da_r | da_z | dghn] is the gradient of W_hh h_prev + b_hh (3·cols contiguous) and
     * [da_r | da_z] with da_n that of W_ih x + b_ih. gates, ghn, hPrev, dh not modified; dGates
     * modified; dhPrev modified (added to: the direct path of h_prev through the update).
     *
     * @implSpec The default is the scalar loop of its definition.
     */
    default void gruBackward(
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
        ScalarLoops.gruBackwardRows(
                rows, cols, gates, gOff, ldg, ghn, nOff, ldn, hPrev, pOff, ldp, dh, dhOff, lddh, dGates, dgOff, lddg,
                dhPrev, dpOff, lddp);
    }

    /**
     * The LSTM's state update from its activated gates: row r of {@code gates} holds
     * [i | f | g | o], each {@code cols} wide; c = f ⊙ c_prev + i ⊙ g (the two products
     * rounded, then their sum), tanhC = tanh(c) (kept for the backward pass), h = o ⊙ tanhC.
     * gates, cPrev not modified; c, tanhC, h modified (c may be cPrev).
     *
     * @implSpec The default is the scalar loop of its definition.
     */
    default void lstmUpdate(
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
        ScalarLoops.lstmUpdateRows(
                rows, cols, gates, gOff, ldg, cPrev, pOff, ldp, c, cOff, ldc, tanhC, tOff, ldt, h, hOff, ldh);
    }

    /**
     * The element-wise part of an LSTM step's backward pass (PyTorch's nn.LSTM equations
     * i = σ(a_i), f = σ(a_f), g = tanh(a_g), o = σ(a_o), c = f ⊙ c_prev + i ⊙ g,
     * h = o ⊙ tanh(c)). {@code dh} is ∂L/∂h_t and {@code dc} is ∂L/∂c_t through the later
     * steps only (c_t as a state variable, h_t held fixed); gates and tanhC as
     * {@link #lstmUpdate} left them. Computes
     * <pre>
     *   dct  = dc + (dh·o)·(1 − tanhC²)           the total ∂L/∂c_t
     *   da_i = (dct·g)·(i·(1 − i))     da_f = (dct·c_prev)·(f·(1 − f))
     *   da_g = (dct·i)·(1 − g²)        da_o = (dh·tanhC)·(o·(1 − o))
     *   dGates row = [da_i | da_f | da_g | da_o]      dcPrev += dct·f
     * </pre>
     * gates, tanhC, cPrev, dh, dc not modified; dGates modified; dcPrev modified (added to).
     *
     * @implSpec The default is the scalar loop of its definition.
     */
    default void lstmBackward(
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
        ScalarLoops.lstmBackwardRows(
                rows, cols, gates, gOff, ldg, tanhC, tOff, ldt, cPrev, pOff, ldp, dh, dhOff, lddh, dc, dcOff, lddc,
                dGates, dgOff, lddg, dcPrev, dpOff, lddp);
    }

    /** Threads this backend computes with; 1 for a sequential backend. */
    default int threads() {
        return 1;
    }

    /**
     * Runs {@code task.accept(part)} for every part in [0, parts) on up to {@link #threads()}
     * threads, and returns when all have finished. Lets a caller split a long chain of small
     * dependent operations (a recurrence over time, say) into independent parts — batch rows —
     * with one hand-off per chain instead of one per operation. Kernels that a task calls run
     * on that task's thread alone. Tasks must write disjoint memory and must not depend on
     * which thread runs them, so the result does not depend on the thread count.
     *
     * @implSpec The default runs the parts in order on the calling thread.
     */
    default void parallelFor(int parts, IntConsumer task) {
        for (int p = 0; p < parts; p++) {
            task.accept(p);
        }
    }

    /**
     * Into how many parts to split a recurrence over {@code rows} independent rows (the batch)
     * for {@link #parallelFor}, when each step of each part reads {@code sharedBytes} that all
     * parts share (the recurrent weights). Split, every part streams all of the shared data every
     * step, which pays while it stays in a core's own cache; beyond, 1 is the answer and the
     * kernels split each step's products by columns instead. A machine-dependent choice, so the
     * backend makes it (a tuned backend from measurements); it never changes results, since the
     * parts write disjoint rows.
     *
     * @implSpec The default splits into parts of at least 8 rows (two 4-row register tiles), at
     *     most {@link #threads()}, while {@code sharedBytes} ≤ 1 MiB (a core's L2 on current
     *     x86); otherwise 1.
     */
    default int recurrenceParts(int rows, long sharedBytes) {
        return sharedBytes <= 1L << 20 ? Math.max(1, Math.min(threads(), rows / 8)) : 1;
    }
}
