/** JMH benchmarks: kernels scalar beside SIMD, and whole training steps (run from target/benchmarks.jar). */
package org.bptt.bench;
