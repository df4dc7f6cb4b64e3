/**
 * Held-out evaluation: a network measured on sequences training never sees (a generator
 * training never uses, or a text's held-out part), with the task's success criterion from the
 * literature; periodic during a run through {@link org.bptt.training.run.TrainingRun#evaluateWith}.
 */
package org.bptt.training.eval;
