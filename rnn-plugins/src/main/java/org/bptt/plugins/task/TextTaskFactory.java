package org.bptt.plugins.task;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import org.bptt.api.data.Task;
import org.bptt.api.data.TaskFactory;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.plugin.PluginOption;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.plugin.PluginParameter;

/** {@code text}: a character-level language model over a UTF-8 file or the embedded text; see {@link TextTask}. */
public final class TextTaskFactory implements TaskFactory {
    static final PluginOption<String> TEXT = PluginOption.text(
            "text",
            "",
            "path to a UTF-8 text file; empty means the embedded opening of Alice's Adventures in Wonderland");
    static final PluginOption<Integer> STEPS =
            PluginOption.integer("steps", 50, "sequence length T").atLeast(1);
    static final PluginOption<Double> VALIDATION = PluginOption.number(
                    "validation",
                    0.0,
                    "fraction of the text, at its end, held out from training for evaluation (bits per character)")
            .inRange(0, TextTask.MAX_VALIDATION);

    @Override
    public String name() {
        return "text";
    }

    @Override
    public String description() {
        return "character-level language model: predict the next character of a UTF-8 text at every step (ce)";
    }

    @Override
    public List<PluginParameter> parameters() {
        return PluginOption.parameters(TEXT, STEPS, VALIDATION);
    }

    @Override
    public Task create(PluginOptions options) {
        PluginOption.requireOnly(options, TEXT, STEPS, VALIDATION);
        int steps = STEPS.read(options);
        TaskSupport.requireSteps(options.owner(), steps);
        double validation = VALIDATION.read(options);
        String file = TEXT.read(options).strip();
        if (file.isEmpty()) {
            return TextTask.embedded(options.owner(), steps, validation);
        }
        Path path;
        try {
            path = Path.of(file);
        } catch (InvalidPathException e) {
            throw new ConfigurationException(
                    options.owner() + ": option 'text' is not a valid path: '" + file + "'", e);
        }
        return TextTask.load(options.owner(), path, steps, validation);
    }
}
