package org.bptt.examples.gated.cell;

import org.bptt.api.kernel.Kernels;

/**
 * How a runner splits its batch over threads, as the platform's vanilla cell does. Each batch
 * row's recurrence depends on that row alone, so the batch is cut into parts that run a whole
 * window each, one hand-off per window rather than per step. Every row is computed by the
 * same kernel calls whichever part holds it (the kernels' results per row do not depend on
 * how many rows a call has), so results do not depend on the number of parts.
 */
final class BatchParts {
    /** Fewest rows worth a thread of their own: two 4-row register tiles of the products. */
    static final int MIN_PART_ROWS = 8;
    /**
     * Largest recurrent weight matrix, in bytes, for which the batch is split: every part reads
     * all of it every step, cheap while it stays in a core's L2, L3 traffic beyond (where the
     * kernels' own column split of each product reads part of it per thread instead).
     */
    static final long MAX_SPLIT_WEIGHT_BYTES = 1L << 20;

    private final int batch;
    private final int parts;

    BatchParts(Kernels kernels, int batch, long recurrentWeightFloats) {
        this.batch = batch;
        boolean fitsCache = recurrentWeightFloats * Float.BYTES <= MAX_SPLIT_WEIGHT_BYTES;
        this.parts = fitsCache ? Math.max(1, Math.min(kernels.threads(), batch / MIN_PART_ROWS)) : 1;
    }

    int count() { return parts; }

    /** First batch row of part {@code p} ({@code p = count()} gives the batch), a multiple of 4 inside. */
    int start(int p) {
        return p == parts ? batch : (p * batch / parts) & ~3;
    }
}
