package org.bptt.training.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.training.plugin.PluginFamily;
import org.bptt.training.wiring.PluginChoice;

/**
 * One run setting, declared once in {@link RunSettings}: its key (in {@code config.json} and the
 * Java builder), the name users type, its type, default, range checks and help. The configuration
 * file, {@link RunConfig.Builder}, the command line's options, their help and every check read this
 * declaration; nothing else names the setting's type, default or limits.
 *
 * <p>Messages name the setting as the caller says ({@code what}): the key for Java, the field for a
 * file, the option for a command line. Immutable; the refining methods return a new declaration.
 *
 * @param <T> the value's type: {@link Integer}, {@link Long}, {@link Double}, {@link Boolean}, {@link String}, an enum or
 *            {@link PluginChoice}
 */
public final class RunSetting<T> {
    /** How a value is written in {@code config.json} and typed by a user. */
    public enum Kind {
        INTEGER,
        LONG,
        NUMBER,
        BOOLEAN,
        WORD,
        PLUGIN,
        TEXT
    }

    private record Check<T>(Predicate<? super T> ok, String accepted) {}

    private final String key;
    private final String name;
    private final Kind kind;
    private final Class<T> type;
    private final T defaultValue;
    private final String help;
    private final Map<String, T> words;
    private final List<Check<T>> checks;
    private final boolean requiredInFiles;
    private final PluginFamily family;
    private final String optionsName;

    private RunSetting(
            String key,
            String name,
            Kind kind,
            Class<T> type,
            T defaultValue,
            String help,
            Map<String, T> words,
            List<Check<T>> checks,
            boolean requiredInFiles,
            PluginFamily family,
            String optionsName) {
        this.key = requireNonNull(key, "key is null");
        this.name = requireNonNull(name, "name is null");
        this.kind = kind;
        this.type = type;
        this.defaultValue = defaultValue;
        this.help = requireNonNull(help, "help is null");
        this.words = words;
        this.checks = checks;
        this.requiredInFiles = requiredInFiles;
        this.family = family;
        this.optionsName = optionsName;
    }

    private static <T> RunSetting<T> of(
            String key, Kind kind, Class<T> type, T def, String help, Map<String, T> words, PluginFamily family) {
        return new RunSetting<>(
                key,
                kebab(key),
                kind,
                type,
                def,
                help,
                words,
                List.of(),
                false,
                family,
                family == null ? null : kebab(key) + "-opt");
    }

    /** A whole number (an {@code int}). */
    public static RunSetting<Integer> integer(String key, int defaultValue, String help) {
        return of(key, Kind.INTEGER, Integer.class, defaultValue, help, Map.of(), null);
    }

    /** A whole number (a {@code long}). */
    public static RunSetting<Long> longInteger(String key, long defaultValue, String help) {
        return of(key, Kind.LONG, Long.class, defaultValue, help, Map.of(), null);
    }

    /** A finite number (a {@code double}); limits by {@link #check}. */
    public static RunSetting<Double> number(String key, double defaultValue, String help) {
        return of(key, Kind.NUMBER, Double.class, defaultValue, help, Map.of(), null)
                .check(Double::isFinite, "finite");
    }

    /** True or false; on a command line a flag that may be followed by true or false. */
    public static RunSetting<Boolean> flag(String key, boolean defaultValue, String help) {
        return of(key, Kind.BOOLEAN, Boolean.class, defaultValue, help, Map.of(), null);
    }

    /** One of an enum's constants, written as its lower-case name. */
    public static <E extends Enum<E>> RunSetting<E> choice(String key, Class<E> type, E defaultValue, String help) {
        Map<String, E> w = new LinkedHashMap<>();
        for (E e : type.getEnumConstants()) {
            w.put(e.name().toLowerCase(Locale.ROOT), e);
        }
        return of(key, Kind.WORD, type, defaultValue, help, w, null).ordered(w);
    }

    /** One of a fixed list of words. */
    public static RunSetting<String> choice(String key, List<String> choices, String defaultValue, String help) {
        Map<String, String> w = new LinkedHashMap<>();
        choices.forEach(c -> w.put(c, c));
        return of(key, Kind.WORD, String.class, defaultValue, help, w, null).ordered(w);
    }

    /** Free text, such as a path; {@code ""} for none. */
    public static RunSetting<String> text(String key, String defaultValue, String help) {
        return of(key, Kind.TEXT, String.class, defaultValue, help, Map.of(), null);
    }

    /** A plugin of {@code family} with its options; {@code defaultName} null: none unless named (the setting may be null). */
    public static RunSetting<PluginChoice> plugin(String key, PluginFamily family, String defaultName, String help) {
        return of(
                key,
                Kind.PLUGIN,
                PluginChoice.class,
                defaultName == null ? null : PluginChoice.of(defaultName),
                help,
                Map.of(),
                requireNonNull(family, "family is null"));
    }

