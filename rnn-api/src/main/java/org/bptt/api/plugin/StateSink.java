package org.bptt.api.plugin;

/** Receives a strategy's state for a checkpoint. The arrays are copied by the sink. */
public interface StateSink {
    void putFloats(String key, float[] values);

    void putLong(String key, long value);
}
