package org.bptt.testkit.internal;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.plugin.StateSink;
import org.bptt.api.plugin.StateSource;

/**
 * A checkpoint in memory: a {@link StateSink} that copies what it is given and refuses a key
 * written twice, and a {@link StateSource} over the same entries that refuses an unknown key or
 * a size mismatch, as a checkpoint file does.
 */
final class MemoryState implements StateSink, StateSource {
    private final Map<String, Object> entries = new LinkedHashMap<>();

    @Override
    public void putFloats(String key, float[] values) {
        put(key, values.clone());
    }

    @Override
    public void putLong(String key, long value) {
        put(key, value);
    }

    private void put(String key, Object value) {
        if (entries.putIfAbsent(key, value) != null) {
            throw Check.fail("saveState wrote the key '" + key + "' twice; the second value would replace the first");
        }
    }

    @Override
    public void getFloats(String key, float[] into) {
        if (!(entries.get(key) instanceof float[] f)) {
            throw new ConfigurationException("the checkpoint has no float array '" + key + "'");
        }
        if (f.length != into.length) {
            throw new ConfigurationException(
                    "the checkpoint's '" + key + "' has " + f.length + " floats, expected " + into.length);
        }
        System.arraycopy(f, 0, into, 0, f.length);
    }

    @Override
    public long getLong(String key) {
        if (!(entries.get(key) instanceof Long l)) {
            throw new ConfigurationException("the checkpoint has no number '" + key + "'");
        }
        return l;
    }

    int size() {
        return entries.size();
    }

    /** Null when both hold the same keys and bits, else the first difference. */
    String firstDifference(MemoryState other) {
        if (!entries.keySet().equals(other.entries.keySet())) {
            return "keys " + entries.keySet() + " vs " + other.entries.keySet();
        }
        for (Map.Entry<String, Object> e : entries.entrySet()) {
            Object a = e.getValue();
            Object b = other.entries.get(e.getKey());
            boolean same = a instanceof float[] fa && b instanceof float[] fb ? Arrays.equals(fa, fb) : a.equals(b);
            if (!same) {
                return "'" + e.getKey() + "'";
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return entries.keySet().toString();
    }
}
