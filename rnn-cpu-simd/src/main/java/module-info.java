/**
 * Vector API kernels. The only module that reads {@code jdk.incubator.vector}, and only
 * statically: when the JVM runs without that module the provider still loads and reports
 * why SIMD is off, and the platform falls back to the scalar kernels.
 */
module org.bptt.simd {
    requires org.bptt.api;
    requires static jdk.incubator.vector;

    provides org.bptt.api.kernel.KernelsProvider with org.bptt.simd.SimdKernelsProvider;
}
