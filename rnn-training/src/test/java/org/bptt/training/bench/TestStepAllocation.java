package org.bptt.training.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

import org.bptt.training.bench.ReferenceStep.Workload;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A steady-state training step allocates nothing, on the calling thread and on the kernel
 * workers. Measured on the reference step itself, because whether C2 boxes a vector depends
 * on the whole call chain it compiles: a kernel inlined too deep into a trainer loop boxed
 * every vector, 4 MB per W2 step. Runs in a JVM of its own (see this module's pom) with the
 * JIT flags the README gives, as a training process does; {@code TrainingStepBenchmark -prof gc}
 * checks the same under JMH.
 */
final class TestStepAllocation {
    /** Bytes per step allowed: none in the step, a little slack for the probe's own reads. */
    private static final long BOUND = 64;

    @ParameterizedTest(name = "{0} on {1} threads")
    @CsvSource({"W1-64, 1", "W1-64, 2", "W2, 1", "W2, 2"})
    void aSteadyStateStepAllocatesNothing(String workload, int threads) {
        Assumptions.assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "jdk.incubator.vector is not in the boot layer");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled());
        ReferenceStep step = ReferenceStep.create(Workload.named(workload), "simd", threads, 0L);
        long[] ids = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t == Thread.currentThread() || t.getName().startsWith("bptt-simd-"))
                .mapToLong(Thread::threadId).toArray();
        int steps = 20;
        long perStep = Long.MAX_VALUE;
        // Time-bounded, not round-bounded: on a busy machine C2 can lag the calls by seconds.
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (perStep > BOUND && System.nanoTime() < deadline) {
            for (int i = 0; i < 50; i++) {
                step.step();
            }
            long before = allocated(mx, ids);
            for (int i = 0; i < steps; i++) {
                step.step();
            }
            perStep = (allocated(mx, ids) - before) / steps;
        }
        assertTrue(perStep <= BOUND, workload + " on " + threads + " threads allocates " + perStep + " bytes per step");
    }

    private static long allocated(com.sun.management.ThreadMXBean mx, long[] ids) {
        long sum = 0;
        for (long id : ids) {
            sum += mx.getThreadAllocatedBytes(id);
        }
        return sum;
    }
}
