/** The shared BPTT trainer: model, buffers, forward, full and truncated backward, updates. */
package org.bptt.training;
