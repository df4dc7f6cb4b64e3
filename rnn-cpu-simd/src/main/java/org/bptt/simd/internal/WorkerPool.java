package org.bptt.simd.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of daemon workers that, with the calling thread, run the chunks of one job.
 * Chunks are claimed dynamically, which is safe for determinism because every chunk owns a
 * disjoint block of the output and computes each element in a fixed order.
 *
 * <p>The caller waits only for chunks that were claimed, never for a worker to wake up: a
 * worker that is late (parked, or descheduled by the hypervisor) finds every chunk taken and
 * goes back to waiting, so it cannot delay the job. Chunks are claimed from one
 * {@link #ticket} that holds the job's generation (high 32 bits) and the next chunk index
 * (low 32 bits), so a late worker can never claim a chunk of a later job with the job it
 * read earlier.
 *
 * <p>Nothing is allocated per job. {@link #run} is synchronized, so callers sharing one
 * backend take turns.
 */
final class WorkerPool {

    /** One parallel job: {@code run(chunk)} for every chunk in [0, chunks). */
    interface Job {
        void run(int chunk);
    }

    /** Worker spins before parking, about half a millisecond: a core of its own is otherwise idle. */
    private static final int WORKER_SPINS = 1 << 14;
    /** Caller spins while claimed chunks finish, which takes as long as one chunk. */
    private static final int CALLER_SPINS = 1 << 16;

    private final Thread[] workers;
    /** Generation · 2^32 + next chunk index; generation 0 while a job is being published. */
    private final AtomicLong ticket = new AtomicLong();

    private final AtomicInteger done = new AtomicInteger();
    private int generation;
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
        ticket.set(0L);
        job = j;
        chunks = chunkCount;
        caller = Thread.currentThread();
        failure = null;
        done.set(0);
        generation = generation == Integer.MAX_VALUE ? 1 : generation + 1;
        long gen = generation;
        ticket.set(gen << 32);
        for (Thread t : workers) {
            LockSupport.unpark(t);
        }
        claimAndRun(gen, j, chunkCount);
        int spins = 0;
        while (done.get() != chunkCount) {
            if (spins++ < CALLER_SPINS) {
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

    /** Claims and runs chunks of generation {@code gen} until none is left. */
    private void claimAndRun(long gen, Job j, int chunkCount) {
        while (true) {
            long t = ticket.get();
            if (t >>> 32 != gen || (int) t >= chunkCount) {
                return;
            }
            if (!ticket.compareAndSet(t, t + 1)) {
                continue;
            }
            try {
                // After a failure the remaining chunks are only counted, so the caller returns.
                if (failure == null) {
                    j.run((int) t);
                }
            } catch (Throwable e) {
                failure = e;
            }
            if (done.incrementAndGet() == chunkCount) {
                LockSupport.unpark(caller);
            }
        }
    }

    private void workerLoop() {
        long seen = 0;
        int spins = 0;
        while (true) {
            long gen = ticket.get() >>> 32;
            if (gen == 0 || gen == seen) {
                if (spins++ < WORKER_SPINS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
                continue;
            }
            Job j = job;
            int n = chunks;
            // Publishing zeroes the ticket before it writes the job: the job read is this generation's
            // only if the generation is still current now.
            if (ticket.get() >>> 32 != gen) {
                continue;
            }
            seen = gen;
            spins = 0;
            claimAndRun(gen, j, n);
        }
    }
}
