package org.bptt.examples.gated;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.SplittableRandom;

import org.bptt.api.data.Batch;
import org.bptt.training.BpttTrainer;
import org.bptt.training.bench.ReferenceStep;
import org.bptt.training.bench.ReferenceStep.Workload;
import org.bptt.training.wiring.PluginChoice;

/**
 * Run by {@link TestStepAllocation} in a JVM of its own: trains a gated cell to a steady state
 * and prints the bytes allocated per step by the caller and the kernel workers, as
 * {@code bytes-per-step N}. Arguments: cell, workload ({@code W1-64}, … as the reference step,
 * or {@code tbptt}: online TBPTT(5, 15) with Adam and autoclip), threads, the bound that ends
 * the warm-up early.
 */
public final class StepAllocationProbe {
    private StepAllocationProbe() {}

    public static void main(String[] args) {
        String cell = args[0];
        String workload = args[1];
        int threads = Integer.parseInt(args[2]);
        long bound = Long.parseLong(args[3]);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Runnable step;
        if (workload.equals("tbptt")) {
            Fixtures.Setup setup = new Fixtures.Setup(cell, 16, 48, 16, "ce", new PluginChoice("adam", Map.of("lr", "0.001")),
                    PluginChoice.of("autoclip"), new PluginChoice("tbptt", Map.of("k1", "5", "k2", "15")),
                    PluginChoice.of("orthogonal"), true);
            BpttTrainer t = setup.trainer("simd", threads, 1);
            Batch b = setup.batch(new SplittableRandom(2), 24, 40, Batch.allSteps(40));
            step = () -> t.trainStep(b);
        } else {
            ReferenceStep s = ReferenceStep.create(Workload.named(workload), cell, "simd", threads, 0L);
            step = s::step;
        }
        long[] ids = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t == Thread.currentThread() || t.getName().startsWith("bptt-simd-"))
                .mapToLong(Thread::threadId).toArray();
        int steps = 20;
        long perStep = Long.MAX_VALUE;
        // Time-bounded, not round-bounded: on a busy machine C2 can lag the calls by seconds.
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (perStep > bound && System.nanoTime() < deadline) {
            for (int i = 0; i < 30; i++) {
                step.run();
            }
            long before = allocated(mx, ids);
            for (int i = 0; i < steps; i++) {
                step.run();
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
