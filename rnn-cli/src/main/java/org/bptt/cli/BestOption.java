package org.bptt.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.run.TrainingRun;
import picocli.CommandLine.Option;

/** {@code --best} for the commands that read a trained model: the run's best.bin instead of its last checkpoint. */
public final class BestOption {
    @Option(
            names = "--best",
            description = "Use the run's best model (best.bin, the lowest held-out loss that early "
                    + "stopping kept) instead of its last checkpoint.")
    boolean best;

    /**
     * The model file to read for {@code run} (a run folder or a checkpoint in one): {@code run} itself
     * without {@code --best}, else the best.bin beside the run's checkpoint, refused in one sentence when
     * there is none.
     */
    public Path model(Path run) {
        if (!best) {
            return run;
        }
        Path folder = Files.isDirectory(run) ? run : run.toAbsolutePath().getParent();
        Path file = folder == null ? null : folder.resolve(TrainingRun.BEST);
        if (file == null || !Files.isRegularFile(file)) {
            throw new ConfigurationException(
                    run + " has no " + TrainingRun.BEST + " (only a run trained with --early-stop "
                            + "keeps its best model); drop --best to use its last checkpoint");
        }
        return file;
    }
}