    private RunSetting<T> ordered(Map<String, T> w) {
        return new RunSetting<>(
                key,
                name,
                kind,
                type,
                defaultValue,
                help,
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(w)),
                checks,
                requiredInFiles,
                family,
                optionsName);
    }

    /** The name users type, when it is not the key in lower case with hyphens (checkpointEvery: checkpoint-every). */
    public RunSetting<T> name(String n) {
        return new RunSetting<>(
                key,
                n,
                kind,
                type,
                defaultValue,
                help,
                words,
                checks,
                requiredInFiles,
                family,
                family == null ? null : n + "-opt");
    }

    /** A plugin's options, as users give them KEY=VALUE, when not "NAME-opt". */
    public RunSetting<T> optionsName(String n) {
        return new RunSetting<>(key, name, kind, type, defaultValue, help, words, checks, requiredInFiles, family, n);
    }

    /** A boolean users type as one of two words (true's first), while {@code config.json} keeps true or false. */
    public RunSetting<T> words(String whenTrue, String whenFalse) {
        if (kind != Kind.BOOLEAN) {
            throw new IllegalArgumentException(key + ": only a flag is typed as two words");
        }
        Map<String, T> w = new LinkedHashMap<>();
        w.put(whenTrue, type.cast(Boolean.TRUE));
        w.put(whenFalse, type.cast(Boolean.FALSE));
        return ordered(w);
    }

    /**
     * A configuration file must hold this setting. Only the settings that every file has held from
     * the start are: a setting added later reads as its default from a file written before it.
     */
    public RunSetting<T> requiredInFiles() {
        return new RunSetting<>(key, name, kind, type, defaultValue, help, words, checks, true, family, optionsName);
    }

    /** Adds a check; {@code accepted} completes "must be …" (e.g. "at least 1"). The default must pass it. */
    public RunSetting<T> check(Predicate<? super T> ok, String accepted) {
        if (defaultValue != null && !ok.test(defaultValue)) {
            throw new IllegalArgumentException(key + ": the default " + defaultValue + " is not " + accepted);
        }
        List<Check<T>> c = new ArrayList<>(checks);
        c.add(new Check<>(ok, accepted));
        return new RunSetting<>(
                key, name, kind, type, defaultValue, help, words, List.copyOf(c), requiredInFiles, family, optionsName);
    }

    /** A whole number that must be at least {@code min}. */
    public RunSetting<T> atLeast(long min) {
        return check(v -> ((Number) v).longValue() >= min, min == 0 ? "0 or more" : "at least " + min);
    }

    /** A whole number that must be at most {@code max}. */
    public RunSetting<T> atMost(long max) {
        return check(v -> ((Number) v).longValue() <= max, "at most " + max);
    }

    public String key() {
        return key;
    }

    public String name() {
        return name;
    }

    public Kind kind() {
        return kind;
    }

    public Class<T> type() {
        return type;
    }
    /** The value when not given; null only for a plugin that is none unless named. */
    public T defaultValue() {
        return defaultValue;
    }

    public String help() {
        return help;
    }
    /** The plugin family of a {@link Kind#PLUGIN} setting, else null. */
    public PluginFamily family() {
        return family;
    }
    /** The name under which a plugin setting's options are given KEY=VALUE, else null. */
    public String optionsName() {
        return optionsName;
    }
    /** The words a user types for a value; empty when the value is a number, plain true/false or a plugin. */
    public List<String> words() {
        return List.copyOf(words.keySet());
    }

    public boolean isRequiredInFiles() {
        return requiredInFiles;
    }

    /** What a value must be, in words ("a whole number at least 1"); for help and errors. */
    public String accepted() {
        String base = switch (kind) {
            case INTEGER, LONG -> "a whole number";
            case NUMBER -> "a number";
            case BOOLEAN, WORD -> words.isEmpty() ? "true or false" : or(words());
            case PLUGIN -> "the name of a " + family.singular();
            case TEXT -> "text";
        };
        return checks.isEmpty()
                ? base
                : base + " "
                        + String.join(
                                " and ", checks.stream().map(Check::accepted).toList());
    }

    private static String or(List<String> w) {
        return w.size() == 1 ? w.get(0) : String.join(", ", w.subList(0, w.size() - 1)) + " or " + w.get(w.size() - 1);
    }

    /** A value as a user types it (the default in help); null for none. */
    public String show(T value) {
        if (value == null) {
            return null;
        }
        for (Map.Entry<String, T> w : words.entrySet()) {
            if (w.getValue().equals(value)) {
                return w.getKey();
            }
        }
        return value instanceof PluginChoice p ? p.toString() : String.valueOf(value);
    }

    /** A value typed by a user, parsed and checked; {@code what} names the setting in the message. */
    public T parse(String text, String what) {
        String s = text.strip();
        Object v = switch (kind) {
            case INTEGER -> {
                Long l = parseLong(s);
                yield l != null && l == l.intValue() ? Integer.valueOf(l.intValue()) : null;
            }
            case LONG -> parseLong(s);
            case NUMBER -> parseDouble(s);
            case BOOLEAN, WORD ->
                words.isEmpty() && kind == Kind.BOOLEAN
                        ? (s.equals("true") ? Boolean.TRUE : s.equals("false") ? Boolean.FALSE : null)
                        : words.get(type.isEnum() ? s.toLowerCase(Locale.ROOT) : s);
            case PLUGIN -> s.isEmpty() ? null : PluginChoice.of(s);
            case TEXT -> s;
        };
        if (v == null || !passes(type.cast(v))) {
            throw new ConfigurationException(what + " must be " + accepted() + ", got " + PluginOptions.shown(text));
        }
        return type.cast(v);
    }

    private boolean passes(T value) {
        return checks.stream().allMatch(c -> c.ok().test(value));
    }

    private static Double parseDouble(String s) {
        try {
            return s.isEmpty() || !Character.isDigit(s.charAt(s.length() - 1)) ? null : Double.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long parseLong(String s) {
        try {
            return Long.valueOf(s.startsWith("+") ? s.substring(1) : s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The value if it passes every check; else one sentence naming {@code what} and the accepted range. */
    public T requireValid(T value, String what) {
        if (value == null) {
            if (defaultValue == null && kind == Kind.PLUGIN) {
                return null;
            }
            throw new ConfigurationException(what + " must be " + accepted() + ", not null");
        }
        if (!type.isInstance(value) || (!words.isEmpty() && !words.containsValue(value))) {
            throw new ConfigurationException(
                    what + " must be " + accepted() + ", got " + PluginOptions.shown(String.valueOf(value)));
        }
        if (!passes(value)) {
            throw new ConfigurationException(what + " must be " + accepted() + ", got " + show(value));
        }
        return value;
    }

    /** The value as {@code config.json} holds it. */
    Object toJson(T value) {
        return kind == Kind.WORD ? show(value) : value;
    }

    /** The value of a {@code config.json} field ({@code node} null: absent), typed and checked. */
    T fromJson(JsonNode node, String what) {
        if (node == null) {
            if (requiredInFiles) {
                throw new ConfigurationException("the run configuration lacks the field '" + key + "'");
            }
            return defaultValue;
        }
        if (node.isNull()) {
            return requireValid(null, what);
        }
        Object v = switch (kind) {
            case INTEGER -> node.isIntegralNumber() && node.canConvertToInt() ? node.intValue() : null;
            case LONG -> node.isIntegralNumber() && node.canConvertToLong() ? node.longValue() : null;
            case NUMBER -> node.isNumber() ? node.doubleValue() : null;
            case BOOLEAN -> node.isBoolean() ? node.booleanValue() : null;
            case WORD ->
                node.isTextual()
                        ? words.get(type.isEnum() ? node.textValue().toLowerCase(Locale.ROOT) : node.textValue())
                        : null;
            case PLUGIN -> plugin(node, what);
            case TEXT -> node.isTextual() ? node.textValue() : null;
        };
        if (v == null) {
            // A file holds a worded flag as true or false.
            throw new ConfigurationException(what + " must be " + (kind == Kind.BOOLEAN ? "true or false" : accepted())
                    + ", got " + shown(node));
        }
        return requireValid(type.cast(v), what);
    }

    private static PluginChoice plugin(JsonNode node, String what) {
        try {
            return Json.MAPPER.treeToValue(node, PluginChoice.class);
        } catch (ValueInstantiationException e) {
            // The choice refused its own values (PluginChoice's constructor): its sentence, not Jackson's.
            String why = e.getCause() instanceof ConfigurationException c
                    ? c.getMessage()
                    : Json.describe(e, "plugin choice");
            throw new ConfigurationException(what + ": " + why);
        } catch (JsonProcessingException e) {
            throw new ConfigurationException(what + ": " + Json.describe(e, "plugin choice"));
        }
    }

    private static String shown(JsonNode node) {
        String s = node.toString();
        return s.length() > 40 ? s.substring(0, 37) + "…" : s;
    }

    /** checkpointEvery → checkpoint-every. */
    private static String kebab(String key) {
        return key.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return key;
    }
}
