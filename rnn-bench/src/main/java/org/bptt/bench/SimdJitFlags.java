package org.bptt.bench;

/** The JVM flags every SIMD run takes (README, "Running the SIMD kernels"), for the JMH forks: as ./rnn gives them. */
final class SimdJitFlags {
    static final String QUIET = "-XX:CompileCommand=quiet";
    static final String KERNELS_OUT_OF_LINE = "-XX:CompileCommand=dontinline,org.bptt.simd.internal.SimdKernels::*";

    /** The collector ./rnn runs: the training steps ran 10-15 % faster under it than under the parallel one (docs/performance.md). */
    static final String COLLECTOR = "-XX:+UseG1GC";

    private SimdJitFlags() {}
}
