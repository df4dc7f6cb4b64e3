package org.bptt.api.plugin;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * One option of a plugin, declared once: name, type, default, check and description. Everything
 * else reads this declaration: {@link #read} parses and checks a user's value, {@link #parameter()}
 * describes it for listings and help, {@link #requireOnly} rejects options nobody declared.
 *
 * <pre>{@code
 * static final PluginOption<Double> THRESHOLD =
 *         PluginOption.number("threshold", 1.0, "largest global gradient norm let through").positive();
 * public List<PluginParameter> parameters() { return PluginOption.parameters(THRESHOLD); }
 * public GradientPolicy create(PluginOptions o) {
 *     PluginOption.requireOnly(o, THRESHOLD);
 *     return new ClipNorm(THRESHOLD.read(o));
 * }
 * }</pre>
 *
 * Immutable; the check methods return a new declaration.
 *
 * @param <T> the value's type: {@link Double}, {@link Integer}, {@link Boolean} or {@link String}
 */
public final class PluginOption<T> {
    /** The value types a declaration can have, as listings name them. */
    public enum Type {
        NUMBER,
        INTEGER,
        BOOLEAN,
        TEXT,
        CHOICE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final String name;
    private final Type type;
    private final T defaultValue;
    private final String description;
    private final List<Predicate<? super T>> checks;
    private final List<String> accepted;
    private final List<String> choices;

    private PluginOption(
            String name,
            Type type,
            T defaultValue,
            String description,
            List<Predicate<? super T>> checks,
            List<String> accepted,
            List<String> choices) {
        this.name = requireNonNull(name, "name is null");
        this.type = type;
        this.defaultValue = defaultValue;
        this.description = requireNonNull(description, "description is null");
        this.checks = checks;
        this.accepted = accepted;
        this.choices = choices;
    }

    /** A finite number; {@code defaultValue} null makes the option required. */
    public static PluginOption<Double> number(String name, Double defaultValue, String description) {
        return new PluginOption<>(name, Type.NUMBER, defaultValue, description, List.of(), List.of(), List.of());
    }

    /** A whole number (no fraction, no exponent); {@code defaultValue} null makes it required. */
    public static PluginOption<Integer> integer(String name, Integer defaultValue, String description) {
        return new PluginOption<>(name, Type.INTEGER, defaultValue, description, List.of(), List.of(), List.of());
    }

    /** {@code true} or {@code false}. */
    public static PluginOption<Boolean> flag(String name, boolean defaultValue, String description) {
        return new PluginOption<>(name, Type.BOOLEAN, defaultValue, description, List.of(), List.of(), List.of());
    }

    /** Any text; {@code defaultValue} null makes it required. */
    public static PluginOption<String> text(String name, String defaultValue, String description) {
        return new PluginOption<>(name, Type.TEXT, defaultValue, description, List.of(), List.of(), List.of());
    }

    /** One of a fixed set of words. */
    public static PluginOption<String> choice(String name, String defaultValue, String description, String... choices) {
        List<String> c = List.of(choices);
        if (c.isEmpty() || (defaultValue != null && !c.contains(defaultValue))) {
            throw new IllegalArgumentException("option " + name + ": the default must be one of the choices " + c);
        }
        return new PluginOption<>(name, Type.CHOICE, defaultValue, description, List.of(), List.of(), c);
    }

    /** Adds a check; {@code accepted} completes "must be …" in an error message (e.g. "greater than 0"). */
    public PluginOption<T> check(Predicate<? super T> ok, String accepted) {
        List<Predicate<? super T>> c = new ArrayList<>(checks);
        c.add(requireNonNull(ok, "ok is null"));
        List<String> a = new ArrayList<>(this.accepted);
        a.add(requireNonNull(accepted, "accepted is null"));
        if (defaultValue != null && !ok.test(defaultValue)) {
            throw new IllegalArgumentException(
                    "option " + name + ": the default " + defaultValue + " is not " + accepted);
        }
        return new PluginOption<>(name, type, defaultValue, description, List.copyOf(c), List.copyOf(a), choices);
    }

    /** A number that must be greater than 0. */
    public PluginOption<T> positive() {
        return check(v -> ((Number) v).doubleValue() > 0, "greater than 0");
    }

    /** A number that must be 0 or more. */
    public PluginOption<T> nonNegative() {
        return check(v -> ((Number) v).doubleValue() >= 0, "0 or more");
    }

    /** A number that must be at least {@code min}. */
    public PluginOption<T> atLeast(double min) {
        return check(v -> ((Number) v).doubleValue() >= min, "at least " + format(min));
    }

    /** A number that must be at most {@code max}. */
    public PluginOption<T> atMost(double max) {
        return check(v -> ((Number) v).doubleValue() <= max, "at most " + format(max));
    }

    /** A number in [lo, hi). */
    public PluginOption<T> inRange(double lo, double hi) {
        return check(
                v -> ((Number) v).doubleValue() >= lo && ((Number) v).doubleValue() < hi,
                "in [" + format(lo) + ", " + format(hi) + ")");
    }

    public String name() {
        return name;
    }

    public Type type() {
        return type;
    }
    /** The value when the option is absent, or null when it is required. */
    public T defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    public List<String> choices() {
        return choices;
    }

    /** What a value must be, in words ("a number greater than 0"); for help and errors. */
    public String accepted() {
        String base = switch (type) {
            case NUMBER -> "a number";
            case INTEGER -> "a whole number";
            case BOOLEAN -> "true or false";
            case TEXT -> "text";
            case CHOICE ->
                String.join(", ", choices.subList(0, choices.size() - 1))
                        + (choices.size() > 1 ? " or " : "")
                        + choices.get(choices.size() - 1);
        };
        return accepted.isEmpty() ? base : base + " " + String.join(" and ", accepted);
    }

    /** This option as a listing describes it. */
    public PluginParameter parameter() {
        return new PluginParameter(
                name, defaultValue == null ? null : format(defaultValue), description, type.id(), accepted());
    }

    /** The listings of several options, in order. */
    public static List<PluginParameter> parameters(PluginOption<?>... options) {
        return Arrays.stream(options).map(PluginOption::parameter).toList();
    }

    /** Fails on any option in {@code given} that none of {@code declared} names. */
    public static void requireOnly(PluginOptions given, PluginOption<?>... declared) {
        given.requireOnly(Arrays.stream(declared).map(PluginOption::name).collect(Collectors.toSet()));
    }

    /** The user's value, parsed and checked, or the default. */
    public T read(PluginOptions options) {
        String raw = options.asMap().get(name);
        if (raw == null) {
            if (defaultValue == null) {
                throw new ConfigurationException(
                        options.owner() + ": option '" + name + "' is required (" + accepted() + ")");
            }
            return defaultValue;
        }
        T v = parse(options.owner(), raw);
        for (Predicate<? super T> c : checks) {
            if (!c.test(v)) {
                throw new ConfigurationException(options.owner() + ": option '" + name + "' must be " + accepted()
                        + ", got " + PluginOptions.shown(raw));
            }
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    private T parse(String owner, String raw) {
        String s = raw.strip();
        Object v = switch (type) {
            case NUMBER -> parseNumber(s);
            case INTEGER -> parseInteger(s);
            case BOOLEAN -> s.equals("true") ? Boolean.TRUE : s.equals("false") ? Boolean.FALSE : null;
            case TEXT -> raw;
            case CHOICE -> choices.contains(s) ? s : null;
        };
        if (v == null) {
            throw new ConfigurationException(
                    owner + ": option '" + name + "' must be " + accepted() + ", got " + PluginOptions.shown(raw));
        }
        return (T) v;
    }

    private static Double parseNumber(String s) {
        try {
            double d = Double.parseDouble(s);
            // Java also reads "1d", "0x1p3" and "NaN"; a user's number is plain decimal.
            return Double.isFinite(d) && s.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?") ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Integer parseInteger(String s) {
        try {
            return Integer.valueOf(s.startsWith("+") ? s.substring(1) : s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** How a default or bound is shown: whole numbers without a fraction. */
    static String format(Object v) {
        if (v instanceof Double d) {
            if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                return Long.toString(d.longValue());
            }
            // 1e-08 reads better as "1e-8" than Java's "1.0E-8"; 0.001 stays "0.001".
            return new java.math.BigDecimal(Double.toString(d))
                    .stripTrailingZeros()
                    .toString()
                    .toLowerCase(Locale.ROOT)
                    .replace("e+", "e");
        }
        return String.valueOf(v);
    }

    @Override
    public String toString() {
        return name + " (" + accepted() + ", default " + format(defaultValue) + ")";
    }

    /** The names of {@code options}, for {@link PluginOptions#requireOnly(Set)}. */
    public static Set<String> names(List<PluginOption<?>> options) {
        return options.stream().map(PluginOption::name).collect(Collectors.toUnmodifiableSet());
    }
}
