package org.bptt.study;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.config.RunConfig;
import org.bptt.training.config.RunConfigChanges;
import org.bptt.training.eval.EvaluationSettings;
import org.bptt.training.plugin.Plugins;

/**
 * A sweep as a user designs it, made into a {@link SweepPlan}: settings varied over values (a grid,
 * listed combinations crossed with it, or random draws), changes every run shares, and seeds. Each
 * run's configuration is the base with the shared changes, its combination's and its seed applied
 * through the schema of run settings ({@link RunConfigChanges}), as one run's options are.
 *
 * <p>A varied key is a setting or a shorthand ({@code hidden}, {@code lr}), or a plugin's option as
 * OPTIONS.KEY ({@code opt.beta2}). Messages name what was typed as {@code naming} says ("--vary").
 */
public final class SweepDesign {
    private final UnaryOperator<String> naming;
    private final Map<String, Combinations.Axis> axes = new LinkedHashMap<>();
    private final List<Map<String, String>> listed = new ArrayList<>();
    private Integer random;
    private long drawSeed = 1;
    private List<Long> seeds = List.of(1L);

    public SweepDesign(UnaryOperator<String> naming) {
        this.naming = naming;
    }

    /** One setting and its values, {@code KEY=VALUES}: {@code radius=0.5,0.9} or a range {@code lr=log:1e-4..1e-2}. */
    public SweepDesign vary(String keyValues) {
        int eq = keyValues.indexOf('=');
        if (eq <= 0) {
            throw new ConfigurationException(
                    naming.apply("vary") + " takes KEY=VALUES, e.g. radius=0.5,0.9, got '" + keyValues + "'");
        }
        String key = keyValues.substring(0, eq).strip();
        checkKey(key);
        if (axes.put(key, Combinations.axis(key, keyValues.substring(eq + 1))) != null) {
            throw new ConfigurationException(naming.apply("vary") + " " + key
                    + " is given twice; list all its values in one " + naming.apply("vary"));
        }
        return this;
    }

