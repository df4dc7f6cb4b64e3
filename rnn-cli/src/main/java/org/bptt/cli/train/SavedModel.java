package org.bptt.cli.train;

import java.nio.file.Files;
import java.nio.file.Path;

import org.bptt.api.data.Task;
import org.bptt.training.BpttTrainer;
import org.bptt.training.wiring.Plugins;
import org.bptt.training.wiring.TrainingModule;

/**
 * A trained model re-opened from a checkpoint (or a run folder holding one): its
 * configuration, the trainer rebuilt from it with the saved parameters, and optionally
 * the task (a text task needs its text file again; sampling does not, it uses the saved
 * vocabulary).
 */
public record SavedModel(Path file, RunConfig config, Checkpoint checkpoint, BpttTrainer trainer, Task task) {

    public static SavedModel open(Path path, boolean withTask) {
        Path file = Files.isDirectory(path) ? path.resolve(TrainingRun.CHECKPOINT) : path;
        Checkpoint ckpt = Checkpoint.read(file);
        RunConfig cfg = Json.parse(ckpt.configJson(), file.toString()).validate();
        Task task = null;
        int in;
        int out;
        String loss;
        if (withTask || ckpt.vocabulary().isEmpty()) {
            task = Plugins.discover().tasks().get(cfg.task().name()).create(cfg.task().pluginOptions());
            in = task.inputSize();
            out = task.outputSize();
            loss = task.defaultLoss();
        } else {
            in = ckpt.vocabulary().size();
            out = in;
            loss = "ce";
        }
        BpttTrainer trainer = TrainingModule.trainer(cfg.trainingConfig(in, out, loss));
        ckpt.restore(trainer.model().params(), trainer.optimizer(), trainer.policy(), file.toString());
        trainer.setIteration(ckpt.iteration());
        return new SavedModel(file, cfg, ckpt, trainer, task);
    }
}
