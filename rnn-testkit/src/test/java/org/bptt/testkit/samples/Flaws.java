package org.bptt.testkit.samples;

import java.util.Locale;
import org.bptt.api.plugin.ConfigurationException;

/** Parses the {@code flaw} option of the sample plugins. */
final class Flaws {
    private Flaws() {}

    static <E extends Enum<E>> E parse(Class<E> type, String owner, String name) {
        try {
            return Enum.valueOf(type, name.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(owner + ": unknown flaw '" + name + "'");
        }
    }
}
