package org.bptt.training.eval;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.bptt.api.data.Batch;
import org.bptt.api.data.SuccessCriterion;
import org.bptt.api.data.Targets;
import org.bptt.api.data.Task;
import org.bptt.training.BpttTrainer;
import org.bptt.training.LossMean;
import org.bptt.training.Network;
import org.bptt.training.run.Evaluation;
import org.bptt.training.run.Evaluator;

/**
 * Measures a network on held-out sequences: {@link EvaluationSettings#sequences()} of them,
 * drawn in blocks of {@link #BLOCK} by {@link Task#fillHeldOut} from {@link #heldOutRandom},
 * a generator training never uses; held-out sequence j is the same however many are asked for. The evaluated parameters are copied into a network of its
 * own, so evaluating leaves the trained network, its buffers and its bits untouched.
 *
 * <p>Metrics, in this order (absent ones do not apply to the task):
 * <ul>
 *   <li>{@code loss}: the held-out loss in the run's units (summed over a sequence's loss steps
 *       and averaged over sequences, or averaged over steps too, as the run's loss mean says);</li>
 *   <li>{@code loss_per_step}: the loss per loss step;</li>
 *   <li>{@code mse}: for vector targets, the plain mean squared error per output (the literature's
 *       measure: 0.167 for the adding problem's always-1 predictor);</li>
 *   <li>{@code accuracy}: for class targets, the fraction of loss steps whose arg-max is the target;</li>
 *   <li>{@code nats_per_char}, {@code bits_per_char}, {@code perplexity}: for a character model;
 *       {@code bits_per_char_se}: the standard error of {@code bits_per_char} from the windows'
 *       own bits per character (how far another draw of as many windows would move it);</li>
 *   <li>{@code stream_bits_per_char}, {@code stream_bits_per_char_se}, {@code stream_segments}: for
 *       a task with a held-out stream, the held-out text once in order carrying the state
 *       ({@link StreamedEvaluator}, over {@link EvaluationSettings#streamSegments()} segments),
 *       with its standard error from blocks of {@value StreamedEvaluator#BLOCK_STEPS} characters;</li>
 *   <li>{@code correct}: the fraction of sequences correct by the task's {@link SuccessCriterion}, and
 *       {@code success}: 1 when at least the required fraction is, else 0;</li>
 *   <li>{@code sequences}: how many were evaluated.</li>
 * </ul>
 * Not thread-safe; one per run.
 */
public final class HeldOutEvaluator implements Evaluator {
    /** Sequences per held-out batch: sequence j of a held-out set is the same whatever its size. */
    public static final int BLOCK = 100;

    private final EvaluationSettings settings;
    private Network scratch;
    private Batch batch;
    private StreamedEvaluator stream;

    public HeldOutEvaluator(EvaluationSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
    }

    public EvaluationSettings settings() {
        return settings;
    }

    /**
     * The generator of held-out block {@code block}: a split generator, whose increment differs
     * from that of every training generator ({@link Network#dataRandom}), so no held-out sequence
     * is a shifted copy of a training stream.
     */
    public static SplittableRandom heldOutRandom(long seed, long block) {
        return new SplittableRandom(seed * 0xD1B54A32D192ED03L + block * 0x8CB92BA72F3D8DD7L + 0x2545F4914F6CDD1DL)
                .split();
    }

    /** The rule this evaluator judges by: the task's, with the settings' required fraction if given. */
    public SuccessCriterion criterion(Task task) {
        SuccessCriterion c = task.successCriterion();
        if (!c.defined() || Double.isNaN(settings.required())) {
            return c;
        }
        return c.requiring(
                settings.required(),
                c.source() + "; this study requires " + Math.round(100 * settings.required()) + "% of sequences");
    }

