/** {@code rnn train}: configuration, the training loop, metrics, checkpoints and resuming. */
package org.bptt.cli.train;
