package org.bptt.testkit.internal;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.plugin.PluginFactory;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.plugin.PluginParameter;
import org.bptt.testkit.ContractSettings;

/**
 * The options check every family shares: the factory's name and declared options are well
 * formed, each declared default is what the plugin really uses, and an unknown option, a
 * malformed number or a set the author calls bad is refused with a
 * {@link ConfigurationException} (the exception front ends print as one sentence).
 */
final class OptionChecks {
    static final String NAME = "options-are-declared-and-checked";
    private static final Pattern NAME_FORM = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final String UNKNOWN = "no-such-option";
    private static final String REFUSED = "is refused";

    private OptionChecks() {}

    static <T> T create(PluginFactory<T> factory, Map<String, String> options) {
        T made = factory.create(new PluginOptions(factory.name(), options));
        if (made == null) {
            throw Check.fail(factory.name() + ": create(" + options + ") returned null");
        }
        return made;
    }

    static <T> String run(
            PluginFactory<T> factory,
            Map<String, String> options,
            ContractSettings settings,
            Function<? super T, String> describe) {
        String name = factory.name();
        if (name == null || !NAME_FORM.matcher(name).matches()) {
            throw Check.fail("name() is '" + name + "'; a plugin name is short, lower-case words joined by dashes");
        }
        if (factory.description() == null || factory.description().isBlank()) {
            throw Check.fail(name + ": description() is blank");
        }
        Set<String> seen = new HashSet<>();
        for (PluginParameter p : factory.parameters()) {
            if (p.name() == null || !NAME_FORM.matcher(p.name()).matches()) {
                throw Check.fail(
                        name + ": declared option '" + p.name() + "' is not lower-case words joined by dashes");
            }
            if (!seen.add(p.name())) {
                throw Check.fail(name + ": option '" + p.name() + "' is declared twice");
            }
            if (p.description() == null || p.description().isBlank()) {
                throw Check.fail(name + ": option '" + p.name() + "' has no description");
            }
        }
        String made = describe.apply(create(factory, options));
        if (made == null || made.isBlank()) {
            throw Check.fail(name + ": describe() is blank");
        }
        refused(factory, with(options, UNKNOWN, "1"), "an unknown option '" + UNKNOWN + "'", UNKNOWN, describe);
        for (PluginParameter p : factory.parameters()) {
            if (p.defaultValue() == null) {
                continue;
            }
            Map<String, String> without = new LinkedHashMap<>(options);
            without.remove(p.name());
            String implicit = outcome(factory, without, describe);
            String explicit = outcome(factory, with(without, p.name(), p.defaultValue()), describe);
            boolean bothRefused = implicit.startsWith(REFUSED) && explicit.startsWith(REFUSED);
            if (!implicit.equals(explicit) && !bothRefused) {
                throw Check.fail(name + ": option '" + p.name() + "' declares the default '" + p.defaultValue()
                        + "', but leaving it out " + implicit + " and giving it " + explicit);
            }
            if (isNumber(p.defaultValue())) {
                refused(
                        factory,
                        with(options, p.name(), "not-a-number"),
                        "'not-a-number' for option '" + p.name() + "'",
                        p.name(),
                        describe);
            }
        }
        for (Map<String, String> bad : settings.badOptions()) {
            Map<String, String> all = new LinkedHashMap<>(options);
            all.putAll(bad);
            refused(factory, all, "the bad options " + bad, null, describe);
        }
        return name + ": " + factory.parameters().size() + " declared option(s) with their real defaults; unknown and"
                + " malformed options refused"
                + (settings.badOptions().isEmpty()
                        ? ""
                        : ", and " + settings.badOptions().size() + " bad option set(s)");
    }

    /** "makes <description>", or "is refused: <message>" (options can depend on each other). */
    private static <T> String outcome(
            PluginFactory<T> factory, Map<String, String> options, Function<? super T, String> describe) {
        try {
            return "makes " + describe.apply(create(factory, options));
        } catch (ConfigurationException e) {
            return REFUSED + " (" + e.getMessage() + ")";
        }
    }

    private static <T> void refused(
            PluginFactory<T> factory,
            Map<String, String> options,
            String what,
            String mention,
            Function<? super T, String> describe) {
        String made;
        try {
            T t = factory.create(new PluginOptions(factory.name(), options));
            made = t == null ? "null" : describe.apply(t);
        } catch (ConfigurationException e) {
            if (mention != null && (e.getMessage() == null || !e.getMessage().contains(mention))) {
                throw Check.fail(factory.name() + ": refused " + what + " with a message that does not name it: "
                        + e.getMessage());
            }
            return;
        } catch (RuntimeException e) {
            throw Check.fail(factory.name() + ": " + what + " threw " + Check.describe(e)
                    + " instead of a ConfigurationException, which front ends print as one sentence");
        }
        throw Check.fail(factory.name() + ": accepted " + what + " and made " + made);
    }

    private static Map<String, String> with(Map<String, String> options, String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(options);
        m.put(key, value);
        return m;
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s.trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
