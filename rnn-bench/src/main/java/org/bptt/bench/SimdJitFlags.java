package org.bptt.bench;

/** The JIT flags every SIMD run takes (README, "Running the SIMD kernels"), for the JMH forks. */
final class SimdJitFlags {
    static final String QUIET = "-XX:CompileCommand=quiet";
    static final String KERNELS_OUT_OF_LINE = "-XX:CompileCommand=dontinline,org.bptt.simd.internal.SimdKernels::*";

    private SimdJitFlags() {}
}
