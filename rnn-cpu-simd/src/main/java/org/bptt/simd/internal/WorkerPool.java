package org.bptt.simd.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of daemon workers that, with the calling thread, run the chunks of one job.
 * Chunks are handed out dynamically, which is safe for determinism because every chunk
 * owns a disjoint block of the output and computes each element in a fixed order.
 *
 * <p>Nothing is allocated per job: the job object is reused by the caller and the
 * hand-off is a generation counter plus park/unpark. {@link #run} is synchronized, so
 * callers sharing one backend take turns.
 */
final class WorkerPool {

    /** One parallel job: {@code run(chunk)} for every chunk in [0, chunks). */
    interface Job {
        void run(int chunk);
    }

    /** Spins before parking; short because the machine may have few cores to spare. */
    private static final int SPINS = 1 << 12;

    /** Past any chunk count, and far enough from overflow that late increments stay past it. */
    private static final int STOP = Integer.MAX_VALUE / 2;

    private final Thread[] workers;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private volatile int generation;
    private volatile Job job;
    private volatile int chunks;
    private volatile Thread caller;
    private volatile Throwable failure;

    WorkerPool(int workerCount) {
        workers = new Thread[workerCount];
        for (int w = 0; w < workerCount; w++) {
            Thread t = new Thread(this::workerLoop, "bptt-simd-" + w);
            t.setDaemon(true);
            workers[w] = t;
            t.start();
        }
    }

    /** Runs {@code chunkCount} chunks of {@code j} on the workers and the calling thread. */
    synchronized void run(Job j, int chunkCount) {
        job = j;
        chunks = chunkCount;
        caller = Thread.currentThread();
        failure = null;
        next.set(0);
        running.set(workers.length);
        generation++;
        for (Thread t : workers) {
            LockSupport.unpark(t);
        }
        try {
            drain(j, chunkCount);
        } catch (Throwable t) {
            failure = t;
            next.set(STOP);
        }
        int spins = 0;
        while (running.get() != 0) {
            if (spins++ < SPINS) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
        job = null;
        Throwable f = failure;
        if (f != null) {
            if (f instanceof RuntimeException re) {
                throw re;
            }
            if (f instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException("a SIMD worker failed", f);
        }
    }

    private void drain(Job j, int chunkCount) {
        for (int c = next.getAndIncrement(); c < chunkCount; c = next.getAndIncrement()) {
            j.run(c);
        }
    }

    private void workerLoop() {
        int seen = 0;
        while (true) {
            int spins = 0;
            while (generation == seen) {
                if (spins++ < SPINS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            seen = generation;
            try {
                drain(job, chunks);
            } catch (Throwable t) {
                failure = t;
                next.set(STOP);
            }
            if (running.decrementAndGet() == 0) {
                LockSupport.unpark(caller);
            }
        }
    }
}
