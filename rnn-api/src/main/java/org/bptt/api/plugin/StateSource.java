package org.bptt.api.plugin;

/** Gives back what a {@link StateSink} received, when a run resumes from a checkpoint. */
public interface StateSource {
    /** Copies the stored values into {@code into}; fails with a {@link ConfigurationException} on a size mismatch. */
    void getFloats(String key, float[] into);

    long getLong(String key);
}
