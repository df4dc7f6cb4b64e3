package org.bptt.data;

import java.nio.file.Path;
import java.util.List;
import org.bptt.api.data.Task;
import org.bptt.api.data.TaskFactory;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.plugin.PluginOption;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.plugin.PluginParameter;

/**
 * {@code data}: sequences from a NumPy .npz or a long-form CSV file ({@link DataFiles}), trained
 * in epochs ({@link ArrayTask}). The task (loss, output size, baseline) is inferred from the file.
 */
public final class FileTaskFactory implements TaskFactory {
    static final PluginOption<String> FILE =
            PluginOption.text("file", null, "the training data: a NumPy .npz or a long-form CSV");
    static final PluginOption<String> VALIDATION_DATA = PluginOption.text(
            "validation-data",
            "",
            "held-out data in a file of the same kind (empty: hold out the last 'validation' fraction of the training file)");
    static final PluginOption<Double> VALIDATION = PluginOption.number(
                    "validation",
                    0.0,
                    "the fraction of the training file's sequences, taken from its end, held out when no validation file is given")
            .check(v -> v >= 0 && v < 1, "from 0 up to (not including) 1");
    static final PluginOption<Integer> CLASSES = PluginOption.integer(
                    "classes", 0, "the number of classes (0: the largest class id in the file + 1)")
            .nonNegative();

    @Override
    public String name() {
        return "data";
    }

    @Override
    public String description() {
        return "your sequences from a NumPy .npz or a long-form CSV file; loss and output size inferred from the targets";
    }

    @Override
    public List<PluginParameter> parameters() {
        return PluginOption.parameters(FILE, VALIDATION_DATA, VALIDATION, CLASSES);
    }

    @Override
    public Task create(PluginOptions options) {
        PluginOption.requireOnly(options, FILE, VALIDATION_DATA, VALIDATION, CLASSES);
        String file = FILE.read(options).strip();
        if (file.isEmpty()) {
            throw new ConfigurationException(options.owner() + ": option 'file' must name a .npz or .csv file");
        }
        int classes = CLASSES.read(options);
        SequenceData train = DataFiles.read(Path.of(file), classes);
        String validation = VALIDATION_DATA.read(options).strip();
        if (validation.isEmpty()) {
            return ArrayTask.of(train, VALIDATION.read(options));
        }
        // Both files must agree on the number of classes: the validation file's ids are checked against the training
        // file's.
        SequenceData held = DataFiles.read(Path.of(validation), train.kind().classes() ? train.outputSize() : 0);
        return ArrayTask.of(train, held);
    }
}
