package org.bptt.training.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.atomic.AtomicInteger;
import org.bptt.api.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The memo computes once per unchanged matrix and afresh when a single float changes. */
final class TestSpectrumMemo {
    @Test
    void anUnchangedMatrixIsDecomposedOnceAChangedOneAgain() {
        Tensor w = new Tensor("W", 2, 2, new float[] {0, 2, 0.5f, 0}); // eigenvalues ±1
        SpectrumMemo memo = new SpectrumMemo();
        AtomicInteger calls = new AtomicInteger();
        Spectral first = memo.of(w, t -> {
            calls.incrementAndGet();
            return Spectral.of(t);
        });
        assertSame(first, memo.of(w, t -> {
            calls.incrementAndGet();
            return Spectral.of(t);
        }));
        assertEquals(1, calls.get());
        assertEquals(1.0, first.radius(), 1e-12);
        w.data()[1] = 8; // eigenvalues ±2
        Spectral changed = memo.of(w, t -> {
            calls.incrementAndGet();
            return Spectral.of(t);
        });
        assertEquals(2, calls.get());
        assertEquals(2.0, changed.radius(), 1e-12);
    }
}
