/**
 * The SIMD backend's service provider, which loads without touching the Vector API so that
 * the guard chain in {@code Backends} can ask it whether SIMD is usable on this JVM; the
 * kernels' settings ({@link org.bptt.simd.SimdSettings}), their per-machine cache
 * ({@link org.bptt.simd.SimdTuning}) and the measured search that fills it
 * ({@link org.bptt.simd.SimdTuner}, behind {@code rnn tune}).
 */
package org.bptt.simd;
