package org.bptt.api.plugin;

/**
 * One option a plugin accepts, for {@code rnn plugins} and for validation.
 *
 * @param name         option name, lower-case with dashes (e.g. {@code threshold})
 * @param defaultValue the value used when the option is absent, or {@code null} if required
 * @param description  one line
 */
public record PluginParameter(String name, String defaultValue, String description) {}
