package org.bptt.api.plugin;

/**
 * One option a plugin accepts, as listings, help and validation see it. Plugins usually get
 * it from their {@link PluginOption} declaration ({@link PluginOption#parameter()}).
 *
 * @param name         option name, lower-case with dashes (e.g. {@code threshold})
 * @param defaultValue the value used when the option is absent, or {@code null} if required
 * @param description  one line
 * @param type         {@code number}, {@code integer}, {@code boolean}, {@code text} or {@code choice}
 *                     (a {@link PluginOption.Type} id); {@code text} when undeclared
 * @param accepted     what a value must be, in words ("a number greater than 0"); may be empty
 */
public record PluginParameter(String name, String defaultValue, String description, String type, String accepted) {

    public PluginParameter {
        java.util.Objects.requireNonNull(name, "name is null");
        description = description == null ? "" : description;
        type = type == null ? PluginOption.Type.TEXT.id() : type;
        accepted = accepted == null ? "" : accepted;
    }

    /** A parameter described by name, default and description alone (the form of rnn-api 0.1). */
    public PluginParameter(String name, String defaultValue, String description) {
        this(name, defaultValue, description, PluginOption.Type.TEXT.id(), "");
    }
}
