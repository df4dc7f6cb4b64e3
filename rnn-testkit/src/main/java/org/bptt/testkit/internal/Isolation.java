package org.bptt.testkit.internal;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Whether two instances of a plugin share state: a static scratch array, a static reference to
 * a weight, a static running average. Each of those passes every single-instance check, yet
 * corrupts results when two networks train in one JVM (a sweep with parallel runs). Instance
 * 0 and instance 1 get different data; each is run alone first, then both are made (bound)
 * before either runs and their calls alternate one by one, then each runs on a thread of its
 * own at the same time, {@value #ROUNDS} times. Every run must give the bits it gave alone.
 */
final class Isolation {
    static final String NAME = "instances-share-no-state";
    /** Concurrent rounds: a race on shared scratch shows in a few; the checks' workloads take microseconds. */
    static final int ROUNDS = 40;

    private Isolation() {}

    /** One instance's calls in order, and the recording they fill. */
    record Script(Runnable[] calls, Recording recording) {
        Recording runAll() {
            for (Runnable c : calls) {
                c.run();
            }
            return recording;
        }
    }

    /**
     * @param make  a new instance for variant 0 or 1 (different data), bound and ready; its
     *              calls run later
     * @param unit  what one script is, for messages ("an iteration", "8 updates")
     */
    static String check(IntFunction<Script> make, String unit) throws Exception {
        Recording[] alone = {make.apply(0).runAll(), make.apply(1).runAll()};
        String again = alone[0].firstDifference(make.apply(0).runAll());
        if (again != null) {
            throw Check.fail("instance 0 alone gave other bits when made and run again after instance 1 (" + again
                    + "): it is not deterministic, or an instance keeps state for the next (a static field?)");
        }
        Script[] both = {make.apply(0), make.apply(1)};
        int longest = Math.max(both[0].calls().length, both[1].calls().length);
        for (int i = 0; i < longest; i++) {
            for (Script s : both) {
                if (i < s.calls().length) {
                    s.calls()[i].run();
                }
            }
        }
        for (int v = 0; v < 2; v++) {
            String diff = alone[v].firstDifference(both[v].recording());
            if (diff != null) {
                throw Check.fail("instance " + v + ", made beside another and run with its calls alternating with the"
                        + " other's, gave other bits than alone: " + diff + "; state shared between instances (a static"
                        + " field?)");
            }
        }
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "testkit-isolation");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<?>[] runs = new Future<?>[2];
            for (int v = 0; v < 2; v++) {
                int variant = v;
                runs[v] = pool.submit(() -> {
                    try {
                        for (int round = 0; round < ROUNDS; round++) {
                            Script s = make.apply(variant);
                            start.await();
                            String diff = alone[variant].firstDifference(s.runAll());
                            if (diff != null) {
                                throw Check.fail("instance " + variant
                                        + ", run on its own thread while another instance"
                                        + " ran on a second, gave other bits than alone in round " + (round + 1) + ": "
                                        + diff + "; state shared between instances (a static field?)");
                            }
                        }
                    } catch (Throwable t) {
                        start.reset(); // the other thread stops waiting for this one
                        throw t;
                    }
                    return null;
                });
            }
            for (Future<?> f : runs) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof java.util.concurrent.BrokenBarrierException) {
                        continue; // the other thread failed; its failure is the one to report
                    }
                    throw e.getCause() instanceof Exception ex ? ex : new IllegalStateException(e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return "two instances give the bits each gives alone, with their calls alternating and on two threads at once ("
                + ROUNDS + " rounds of " + unit + ")";
    }
}
