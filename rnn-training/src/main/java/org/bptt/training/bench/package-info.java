/**
 * The reference training step of the performance comparison with PyTorch
 * ({@code ../shared/bench/torch_rnn_step.py}): one place that builds the trainer and the
 * random batch, so that {@code rnn bench} and the JMH benchmarks time the same code.
 */
package org.bptt.training.bench;
