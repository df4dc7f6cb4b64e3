package org.bptt.dashboard;

import java.util.ArrayList;
import java.util.List;
import org.bptt.training.IterationMetrics;
import org.bptt.training.diag.GradientFlowSnapshot;
import org.bptt.training.run.LayerSnapshot;
import org.bptt.training.run.RunListener;
import org.bptt.training.run.RunSummary;
import org.bptt.training.run.TrainingRun;

/**
 * A run training in this process, seen by the dashboard as it trains rather than at its
 * checkpoints: a {@link RunListener} that copies each iteration's metrics and new gradient-flow
 * snapshots on the training thread (an append under a lock, no allocation beyond the list's)
 * for the server's threads to read. Wraps the front end's own listener.
 */
public final class LiveRun implements RunListener {
    private final RunListener inner;
    private final List<IterationMetrics> metrics = new ArrayList<>();
    private final List<GradientFlowSnapshot> flow = new ArrayList<>();
    private final List<LayerSnapshot> layers = new ArrayList<>();
    private volatile String outcome = "";
    private long startIteration;

    LiveRun(RunListener inner) {
        this.inner = inner;
    }

    @Override
    public void started(TrainingRun run) {
        synchronized (this) {
            metrics.clear();
            metrics.addAll(run.history().metrics());
            flow.clear();
            flow.addAll(run.history().flow());
            layers.clear();
            layers.addAll(run.history().layers());
            startIteration = run.startIteration();
        }
        inner.started(run);
    }

    @Override
    public void iteration(TrainingRun run, IterationMetrics m) {
        List<GradientFlowSnapshot> f = run.history().flow();
        List<LayerSnapshot> l = run.history().layers();
        synchronized (this) {
            metrics.add(m);
            for (int i = flow.size(); i < f.size(); i++) {
                flow.add(f.get(i));
            }
            for (int i = layers.size(); i < l.size(); i++) {
                layers.add(l.get(i));
            }
        }
        inner.iteration(run, m);
    }

    @Override
    public void checkpointed(TrainingRun run, long iteration) {
        inner.checkpointed(run, iteration);
    }

    @Override
    public void finished(TrainingRun run, RunSummary summary) {
        outcome = summary.outcome().name().toLowerCase(java.util.Locale.ROOT);
        inner.finished(run, summary);
    }

    @Override
    public boolean stopRequested() {
        return inner.stopRequested();
    }

    /** Metrics of iterations {@code >= from}, a copy. */
    synchronized List<IterationMetrics> metricsFrom(long from) {
        List<IterationMetrics> l = new ArrayList<>();
        for (int i = metrics.size() - 1; i >= 0 && metrics.get(i).iteration() >= from; i--) {
            l.add(metrics.get(i));
        }
        java.util.Collections.reverse(l);
        return l;
    }

    /** All metrics so far, a copy. */
    synchronized List<IterationMetrics> metrics() {
        return new ArrayList<>(metrics);
    }

    /** All gradient-flow snapshots so far, a copy. */
    synchronized List<GradientFlowSnapshot> flow() {
        return new ArrayList<>(flow);
    }

    /** All per-layer snapshots so far, a copy. */
    synchronized List<LayerSnapshot> layers() {
        return new ArrayList<>(layers);
    }

    /** "" while training, then finished, interrupted or diverged. */
    String outcome() {
        return outcome;
    }

    synchronized long startIteration() {
        return startIteration;
    }
}
