package org.bptt.testkit.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.plugin.PluginFactory;
import org.bptt.api.plugin.PluginOption;
import org.bptt.api.plugin.PluginParameter;
import org.bptt.testkit.ContractResult;

/**
 * The family's other checks, run again with each declared option at a corner of what it
 * accepts — each end of a declared range, each choice, each boolean — one option at a time,
 * the others as given. A branch of the plugin that only a non-default value takes is otherwise
 * never run. The ranges are read from the declaration's words ({@link PluginOption#accepted()}:
 * "greater than 0", "at least 1", "at most 1", "in [0, 1)"); an open end is not a corner, and an
 * exclusive end is approached to 1% of its distance from the default. The allocation check is
 * left out (it takes seconds per run and starts a JVM).
 */
public final class OptionCorners {
    public static final String NAME = "holds-at-option-corners";
    private static final String NUMBER = "([-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?)";
    private static final Pattern ABOVE = Pattern.compile("greater than " + NUMBER);
    private static final Pattern AT_LEAST = Pattern.compile("at least " + NUMBER);
    private static final Pattern AT_MOST = Pattern.compile("at most " + NUMBER);
    private static final Pattern RANGE = Pattern.compile("in \\[" + NUMBER + ", " + NUMBER + "\\)");

    private OptionCorners() {}

    /**
     * Runs {@code suite}'s checks (but this one, the options check and allocation checks) at
     * every corner: a pass detail, or {@link Check.Failed} naming the corner and the check.
     */
    public static String check(
            PluginFactory<?> factory, Map<String, String> given, Function<Map<String, String>, List<Check>> suite) {
        List<Map<String, String>> corners = corners(factory.parameters(), given);
        if (corners.isEmpty()) {
            return "no declared option has a range, choices or a boolean value: nothing to run beyond the options given";
        }
        List<String> ran = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (Map<String, String> corner : corners) {
            String at = changed(corner, given);
            try {
                OptionChecks.create(factory, corner);
            } catch (ConfigurationException e) {
                refused.add(at + " (" + e.getMessage() + ")"); // another option's value rules it out
                continue;
            }
            for (Check c : suite.apply(corner)) {
                if (c.name().equals(NAME)
                        || c.name().equals(OptionChecks.NAME)
                        || c.name().startsWith("no-allocation")) {
                    continue;
                }
                ContractResult r = c.run();
                if (r.failed()) {
                    throw Check.fail("at " + at + ", " + c.name() + " failed: " + r.detail());
                }
            }
            ran.add(at);
        }
        if (ran.isEmpty()) {
            throw Check.fail("the plugin refused every corner of its declared options: " + String.join("; ", refused)
                    + "; declare the ranges it really accepts");
        }
        return "every check but allocation passes at " + String.join(", ", ran)
                + (refused.isEmpty() ? "" : "; refused, given the other options: " + String.join("; ", refused));
    }

    private static String changed(Map<String, String> corner, Map<String, String> given) {
        for (Map.Entry<String, String> e : corner.entrySet()) {
            if (!e.getValue().equals(given.get(e.getKey()))) {
                return e.getKey() + "=" + e.getValue();
            }
        }
        return corner.toString();
    }

    /** The option sets to run: {@code given} with one declared option moved to one of its corners. */
    static List<Map<String, String>> corners(List<PluginParameter> declared, Map<String, String> given) {
        List<Map<String, String>> all = new ArrayList<>();
        for (PluginParameter p : declared) {
            String current = given.getOrDefault(p.name(), p.defaultValue());
            for (String v : values(p)) {
                if (!v.equals(current)) {
                    Map<String, String> m = new LinkedHashMap<>(given);
                    m.put(p.name(), v);
                    all.add(m);
                }
            }
        }
        return all;
    }

    /** The corner values of one option, from its type and its declaration's words. */
    static List<String> values(PluginParameter p) {
        String type = p.type();
        String accepted = p.accepted();
        if (type.equals(PluginOption.Type.BOOLEAN.id())) {
            return List.of("true", "false");
        }
        if (type.equals(PluginOption.Type.CHOICE.id())) {
            // "a, b or c", then any further checks after " and "
            String words = accepted.split(" and ", 2)[0];
            return List.of(words.split(", | or "));
        }
        boolean integer = type.equals(PluginOption.Type.INTEGER.id());
        if (!integer && !type.equals(PluginOption.Type.NUMBER.id())) {
            return List.of();
        }
        Double def = p.defaultValue() == null ? null : Double.valueOf(p.defaultValue());
        List<String> v = new ArrayList<>();
        Double low = null;
        Double high = null;
        Matcher m = AT_LEAST.matcher(accepted);
        while (m.find()) {
            low = max(low, Double.parseDouble(m.group(1)));
        }
        if (accepted.contains("0 or more")) {
            low = max(low, 0.0);
        }
        m = AT_MOST.matcher(accepted);
        while (m.find()) {
            high = min(high, Double.parseDouble(m.group(1)));
        }
        Double above = null;
        m = ABOVE.matcher(accepted);
        while (m.find()) {
            above = max(above, Double.parseDouble(m.group(1)));
        }
        Double below = null;
        m = RANGE.matcher(accepted);
        while (m.find()) {
            low = max(low, Double.parseDouble(m.group(1)));
            below = min(below, Double.parseDouble(m.group(2)));
        }
        if (above != null && (low == null || above >= low)) {
            low = integer ? Math.floor(above) + 1 : inside(above, def, +1);
        }
        if (below != null && (high == null || below <= high)) {
            high = integer ? Math.ceil(below) - 1 : inside(below, def, -1);
        }
        for (Double d : new Double[] {low, high}) {
            if (d != null && Double.isFinite(d)) {
                v.add(integer ? Long.toString(Math.round(d)) : Double.toString(d));
            }
        }
        return v;
    }

    /** An exclusive end approached from the default's side: 1% of the way from the end to the default. */
    private static Double inside(double end, Double def, int direction) {
        double span = def == null || (def - end) * direction <= 0 ? Math.max(Math.abs(end), 1) : Math.abs(def - end);
        return end + direction * 0.01 * span;
    }

    private static Double max(Double a, double b) {
        return a == null ? b : Math.max(a, b);
    }

    private static Double min(Double a, double b) {
        return a == null ? b : Math.min(a, b);
    }
}
