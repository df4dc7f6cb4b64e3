/**
 * Run folders: a run's configuration, checkpoints, metrics and history on disk, written so that
 * a crash, a signal or a second process never loses or mixes anything ({@link
 * org.bptt.training.run.TrainingRun}; docs/robustness.md).
 */
package org.bptt.training.run;
