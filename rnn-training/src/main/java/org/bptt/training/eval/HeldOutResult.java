package org.bptt.training.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleFunction;
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

    /**
     * The result for a person, one line each: what was evaluated, on how many sequences, every
     * measure (with its standard error where it has one), the baselines and the rule applied.
     *
     * @param run    names what was evaluated
     * @param number how the measures' numbers are written
     */
    public List<String> lines(String run, DoubleFunction<String> number) {
        Evaluation e = evaluation;
        List<String> lines = new ArrayList<>();
        lines.add(String.format(
                Locale.ROOT,
                "%s: %s, %s, H=%d, iteration %d",
                run,
                task.describe(),
                net.model().cell().describe(),
                net.model().hiddenSize(),
                e.iteration()));
        lines.add(String.format(
                Locale.ROOT,
                "held-out: %d sequences from a generator training never uses (seed %d)%s, %.1f s",
                (long) e.get("sequences"),
                settings.seed(),
                e.has("stream_bits_per_char")
                        ? String.format(
                                Locale.ROOT,
                                ", and the held-out text once in order (over %d segment%s)",
                                (long) e.get("stream_segments"),
                                e.get("stream_segments") == 1 ? "" : "s")
                        : "",
                seconds));
        for (Map.Entry<String, Double> m : e.metrics().entrySet()) {
            if (m.getKey().equals("sequences")
                    || m.getKey().equals("stream_segments")
                    || m.getKey().endsWith("_se")) {
                continue;
            }
            String v = switch (m.getKey()) {
                case "accuracy" -> String.format(Locale.ROOT, "%.2f%%", 100 * m.getValue());
                case "correct" -> RunSummary.correctText(m.getValue(), (long) e.get("sequences"));
                case "success" -> m.getValue() == 1 ? "yes" : "no";
                default ->
                    number.apply(m.getValue())
                            + (Double.isFinite(e.get(m.getKey() + "_se"))
                                    ? " ± " + number.apply(e.get(m.getKey() + "_se")) + " (standard error)"
                                    : "");
            };
            lines.add(String.format(
                    Locale.ROOT,
                    "  %-14s %s",
                    m.getKey().replace("stream_bits", "streamed bits").replace('_', ' '),
                    v));
        }
        if (Double.isFinite(baseline)) {
            lines.add(String.format(
                    Locale.ROOT,
                    "baseline loss: %s, memoryless loss: %s (%s)",
                    number.apply(baseline),
                    number.apply(memoryless),
                    learning.words(RunSummary.Learning.longLag(baseline, memoryless))));
        }
        lines.add("criterion: " + rule.describe());
        return lines;
    }
}
