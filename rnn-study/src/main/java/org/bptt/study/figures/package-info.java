/**
 * Figures that never go stale: every measured number a document claims in a marked block is
 * re-measured from the current code, and the block rewritten ({@code tools/figures.sh}); a test
 * compares the cheap blocks with a fresh measurement.
 */
package org.bptt.study.figures;
