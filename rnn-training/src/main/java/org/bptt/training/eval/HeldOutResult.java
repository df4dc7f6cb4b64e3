package org.bptt.training.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.bptt.api.data.SuccessCriterion;
import org.bptt.api.data.Task;
import org.bptt.training.LossMean;
import org.bptt.training.Network;
import org.bptt.training.config.Json;
import org.bptt.training.diag.Interval;
import org.bptt.training.run.Evaluation;
import org.bptt.training.run.RunSummary;

/**
 * A trained network evaluated on held-out sequences, with what the numbers mean: the task's
 * success rule and the losses of the two baselines (its best constant output and its best
 * memoryless one), in the run's loss scale.
 *
 * @param net        the network
 * @param task       the sequences' task
 * @param settings   how many sequences, from which seed
 * @param evaluation the measures
 * @param seconds    how long it took
 * @param rule       the success rule applied
 * @param baseline   the loss of the best constant output, NaN where the task does not say
 * @param memoryless the loss of the best output without memory, NaN where the task does not say
 * @param learning   what the loss says against them
 */
public record HeldOutResult(
        Network net,
        Task task,
        EvaluationSettings settings,
        Evaluation evaluation,
        double seconds,
        SuccessCriterion rule,
        double baseline,
        double memoryless,
        RunSummary.Learning learning) {

    /** Evaluates {@code net} on {@code task}'s held-out sequences. */
    public static HeldOutResult of(Network net, Task task, EvaluationSettings settings) {
        HeldOutEvaluator evaluator = new HeldOutEvaluator(settings);
        long t0 = System.nanoTime();
        Evaluation e = evaluator.evaluate(net, task);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double scale =
                net.config().lossMean() == LossMean.STEP ? 1 : task.newBatch(1).lossStepCount();
        double baseline = task.baselineLoss() * scale;
        double memoryless = task.memorylessLoss() * scale;
        return new HeldOutResult(
                net,
                task,
                settings,
                e,
                seconds,
                evaluator.criterion(task),
                baseline,
                memoryless,
                RunSummary.learning(e.get("loss"), baseline, memoryless));
    }

    /** One JSON object: the run, the metrics (non-finite as null), baselines, the correct fraction's interval, the rule. */
    public ObjectNode toJson(String run) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("run", run);
        o.put("task", task.describe());
        o.put("iteration", evaluation.iteration());
        o.put("seed", settings.seed());
        ObjectNode m = o.putObject("metrics");
        evaluation.metrics().forEach((k, v) -> {
            if (Double.isFinite(v)) {
                m.put(k, v);
            } else {
                m.putNull(k);
            }
        });
        if (Double.isFinite(baseline)) {
            o.put("baseline_loss", baseline);
            o.put("memoryless_loss", memoryless);
            o.put("learning", learning.name().toLowerCase(Locale.ROOT));
        }
        if (evaluation.has("correct")) {
            long n = (long) evaluation.get("sequences");
            Interval w = Interval.wilson(Math.round(evaluation.get("correct") * n), n);
            o.put("correct_low", w.low());
            o.put("correct_high", w.high());
        }
        ObjectNode c = o.putObject("criterion");
        c.put("rule", rule.describe());
        c.put("source", rule.source());
        o.put("seconds", seconds);
        return o;
    }
}
