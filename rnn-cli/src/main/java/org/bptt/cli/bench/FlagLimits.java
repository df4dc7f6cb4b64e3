package org.bptt.cli.bench;

import org.bptt.api.plugin.ConfigurationException;

/** The bench command's bounds on its flags, each refused in one sentence naming the flag. */
final class FlagLimits {
    /** Far beyond any use (a timed step is at least microseconds), and a bound on the timings array. */
    static final int MAX_ITERATIONS = 10_000_000;

    static final double MAX_JIT_WARMUP = 3600;

    static void atMost(String flag, long value, long max) {
        if (value > max) {
            throw new ConfigurationException(flag + " must be at most " + max + ", got " + value);
        }
    }

    static void atLeast(String flag, long value, long min) {
        if (value < min) {
            throw new ConfigurationException(flag + " must be at least " + min + ", got " + value);
        }
    }

    private FlagLimits() {}
}
