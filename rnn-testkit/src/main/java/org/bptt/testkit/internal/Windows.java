package org.bptt.testkit.internal;

import java.util.ArrayList;
import java.util.List;
import org.bptt.api.truncation.Truncation.Window;

/** The kit's own window schedules, written from the reference README rather than taken from a plugin. */
final class Windows {
    private Windows() {}

    /**
     * Williams &amp; Peng TBPTT(k1, k2) over T steps: a pass at every multiple of k1 and at T,
     * each taking the losses since the previous pass through the last k2 steps.
     */
    static List<Window> tbptt(int steps, int k1, int k2) {
        List<Window> w = new ArrayList<>();
        for (int from = 0; from < steps; from += k1) {
            int to = Math.min(from + k1, steps);
            w.add(new Window(from, to, Math.max(0, to - k2), to));
        }
        return w;
    }
}