    /** One listed combination, space-separated {@code KEY=VALUE} pairs, crossed with the grid. */
    public SweepDesign combo(String pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : pairs.strip().split("\\s+")) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new ConfigurationException(naming.apply("combo") + " takes space-separated KEY=VALUE pairs, e.g. "
                        + "'activation=relu init=identity', got '" + pairs + "'");
            }
            String key = kv.substring(0, eq);
            checkKey(key);
            if (m.put(key, kv.substring(eq + 1)) != null) {
                throw new ConfigurationException(naming.apply("combo") + " '" + pairs + "' sets " + key + " twice");
            }
        }
        listed.add(m);
        return this;
    }

    /** {@code n} combinations drawn at random from the varied values and ranges. */
    public SweepDesign random(int n, long seed) {
        random = n;
        drawSeed = seed;
        return this;
    }

    /** The training seeds of every combination: {@code 1,2,3} or {@code 1..5}. */
    public SweepDesign seeds(String spec) {
        String s = spec.strip();
        String wrong = naming.apply("seeds") + " takes whole numbers such as 1,2,3 or a range such as 1..5, got '"
                + spec + "'";
        List<Long> l = new ArrayList<>();
        try {
            if (s.matches("\\d+\\.\\.\\d+")) {
                long a = Long.parseLong(s.substring(0, s.indexOf('.')));
                long b = Long.parseLong(s.substring(s.indexOf("..") + 2));
                if (a > b) {
                    throw new ConfigurationException(wrong);
                }
                if (b - a >= SweepPlan.MAX_RUNS) {
                    throw tooManySeeds(spec);
                }
                for (long x = a; x <= b; x++) {
                    l.add(x);
                }
            } else {
                if (s.chars().filter(c -> c == ',').count() >= SweepPlan.MAX_RUNS) {
                    throw tooManySeeds(spec);
                }
                for (String p : s.split(",", -1)) {
                    l.add(Long.parseLong(p.strip()));
                }
            }
        } catch (NumberFormatException e) {
            throw new ConfigurationException(wrong);
        }
        if (new LinkedHashSet<>(l).size() != l.size()) {
            throw new ConfigurationException(naming.apply("seeds") + " lists a seed twice: '" + spec + "'");
        }
        seeds = List.copyOf(l);
        return this;
    }

    private ConfigurationException tooManySeeds(String spec) {
        return new ConfigurationException(naming.apply("seeds") + " gives more than " + SweepPlan.MAX_RUNS
                + " seeds (the most " + "runs one sweep may hold), got '"
                + (spec.length() > 40 ? spec.substring(0, 40) + "…" : spec) + "'");
    }

    /** A varied key is a setting or shorthand, or OPTIONS.KEY; not the seed, which {@link #seeds} gives. */
    private void checkKey(String key) {
        int dot = key.indexOf('.');
        String head = dot > 0 ? key.substring(0, dot) : key;
        boolean options = RunConfigChanges.isOptionsName(head);
        if (head.equals("seed") || !(options || RunConfigChanges.isSetting(head))) {
            throw new ConfigurationException("cannot vary '" + key + "': "
                    + (head.equals("seed")
                            ? "give the seeds with " + naming.apply("seeds")
                            : "there is no run setting " + naming.apply(head) + " to vary")
                    + "; vary a setting by its name, e.g. radius, or a plugin option as OPTIONS.KEY, e.g. opt.beta2");
        }
        if (dot > 0 != options) {
            throw new ConfigurationException(
                    options
                            ? "vary an option of " + naming.apply(head) + " as " + key + ".KEY, e.g. " + key + ".beta2"
                            : "'" + key + "': " + naming.apply(head) + " takes a value, not KEY=VALUE; vary it as "
                                    + head);
        }
    }

    /**
     * The plan: every combination for every seed. Each distinct plugin choice is made once, so that
     * a value a plugin refuses fails now, in one sentence naming the run, not in the middle of the sweep.
     *
     * @param base       the configuration every run starts from
     * @param shared     the changes every run shares; a setting both shared and varied is refused
     * @param sharedText the shared changes as the user gave them, for the plan's title
     */
    public SweepPlan plan(
            RunConfig base,
            RunConfigChanges shared,
            String sharedText,
            EvaluationSettings evaluation,
            Plugins plugins) {
        Set<String> keys = new LinkedHashSet<>(axes.keySet());
        listed.forEach(m -> keys.addAll(m.keySet()));
        for (String key : keys) {
            if (shared.given().contains(key)) {
                throw new ConfigurationException(
                        naming.apply(key) + " is both varied and set for every run; give it in one place");
            }
        }
        List<Map<String, String>> combinations;
        if (random != null) {
            if (!listed.isEmpty()) {
                throw new ConfigurationException(naming.apply("random") + " draws from " + naming.apply("vary")
                        + "; it cannot be combined with " + naming.apply("combo"));
            }
            if (axes.isEmpty()) {
                throw new ConfigurationException(naming.apply("random") + " needs settings to draw: give "
                        + naming.apply("vary") + " KEY=VALUES or a range");
            }
            combinations = Combinations.random(axes, random, drawSeed);
        } else {
            combinations = Combinations.cross(listed, Combinations.grid(axes));
        }
        List<String> varied = new ArrayList<>(new LinkedHashSet<>(
                combinations.stream().flatMap(m -> m.keySet().stream()).toList()));
        String title = "sweep of " + (varied.isEmpty() ? "seeds" : String.join(" × ", varied))
                + (sharedText.isBlank() ? "" : " (" + sharedText.strip() + ")");
        SweepPlan plan = SweepPlan.of(title, varied, evaluation, combinations, seeds, (values, seed) -> {
            RunConfigChanges c = shared.copy();
            values.forEach((k, v) -> {
                int dot = k.indexOf('.');
                if (dot > 0) {
                    c.option(k.substring(0, dot), k.substring(dot + 1) + "=" + v);
                } else {
                    c.set(k, v);
                }
            });
            return c.applyTo(base, plugins).toBuilder().seed(seed).build();
        });
        Set<String> seen = new HashSet<>();
        for (PlanEntry e : plan.entries()) {
            e.config().plugins().forEach((s, choice) -> {
                if (seen.add(s.key() + " " + choice)) {
                    try {
                        plugins.create(s.family(), choice);
                    } catch (ConfigurationException ex) {
                        throw new ConfigurationException("run " + e.id() + ": " + ex.getMessage());
                    }
                }
            });
        }
        return plan;
    }
}
