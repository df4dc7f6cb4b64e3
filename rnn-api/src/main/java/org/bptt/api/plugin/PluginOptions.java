package org.bptt.api.plugin;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The options given to one plugin, as strings (from a flag, a config file), with typed
 * getters that fail with a {@link ConfigurationException} naming the plugin, the option and
 * what is accepted. Immutable.
 */
public final class PluginOptions {
    private final String owner;
    private final Map<String, String> values;

    public PluginOptions(String owner, Map<String, String> values) {
        this.owner = requireNonNull(owner, "owner is null");
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(values, "values is null")));
    }

    public static PluginOptions empty(String owner) {
        return new PluginOptions(owner, Map.of());
    }

    public String owner() {
        return owner;
    }

    public Map<String, String> asMap() {
        return values;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public PluginOptions with(String name, Object value) {
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.put(name, String.valueOf(value));
        return new PluginOptions(owner, copy);
    }

    public String string(String name, String defaultValue) {
        return values.getOrDefault(name, defaultValue);
    }

    public double number(String name, double defaultValue) {
        String v = values.get(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new ConfigurationException(
                    owner + ": option '" + name + "' must be a finite number, got " + shown(v));
        }
    }

    public int integer(String name, int defaultValue) {
        String v = values.get(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new ConfigurationException(owner + ": option '" + name + "' must be a whole number, got " + shown(v));
        }
    }

    /** A number that must be &gt; 0. */
    public double positive(String name, double defaultValue) {
        double d = number(name, defaultValue);
        if (!(d > 0)) {
            throw new ConfigurationException(owner + ": option '" + name + "' must be greater than 0, got " + fmt(d));
        }
        return d;
    }

    /** A number that must be ≥ 0. */
    public double nonNegative(String name, double defaultValue) {
        double d = number(name, defaultValue);
        if (d < 0) {
            throw new ConfigurationException(owner + ": option '" + name + "' must be 0 or more, got " + fmt(d));
        }
        return d;
    }

    /** A number in [lo, hi). */
    public double inRange(String name, double defaultValue, double lo, double hi) {
        double d = number(name, defaultValue);
        if (d < lo || d >= hi) {
            throw new ConfigurationException(
                    owner + ": option '" + name + "' must be in [" + fmt(lo) + ", " + fmt(hi) + "), got " + fmt(d));
        }
        return d;
    }

    /** A whole number that must be ≥ min. */
    public int atLeast(String name, int defaultValue, int min) {
        int i = integer(name, defaultValue);
        if (i < min) {
            throw new ConfigurationException(owner + ": option '" + name + "' must be at least " + min + ", got " + i);
        }
        return i;
    }

    /** Fails on any option not in {@code known}, so that a typo is not silently ignored. */
    public void requireOnly(Set<String> known) {
        for (String k : values.keySet()) {
            if (!known.contains(k)) {
                throw new ConfigurationException(owner + ": unknown option " + shown(k) + "; accepted: "
                        + (known.isEmpty() ? "none" : String.join(", ", new java.util.TreeSet<>(known))));
            }
        }
    }

    /**
     * A user's value as an error message quotes it: in quotes, at most 60 characters, so that
     * a huge value is not echoed back whole.
     */
    public static String shown(String raw) {
        String s = raw.length() > 60 ? raw.substring(0, 57) + "…" : raw;
        return "'" + s.replace("\n", "\\n") + "'";
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    @Override
    public String toString() {
        return owner + values;
    }
}
