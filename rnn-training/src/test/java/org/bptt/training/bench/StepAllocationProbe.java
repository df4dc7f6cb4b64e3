package org.bptt.training.bench;

import java.lang.management.ManagementFactory;
import org.bptt.training.bench.ReferenceStep.Workload;

/**
 * Run by {@link TestStepAllocation} in a JVM of its own: trains a reference workload to a
 * steady state and prints the bytes allocated per step by the caller and the kernel workers,
 * as {@code bytes-per-step N}.
 */
public final class StepAllocationProbe {
    private StepAllocationProbe() {}

    public static void main(String[] args) {
        String workload = args[0];
        int threads = Integer.parseInt(args[1]);
        long bound = Long.parseLong(args[2]);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // Optional: layers, bidirectional, dropout (the plain cell without them).
        org.bptt.training.Layers layers = args.length > 3
                ? new org.bptt.training.Layers(
                        Integer.parseInt(args[3]), Boolean.parseBoolean(args[4]), Double.parseDouble(args[5]), false)
                : org.bptt.training.Layers.ONE;
        ReferenceStep step = ReferenceStep.create(
                Workload.named(workload),
                ReferenceStep.VANILLA,
                layers,
                "simd",
                threads,
                0L,
                org.bptt.training.plugin.Plugins.discover());
        long[] ids = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t == Thread.currentThread() || t.getName().startsWith("bptt-simd-"))
                .mapToLong(Thread::threadId)
                .toArray();
        int steps = 20;
        long perStep = Long.MAX_VALUE;
        // Time-bounded, not round-bounded: on a busy machine C2 can lag the calls by seconds.
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (perStep > bound && System.nanoTime() < deadline) {
            for (int i = 0; i < 50; i++) {
                step.step();
            }
            long before = allocated(mx, ids);
            for (int i = 0; i < steps; i++) {
                step.step();
            }
            perStep = (allocated(mx, ids) - before) / steps;
        }
        System.out.println("bytes-per-step " + perStep);
    }

    private static long allocated(com.sun.management.ThreadMXBean mx, long[] ids) {
        long sum = 0;
        for (long id : ids) {
            sum += mx.getThreadAllocatedBytes(id);
        }
        return sum;
    }
}
