package org.bptt.api.truncation;

import java.util.List;
import java.util.OptionalInt;

/**
 * Splits the backward pass over a sequence of T steps into windows, in the order the
 * trainer runs them. Full BPTT is one window covering everything; Williams &amp; Peng's
 * TBPTT(k1, k2) runs a backward pass every k1 steps over the last k2.
 *
 * <p>The hidden state is carried from window to window (the forward pass is never
 * restarted); gradients do not flow into the state that enters a window.
 * Stateless and thread-safe.
 */
public interface Truncation {

    /**
     * The backward passes over a sequence of {@code steps} steps. Their loss ranges must
     * partition [0, steps) in order; each backprop range must contain its loss range and
     * end where it ends.
     */
    List<Window> windows(int steps);

    /** For reports: {@code tbptt(k1=4, k2=8)}. */
    String describe();

    /**
     * The steps between backward passes, if this truncation runs them at a fixed period (TBPTT's
     * k1). A network refuses a period longer than its sequences: nothing would be truncated, and
     * the run would be full BPTT under another name.
     *
     * @implSpec The default is empty: no fixed period.
     * @since 0.2.0
     */
    default OptionalInt period() {
        return OptionalInt.empty();
    }

    /**
     * One backward pass: the losses of steps [lossFrom, lossTo) back-propagated through steps
     * [backFrom, backTo), with backTo == lossTo.
     */
    record Window(int lossFrom, int lossTo, int backFrom, int backTo) {
        public Window {
            if (!(0 <= backFrom && backFrom <= lossFrom && lossFrom < lossTo && lossTo == backTo)) {
                throw new IllegalArgumentException("invalid window: losses [" + lossFrom + ", " + lossTo
                        + ") through steps [" + backFrom + ", " + backTo + ")");
            }
        }

        public int length() {
            return backTo - backFrom;
        }
    }
}
