package org.bptt.cli.train;

import java.nio.file.Path;
import java.util.List;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.config.Json;
import org.bptt.training.config.RunConfig;
import org.bptt.training.config.RunConfigChanges;
import org.bptt.training.config.RunSetting;
import org.bptt.training.config.RunSettings;
import org.bptt.training.eval.EvaluationSettings;
import org.bptt.training.plugin.Plugins;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The train options that make a run's configuration, generated from the schema ({@link RunSettings}):
 * {@code --NAME} for each setting, with its help and default, {@code --NAME-opt KEY=VALUE} for each
 * plugin's options, each shorthand ({@code --lr}), and {@code --config} and {@code --eval-every}.
 * {@code rnn train} and {@code rnn sweep} read them the same way; values are parsed and checked by
 * the schema, and its messages name the option.
 */
public final class SettingOptions {
    private SettingOptions() {}

    static final String CONFIG = "--config";
    static final String EVAL_EVERY = "--eval-every";

    /** A configuration and its held-out evaluation, from train options. */
    public record Parsed(RunConfig config, EvaluationSettings evaluation) {}

    /** A setting's, shorthand's or options name's option. */
    public static String flag(String name) {
        return "--" + name;
    }

    /** Lets picocli add the options to an annotated command ({@code @Command(modelTransformer = ...)}). */
    public static final class Transformer implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            return addTo(spec);
        }
    }

    /** Adds every option of run settings to {@code spec}, in the schema's order. */
    public static CommandSpec addTo(CommandSpec spec) {
        spec.addOption(OptionSpec.builder(CONFIG)
                .paramLabel("FILE")
                .type(Path.class)
                .description("Repeat a saved run: its config.json (other options override it).")
                .build());
        for (RunSetting<?> s : RunSettings.all()) {
            String shown = show(s);
            OptionSpec.Builder o = OptionSpec.builder(flag(s.name()))
                    .type(String.class)
                    .paramLabel("<" + s.name() + ">")
                    .description(literal(
                            s.help() + (shown == null || shown.isEmpty() ? "" : " (default: " + shown + ")") + "."));
            if (s.kind() == RunSetting.Kind.BOOLEAN && s.words().isEmpty()) {
                o.arity("0..1").fallbackValue("true");
            }
            spec.addOption(o.build());
            if (s.kind() == RunSetting.Kind.PLUGIN) {
                spec.addOption(OptionSpec.builder(flag(s.optionsName()))
                        .type(List.class)
                        .auxiliaryTypes(String.class)
                        .paramLabel("KEY=VALUE")
                        .description("An option of the " + s.family().singular() + " (repeatable).")
                        .build());
                for (RunSettings.Shorthand h : RunSettings.shorthands()) {
                    if (h.plugin() == s) {
                        spec.addOption(OptionSpec.builder(flag(h.name()))
                                .type(String.class)
                                .paramLabel(h.label() == null ? "<" + h.name() + ">" : h.label())
                                .description(literal(h.help()))
                                .build());
                    }
                }
            }
        }
        spec.addOption(OptionSpec.builder(EVAL_EVERY)
                .type(Long.class)
                .paramLabel("N")
                .description("Iterations between "
                        + "evaluations on held-out sequences (never trained on); 0: only at the end (default: 0).")
                .build());
        return spec;
    }

    /** A library's text as picocli shows it verbatim: picocli formats descriptions, so "2% of" would be a conversion. */
    private static String literal(String text) {
        return text.replace("%", "%%");
    }

    private static <T> String show(RunSetting<T> s) {
        return s.show(s.defaultValue());
    }

    /** The changes the matched options ask for, to apply to a base configuration. */
    public static RunConfigChanges changes(ParseResult pr) {
        RunConfigChanges c = new RunConfigChanges(SettingOptions::flag);
        for (RunSetting<?> s : RunSettings.all()) {
            if (pr.hasMatchedOption(flag(s.name()))) {
                c.set(s.name(), pr.matchedOptionValue(flag(s.name()), ""));
            }
            if (s.optionsName() != null) {
                for (String kv : pr.matchedOptionValue(flag(s.optionsName()), List.<String>of())) {
                    c.option(s.optionsName(), kv);
                }
            }
        }
        for (RunSettings.Shorthand h : RunSettings.shorthands()) {
            if (pr.hasMatchedOption(flag(h.name()))) {
                c.set(h.name(), pr.matchedOptionValue(flag(h.name()), ""));
            }
        }
        return c;
    }

    /** The configuration the options make: {@code --config}'s file, or the defaults, with the changes applied. */
    public static Parsed read(ParseResult pr, Plugins plugins) {
        return new Parsed(changes(pr).applyTo(base(pr, plugins), plugins), evaluation(pr));
    }

    /** The configuration of {@code --config}, or the defaults. */
    public static RunConfig base(ParseResult pr, Plugins plugins) {
        Path file = pr.matchedOptionValue(CONFIG, null);
        if (file == null) {
            return RunConfig.defaults();
        }
        RunConfig base = Json.read(file);
        // Each plugin made once before options change it, so that a mistake in the file names the file and the field.
        base.plugins().forEach((s, choice) -> {
            try {
                plugins.create(s.family(), choice);
            } catch (ConfigurationException e) {
                throw new ConfigurationException(file + ": the field '" + s.key() + "': " + e.getMessage());
            }
        });
        String from = base.get(RunSettings.INIT_FROM);
        if (!from.isEmpty() && !exists(from)) {
            throw new ConfigurationException(file + ": the field '" + RunSettings.INIT_FROM.key() + "' names " + from
                    + ", which is no run folder, checkpoint or .safetensors file");
        }
        return base;
    }

    private static boolean exists(String path) {
        try {
            return java.nio.file.Files.exists(Path.of(path));
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    /** The held-out evaluation the options ask for: at the end, and every {@code --eval-every} iterations. */
    public static EvaluationSettings evaluation(ParseResult pr) {
        return EvaluationSettings.defaults().withEvery(pr.matchedOptionValue(EVAL_EVERY, 0L));
    }

    /** The value of a setting's option as the schema reads it, or null when not given. */
    public static <T> T given(ParseResult pr, RunSetting<T> s) {
        return pr.hasMatchedOption(flag(s.name()))
                ? s.parse(pr.matchedOptionValue(flag(s.name()), ""), flag(s.name()))
                : null;
    }
}
