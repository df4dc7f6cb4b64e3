/**
 * The SIMD backend's service provider. It loads without touching the Vector API, so the
 * guard chain in {@code Backends} can ask it whether SIMD is usable on this JVM.
 */
package org.bptt.simd;
