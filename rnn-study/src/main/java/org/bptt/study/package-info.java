/**
 * Sweeps: a {@link org.bptt.study.SweepPlan} of entries (settings, seed, full run configuration),
 * {@link org.bptt.study.Trials#run} to train one entry into an ordinary run folder and return its
 * {@link org.bptt.study.SummaryRow}, {@link org.bptt.study.LocalSweep} to run a plan on this
 * machine's cores, and {@link org.bptt.study.SweepSummary} to write {@code summary.csv} and
 * {@code summary.html} from rows, whoever produced them.
 */
package org.bptt.study;
