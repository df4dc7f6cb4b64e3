/** {@code rnn bench}: times the reference training step for a side-by-side check with PyTorch. */
package org.bptt.cli.bench;
