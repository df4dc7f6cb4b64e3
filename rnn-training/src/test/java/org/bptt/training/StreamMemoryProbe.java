package org.bptt.training;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Locale;

/**
 * Trains a text of T + 1 characters as one stream (stateful, chunks of 20) or as one sequence of
 * T steps, and prints the largest heap a full collection left during training: "live-bytes N".
 * Run by {@link TestStatefulMemory} in a fresh JVM per case.
 */
final class StreamMemoryProbe {
    private StreamMemoryProbe() {}

    public static void main(String[] args) throws IOException {
        int steps = Integer.parseInt(args[0]);
        boolean stateful = args[1].equals("stateful");
        String file = args[2];
        int chunk = 20;
        Network net = Network.builder()
                .task("text", "text", file, "steps", Integer.toString(stateful ? chunk : steps))
                .hidden(32)
                .batch(1)
                .optimizer("sgd", "lr", "0.05")
                .stateful(stateful)
                .checkpointEvery(0)
                .diagnosticsEvery(Long.MAX_VALUE)
                .backend("scalar")
                .build();
        long iterations = stateful ? steps / chunk : 2;
        long[] live = {0};
        net.fit(iterations, new FitListener() {
            @Override
            public void onIteration(Network n, IterationMetrics m) {
                if (m.iteration() % Math.max(1, iterations / 5) == 0 || m.iteration() == iterations - 1) {
                    System.gc();
                    long used = 0;
                    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                        if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                            used += pool.getCollectionUsage().getUsed();
                        }
                    }
                    live[0] = Math.max(live[0], used);
                }
            }
        });
        System.out.printf(Locale.ROOT, "live-bytes %d%n", live[0]);
    }
}
