/**
 * The built-in training tasks: synthetic long-range problems (adding, multiplication,
 * temporal order, copy memory), next-value regression on sine waves, and a character-level
 * language model over a text file. Each is generated in-process from the run's
 * {@link java.util.random.RandomGenerator}, so a seed reproduces every batch.
 *
 * <p>Every {@code baselineLoss()} here is the loss PER LOSS STEP (cross-entropy in nats, or
 * ½‖o − target‖²) of a predictor that ignores its input; a per-sequence sum is that figure
 * times {@link org.bptt.api.data.Batch#lossStepCount()}.
 */
package org.bptt.plugins.task;
