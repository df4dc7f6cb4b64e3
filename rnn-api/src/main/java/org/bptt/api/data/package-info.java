/** A batch of sequences as the trainer consumes it: time-major inputs, targets and loss masks. */
package org.bptt.api.data;
