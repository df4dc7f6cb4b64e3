package org.bptt.api.kernel;

import java.util.Locale;
import org.bptt.api.plugin.ConfigurationException;

/**
 * Element-wise activations whose derivative can be computed from the activation's output
 * alone, so that a backward pass needs to keep only h_t, not z_t.
 */
public enum Activation {
    /** tanh(z); derivative 1 − h². */
    TANH,
    /** max(0, z); derivative 1 where h > 0, else 0. */
    RELU,
    /** σ(z) = 1/(1+e^−z); derivative h(1 − h). Used by gated cells. */
    SIGMOID,
    /** z; derivative 1. */
    IDENTITY;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Activation parse(String name) {
        for (Activation a : values()) {
            if (a.id().equals(name)) {
                return a;
            }
        }
        throw new ConfigurationException("unknown activation '" + name + "'; known: tanh, relu, sigmoid, identity");
    }
}
