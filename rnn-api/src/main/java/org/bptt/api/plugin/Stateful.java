package org.bptt.api.plugin;

/**
 * A strategy that carries state from one training iteration to the next (an optimizer's
 * moments, an adaptive policy's statistics) and so must be saved in checkpoints for a
 * resumed run to equal an uninterrupted one bit for bit.
 */
public interface Stateful {
    /** @implSpec The default writes nothing: stateless. */
    default void saveState(StateSink sink) {}

    /** @implSpec The default reads nothing: stateless. */
    default void loadState(StateSource source) {}
}
