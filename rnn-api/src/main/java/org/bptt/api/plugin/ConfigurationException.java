package org.bptt.api.plugin;

/**
 * A user's mistake in a configuration, a flag, a data file or a checkpoint. Its message is
 * one sentence that says what was wrong and what is accepted; front ends print it as it is,
 * without a stack trace.
 */
public class ConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
