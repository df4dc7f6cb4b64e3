package org.bptt.testkit.samples;

import java.util.ArrayList;
import java.util.List;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.plugin.PluginOption;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.plugin.PluginParameter;
import org.bptt.api.truncation.Truncation;
import org.bptt.api.truncation.TruncationFactory;

/** Williams &amp; Peng TBPTT(k1, k2), written again. Correct with {@link Flaw#NONE}. */
public final class SampleTbptt implements Truncation {

    /** One deliberate mistake. */
    public enum Flaw {
        NONE,
        /** No pass at T when T is not a multiple of k1: the last steps' losses are lost. */
        DROPS_LAST_PARTIAL,
        /** Each window's losses start where its backprop starts, so windows count losses twice. */
        OVERLAPPING_LOSSES,
        /** Returns one list it keeps and refills on every call. */
        REUSES_LIST,
        /** k1 changes with every call (cycling through 1 … k2). */
        COUNTS_CALLS,
        /** With k1 = 1, the smallest value its declaration accepts, the last step gets no window (an off-by-one). */
        LOSES_TAIL_AT_K1_ONE
    }

    private final int k2;
    private final Flaw flaw;
    private int k1;
    private final List<Window> kept = new ArrayList<>();

    SampleTbptt(int k1, int k2, Flaw flaw) {
        this.k1 = k1;
        this.k2 = k2;
        this.flaw = flaw;
    }

    @Override
    public List<Window> windows(int steps) {
        List<Window> w = flaw == Flaw.REUSES_LIST ? kept : new ArrayList<>();
        w.clear();
        int end = flaw == Flaw.LOSES_TAIL_AT_K1_ONE && k1 == 1 ? steps - 1 : steps;
        for (int from = 0; from < end; from += k1) {
            int to = Math.min(from + k1, steps);
            if (flaw == Flaw.DROPS_LAST_PARTIAL && to - from < k1) {
                break;
            }
            int back = Math.max(0, to - k2);
            w.add(new Window(flaw == Flaw.OVERLAPPING_LOSSES ? back : from, to, back, to));
        }
        if (flaw == Flaw.COUNTS_CALLS) {
            k1 = k1 % k2 + 1;
        }
        return flaw == Flaw.REUSES_LIST ? w : List.copyOf(w);
    }

    @Override
    public String describe() {
        return "sample-tbptt(k1=" + k1 + ", k2=" + k2 + ")";
    }

    /** {@code sample-tbptt}: options k1, k2, flaw, declared once each. */
    public static class Factory implements TruncationFactory {
        static final PluginOption<Integer> K1 =
                PluginOption.integer("k1", 4, "steps between backward passes").atLeast(1);
        static final PluginOption<Integer> K2 = PluginOption.integer(
                        "k2", 8, "steps each backward pass goes back, at least k1")
                .atLeast(1);
        static final PluginOption<String> FLAW =
                PluginOption.text("flaw", "none", "a deliberate mistake, for the kit's own tests");

        @Override
        public String name() {
            return "sample-tbptt";
        }

        @Override
        public String description() {
            return "TBPTT(k1, k2) written again";
        }

        @Override
        public List<PluginParameter> parameters() {
            return PluginOption.parameters(K1, K2, FLAW);
        }

        @Override
        public Truncation create(PluginOptions o) {
            PluginOption.requireOnly(o, K1, K2, FLAW);
            int k1 = K1.read(o);
            int k2 = K2.read(o);
            if (k2 < k1) {
                throw new ConfigurationException("sample-tbptt: option 'k2' must be at least k1=" + k1 + ", got " + k2);
            }
            return new SampleTbptt(k1, k2, Flaws.parse(Flaw.class, "sample-tbptt", FLAW.read(o)));
        }
    }
}
