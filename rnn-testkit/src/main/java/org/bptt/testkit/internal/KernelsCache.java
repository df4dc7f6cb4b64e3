package org.bptt.testkit.internal;

import java.util.concurrent.ConcurrentHashMap;
import org.bptt.api.kernel.Backends;
import org.bptt.api.kernel.Kernels;

/**
 * One backend per thread count for the whole JVM: a multi-threaded backend keeps its worker
 * threads for the life of the process, so the checks share them rather than start new ones.
 */
final class KernelsCache {
    private static final ConcurrentHashMap<Integer, Kernels> BY_THREADS = new ConcurrentHashMap<>();

    private KernelsCache() {}

    /** {@code Backends.select("auto", threads)}, made once. */
    static Kernels auto(int threads) {
        return BY_THREADS.computeIfAbsent(threads, n -> Backends.select("auto", n));
    }

    /** The backends for 2 and 3 threads, or a skip saying why they cannot run here. */
    static Kernels multiThreaded(int threads) {
        Kernels k = auto(threads);
        if (k.threads() != threads) {
            throw new Check.Skipped("the " + k.name() + " backend runs " + k.threads() + " thread(s), not " + threads
                    + "; start the JVM with --add-modules jdk.incubator.vector and rnn-cpu-simd on the class path");
        }
        return k;
    }
}
