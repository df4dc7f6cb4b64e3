/**
 * Vector API kernels. The only module that reads {@code jdk.incubator.vector}, and only
 * statically: when the JVM runs without that module the provider still loads and reports
 * why SIMD is off, and the platform falls back to the scalar kernels. {@code org.bptt.simd}
 * also exports the kernel settings, their per-machine cache and the tuner that fills it.
 */
module org.bptt.simd {
    requires org.bptt.api;
    requires static jdk.incubator.vector;
    // The JVM's UseAVX level, part of the tuning cache's machine key.
    requires jdk.management;
    // sun.misc.Unsafe's constant of where a float array's elements start (ArrayAlignment).
    requires jdk.unsupported;

    exports org.bptt.simd;

    provides org.bptt.api.kernel.KernelsProvider with
            org.bptt.simd.SimdKernelsProvider;
}