    @Override
    public Evaluation evaluate(Network network, Task task) {
        if (scratch == null) {
            scratch = Network.create(network.config().withThreads(1), task, network.plugins());
        }
        scratch.model().params().copyFrom(network.model().params());
        BpttTrainer trainer = scratch.trainer();
        SuccessCriterion rule = criterion(task);
        // A fixed held-out set is evaluated without replacement: each of its sequences once, at most.
        long fixed = task.heldOutSequences();
        int wanted = fixed > 0 ? (int) Math.min(settings.sequences(), fixed) : settings.sequences();
        int blocks = (int) ((wanted + (long) BLOCK - 1) / BLOCK);
        if (batch == null) {
            batch = task.newBatch(BLOCK);
        }
        int out = scratch.outputSize();
        double lossSum = 0;
        double squaredError = 0;
        long lossRows = 0;
        long hits = 0;
        long correctSequences = 0;
        long sequences = 0;
        double sequenceMeanSum = 0;
        double sequenceMeanSquares = 0;
        for (int k = 0; k < blocks; k++) {
            task.fillHeldOut(batch, (long) k * BLOCK, heldOutRandom(settings.seed(), k));
            trainer.forward(batch);
            float[] o = trainer.outputs();
            double[] rowLoss = trainer.rowLosses();
            Targets targets = batch.targets();
            int nb = batch.batch();
            // The last block counts only the sequences asked for; every block is drawn whole.
            int counted = Math.min(BLOCK, wanted - k * BLOCK);
            for (int b = 0; b < counted; b++) {
                boolean ok = true;
                double sequenceLoss = 0;
                int sequenceRows = 0;
                for (int t = 0; t < batch.steps(); t++) {
                    if (!batch.carriesLoss(t, b)) {
                        continue;
                    }
                    int row = t * nb + b;
                    lossSum += rowLoss[row];
                    lossRows++;
                    sequenceLoss += rowLoss[row];
                    sequenceRows++;
                    if (targets.isClasses()) {
                        boolean hit = argMaxIs(o, row * out, out, targets.classes()[row]);
                        hits += hit ? 1 : 0;
                        ok &= hit;
                    } else {
                        float[] y = targets.values();
                        for (int j = 0; j < out; j++) {
                            double d = (double) o[row * out + j] - y[row * out + j];
                            squaredError += d * d;
                            // NaN fails the comparison: a non-finite output is never correct.
                            ok &= Math.abs(d) < rule.tolerance() || Double.isNaN(rule.tolerance());
                        }
                    }
                }
                correctSequences += ok ? 1 : 0;
                sequences++;
                double mean = sequenceRows == 0 ? 0 : sequenceLoss / sequenceRows;
                sequenceMeanSum += mean;
                sequenceMeanSquares += mean * mean;
            }
        }
        Map<String, Double> m = new LinkedHashMap<>();
        double perStep = lossSum / lossRows;
        boolean stepMean = network.config().lossMean() == LossMean.STEP;
        m.put("loss", stepMean ? perStep : lossSum / sequences);
        m.put("loss_per_step", perStep);
        Targets targets = batch.targets();
        if (!targets.isClasses()) {
            m.put("mse", squaredError / ((double) lossRows * out));
        } else {
            m.put("accuracy", (double) hits / lossRows);
        }
        if (!task.vocabulary().isEmpty()) {
            m.put("nats_per_char", perStep);
            m.put("bits_per_char", perStep / Math.log(2));
            m.put("perplexity", Math.exp(perStep));
            // Every window has T loss steps, so the figure is the mean of the windows' own means.
            double variance = (sequenceMeanSquares - sequenceMeanSum * sequenceMeanSum / sequences) / (sequences - 1);
            m.put(
                    "bits_per_char_se",
                    sequences < 2 ? Double.NaN : Math.sqrt(Math.max(0, variance) / sequences) / Math.log(2));
            if (settings.streamSegments() > 0 && StreamedEvaluator.applies(network, task)) {
                if (stream == null) {
                    stream = new StreamedEvaluator(settings.streamSegments());
                }
                StreamedEvaluator.Result r = stream.measure(network, task);
                m.put("stream_bits_per_char", r.bitsPerStep());
                m.put("stream_bits_per_char_se", r.bitsPerStepError());
                m.put("stream_segments", (double) r.segments());
            }
        }
        if (rule.defined()) {
            double correct = (double) correctSequences / sequences;
            m.put("correct", correct);
            // At least ⌈required·N⌉ sequences, counted in whole sequences so that 1.0 means every one.
            long needed = (long) Math.ceil(rule.requiredFraction() * sequences - 1e-9);
            m.put("success", correctSequences >= needed && Double.isFinite(perStep) ? 1.0 : 0.0);
        }
        m.put("sequences", (double) sequences);
        return new Evaluation(network.iteration(), m);
    }

    /** Whether no class scores above {@code target} (ties go to the lowest index, as an arg-max would). */
    static boolean argMaxIs(float[] o, int base, int width, int target) {
        float v = o[base + target];
        for (int j = 0; j < width; j++) {
            float u = o[base + j];
            if (!(u < v || (u == v && j >= target))) {
                return false;
            }
        }
        return true;
    }
}
