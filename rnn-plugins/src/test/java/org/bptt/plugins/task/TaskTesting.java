package org.bptt.plugins.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import org.bptt.api.data.Batch;
import org.bptt.api.data.Task;
import org.bptt.api.data.TaskFactory;
import org.bptt.api.plugin.PluginOptions;

/** Shared helpers: load a task the way the platform does, fill a batch, measure allocation. */
final class TaskTesting {
    static final List<String> NAMES = List.of("adding", "multiplication", "temporal-order", "copy", "sine", "text");

    private TaskTesting() {}

    static TaskFactory factory(String name) {
        List<TaskFactory> found = ServiceLoader.load(TaskFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.name().equals(name))
                .toList();
        assertEquals(1, found.size(), "providers named " + name);
        return found.get(0);
    }

    static Task task(String name, Map<String, String> options) {
        return factory(name).create(new PluginOptions(name, options));
    }

    static Task task(String name) {
        return task(name, Map.of());
    }

    static Batch filled(Task task, int batchSize, long seed) {
        Batch batch = task.newBatch(batchSize);
        task.fill(batch, new SplittableRandom(seed));
        return batch;
    }

    /** Bytes allocated by this thread during {@code n} fills, after a warm-up that lets the JIT settle. */
    static long allocatedByFills(Task task, Batch batch, int n) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 2_000; i++) {
            task.fill(batch, random);
        }
        // Steady state, not the JIT's transitions: measure windows of n fills until one is clean
        // (a fill that really allocates never gives a clean window), for at most ~5 s.
        long deadline = System.nanoTime() + 5_000_000_000L;
        long allocated;
        do {
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < n; i++) {
                task.fill(batch, random);
            }
            allocated = mx.getCurrentThreadAllocatedBytes() - before;
        } while (allocated != 0 && System.nanoTime() < deadline);
        return allocated;
    }

    /** The input channel that is hot at (t, b), or −1 if none; fails the test if several are. */
    static int hot(Batch batch, int t, int b) {
        int in = batch.inputSize();
        int base = (t * batch.batch() + b) * in;
        int found = -1;
        for (int i = 0; i < in; i++) {
            float v = batch.x()[base + i];
            if (v == 1f) {
                assertEquals(-1, found, "two hot channels at t=" + t + " b=" + b);
                found = i;
            } else {
                assertEquals(0f, v, "one-hot input at t=" + t + " b=" + b + " channel " + i);
            }
        }
        return found;
    }
}
