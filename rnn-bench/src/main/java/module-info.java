/**
 * JMH benchmarks. Runs from the shaded benchmarks.jar on the class path (this descriptor is
 * left out of it); here it keeps the module's dependencies explicit.
 */
module org.bptt.bench {
    requires org.bptt.api;
    requires org.bptt.training;
    requires jmh.core;
    requires java.management;
    // BenchReport reads the SIMD kernels' settings and measures the FMA peak.
    requires org.bptt.simd;

    exports org.bptt.bench;
    exports org.bptt.bench.jmh_generated;

    opens org.bptt.bench;
    opens org.bptt.bench.jmh_generated;
}
