/**
 * The {@code autoclip} gradient policy: clipping by global norm to a percentile of the norms
 * seen so far (Seetharaman et al. 2020), with its history saved in checkpoints.
 */
package org.bptt.examples.gated.policy;
