package org.bptt.training.eval;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.FitListener;
import org.bptt.training.IterationMetrics;
import org.bptt.training.Network;
import org.bptt.training.config.Checkpoint;
import org.bptt.training.config.Json;
import org.bptt.training.diag.GradientFlowSnapshot;
import org.bptt.training.run.Evaluation;
import org.bptt.training.run.Evaluator;

/**
 * Early stopping on the held-out loss, as a {@link FitListener} around another: every
 * {@code every} iterations it evaluates the network, hands the loss to the network's
 * learning-rate schedule ({@link org.bptt.api.schedule.Schedule#observe}, which a plateau
 * schedule reduces on), saves the network to {@code best} (atomically, {@code best.bin} beside
 * {@code checkpoint.bin}) when the loss is the lowest so far, and asks the fit to stop after
 * {@code patience} evaluations in a row without a lower one (0: never stop, only keep the best).
 * Its own state (best loss, evaluations since) goes into checkpoints through {@link #decorate},
 * so a resumed run stops where an uninterrupted one would.
 */
public final class EarlyStopping implements FitListener {
    /** The checkpoint field of the state. */
    public static final String FIELD = "early_stopping";

    private final Evaluator evaluator;
    private final long every;
    private final int patience;
    private final Path best;
    private final FitListener inner;
    private double bestLoss = Double.POSITIVE_INFINITY;
    private long bestIteration = -1;
    private int since;
    private boolean stop;

    public EarlyStopping(Evaluator evaluator, long every, int patience, Path best, FitListener inner) {
        this.evaluator = requireNonNull(evaluator, "evaluator is null");
        this.best = requireNonNull(best, "best is null");
        this.inner = requireNonNull(inner, "inner is null");
        if (every < 1) {
            throw new ConfigurationException("early stopping evaluates every N iterations, N at least 1, got " + every);
        }
        if (patience < 0) {
            throw new ConfigurationException(
                    "the early-stopping patience must be 0 (never stop) or more, got " + patience);
        }
        this.every = every;
        this.patience = patience;
    }

    /** The lowest held-out loss so far (infinite before the first evaluation). */
    public double bestLoss() {
        return bestLoss;
    }
    /** The iteration count of the model saved in {@code best}, or −1. */
    public long bestIteration() {
        return bestIteration;
    }
    /** Whether it asked the fit to stop. */
    public boolean stopped() {
        return stop;
    }

    @Override
    public boolean stopRequested() {
        return stop || inner.stopRequested();
    }

    @Override
    public void onGradientFlow(Network network, GradientFlowSnapshot snapshot) {
        inner.onGradientFlow(network, snapshot);
    }

    @Override
    public void onLayerGradientFlow(Network network, List<GradientFlowSnapshot> layers) {
        inner.onLayerGradientFlow(network, layers);
    }

    @Override
    public void onIteration(Network network, IterationMetrics metrics) {
        inner.onIteration(network, metrics);
        if (network.iteration() % every == 0) {
            observe(network, evaluator.evaluate(network, network.task()));
        }
    }

    /**
     * Takes one held-out evaluation of {@code network} as it is now: hands its loss to the
     * network's schedule, saves the network to {@code best} when the loss is the lowest so far,
     * and after {@code patience} evaluations without a lower one asks the fit to stop. For a run
     * that evaluates on its own ({@link org.bptt.training.run.TrainingRun}).
     */
    public void observe(Network network, Evaluation e) {
        String key = e.lossKey();
        double loss = key == null ? Double.NaN : e.get(key);
        if (network.trainer().schedule() != null && Double.isFinite(loss)) {
            network.trainer().schedule().observe(network.iteration(), loss);
        }
        if (loss < bestLoss) {
            bestLoss = loss;
            bestIteration = network.iteration();
            since = 0;
            try {
                network.save(best);
            } catch (IOException x) {
                throw new UncheckedIOException("could not write the best model to " + best, x);
            }
        } else if (patience > 0 && ++since >= patience) {
            stop = true;
        }
    }

    /**
     * Takes the state that the evaluations of a resumed run's history imply (the lowest loss
     * and how many came after it), without saving anything: {@code best} holds that model already.
     */
    public EarlyStopping replay(List<Evaluation> history) {
        for (Evaluation e : history) {
            String key = e.lossKey();
            double loss = key == null ? Double.NaN : e.get(key);
            if (loss < bestLoss) {
                bestLoss = loss;
                bestIteration = e.iteration();
                since = 0;
            } else {
                since++;
            }
        }
        stop = patience > 0 && since >= patience;
        return this;
    }

    @Override
    public void beforeCheckpoint(Network network, long iteration) throws IOException {
        inner.beforeCheckpoint(network, iteration);
    }

    @Override
    public void afterCheckpoint(Network network, long iteration) {
        inner.afterCheckpoint(network, iteration);
    }

    /** Adds this listener's state to a checkpoint (pass to {@link Network#checkpointTo(Path, java.util.function.Consumer)}). */
    public void decorate(Checkpoint.Builder b) {
        var node = Json.MAPPER.createObjectNode();
        node.put("best_loss_bits", Double.doubleToRawLongBits(bestLoss));
        node.put("best_iteration", bestIteration);
        node.put("since", since);
        b.extra(FIELD, node);
    }

    /** Takes the state a checkpoint holds (none: a fresh start). */
    public EarlyStopping restore(Checkpoint c) {
        var node = c.extra(FIELD);
        if (!node.isMissingNode()) {
            bestLoss = Double.longBitsToDouble(node.path("best_loss_bits").asLong());
            bestIteration = node.path("best_iteration").asLong(-1);
            since = node.path("since").asInt(0);
        }
        return this;
    }
}
