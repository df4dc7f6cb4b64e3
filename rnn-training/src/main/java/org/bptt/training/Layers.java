package org.bptt.training;

import org.bptt.training.config.RunSettings;

/**
 * How a network's cell is composed into layers: {@code count} layers stacked (layer l+1 reads
 * layer l's h_t), each running forward in time or, when {@code bidirectional}, forward and
 * backward with the two outputs concatenated (PyTorch's layout, [h_forward | h_backward]);
 * {@code dropout} on the connections between layers (PyTorch's {@code dropout}), a fresh mask
 * per step or, when {@code variational}, one mask per sequence (Gal &amp; Ghahramani 2016).
 *
 * @param count         layers, at least 1
 * @param bidirectional a backward-in-time pass beside the forward one in every layer
 * @param dropout       the probability of zeroing a unit between layers, in [0, 1)
 * @param variational   the same dropout mask at every step of a sequence
 */
public record Layers(int count, boolean bidirectional, double dropout, boolean variational) {
    /** One layer, forward in time: the plain cell. */
    public static final Layers ONE = new Layers(1, false, 0, false);

    public Layers {
        RunSettings.requireLayers(count, dropout, variational);
    }

    /** A stack of {@code count} forward layers without dropout. */
    public static Layers of(int count) {
        return new Layers(count, false, 0, false);
    }

    /** True for the plain cell: one layer, forward in time (no composition at all). */
    public boolean single() {
        return count == 1 && !bidirectional;
    }

    /** Directions per layer: 2 when bidirectional, else 1. */
    public int directions() {
        return bidirectional ? 2 : 1;
    }
}
