package org.bptt.plugins.truncation;

import java.util.ArrayList;
import java.util.List;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.plugin.PluginOption;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.plugin.PluginParameter;
import org.bptt.api.truncation.Truncation;
import org.bptt.api.truncation.TruncationFactory;

/** The built-in truncations and their ServiceLoader entry points. */
public final class Truncations {
    private Truncations() {}

    /** One backward pass over the whole sequence. */
    public static final class Full implements Truncation {
        @Override
        public List<Window> windows(int steps) {
            return List.of(new Window(0, steps, 0, steps));
        }

        @Override
        public String describe() {
            return "full";
        }
    }

    /**
     * Williams &amp; Peng TBPTT(k1, k2): a backward pass at every t that is a multiple of k1,
     * and at T when T is not; the pass at t takes the losses since the previous pass and
     * back-propagates them through steps [max(0, t − k2), t). k2 &gt; k1 makes windows overlap.
     */
    public static final class Tbptt implements Truncation {
        private final int k1;
        private final int k2;

        public Tbptt(int k1, int k2) {
            if (k1 < 1) {
                throw new ConfigurationException("tbptt: k1 must be at least 1, got " + k1);
            }
            if (k2 < k1) {
                throw new ConfigurationException("tbptt: k2 must be at least k1, got k1=" + k1 + " and k2=" + k2);
            }
            this.k1 = k1;
            this.k2 = k2;
        }

        public int k1() {
            return k1;
        }

        @Override
        public java.util.OptionalInt period() {
            return java.util.OptionalInt.of(k1);
        }

        public int k2() {
            return k2;
        }

        @Override
        public List<Window> windows(int steps) {
            List<Window> w = new ArrayList<>();
            int previous = 0;
            for (int t = k1; previous < steps; t = Math.min(t + k1, steps)) {
                int end = Math.min(t, steps);
                w.add(new Window(previous, end, Math.max(0, end - k2), end));
                previous = end;
            }
            return List.copyOf(w);
        }

        @Override
        public String describe() {
            return "tbptt(k1=" + k1 + ", k2=" + k2 + ")";
        }
    }

    /** {@code full}. */
    public static final class FullFactory implements TruncationFactory {
        @Override
        public String name() {
            return "full";
        }

        @Override
        public String description() {
            return "full backpropagation through time over the whole sequence";
        }

        @Override
        public Truncation create(PluginOptions o) {
            PluginOption.requireOnly(o);
            return new Full();
        }
    }

    /** {@code tbptt}: options k1, k2 (default k1). */
    public static final class TbpttFactory implements TruncationFactory {
        static final PluginOption<Integer> K1 =
                PluginOption.integer("k1", 10, "steps between backward passes").atLeast(1);
        /** 0 stands for "as many as k1": the familiar "chunks of k" truncation, whatever k1 is. */
        static final PluginOption<Integer> K2 = PluginOption.integer(
                        "k2", 0, "steps each backward pass goes back, >= k1; 0 means k1")
                .nonNegative();

        @Override
        public String name() {
            return "tbptt";
        }

        @Override
        public String description() {
            return "Williams & Peng TBPTT(k1, k2): every k1 steps, backpropagate through the last k2 (k2 >= k1)";
        }

        @Override
        public List<PluginParameter> parameters() {
            return PluginOption.parameters(K1, K2);
        }

        @Override
        public Truncation create(PluginOptions o) {
            PluginOption.requireOnly(o, K1, K2);
            int k1 = K1.read(o);
            int k2 = K2.read(o);
            return new Tbptt(k1, k2 == 0 ? k1 : k2);
        }
    }
}
