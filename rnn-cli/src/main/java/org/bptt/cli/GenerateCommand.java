package org.bptt.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import org.bptt.api.data.Batch;
import org.bptt.api.data.Targets;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.cli.train.SavedModel;
import org.bptt.training.BpttTrainer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rnn generate CHECKPOINT}: samples text from a character language model. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Sample text from a model trained on the text task (character language model).")
public final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "CHECKPOINT", description = "A checkpoint.bin, or a run folder holding one.")
    Path checkpoint;

    @Option(names = "--length", defaultValue = "300", description = "Characters to generate (default ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--temperature", defaultValue = "0.8", description = "Softmax temperature > 0; lower is more conservative (default ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--prime", defaultValue = "", description = "Text to start from (its characters must be in the vocabulary).")
    String prime;

    @Option(names = "--seed", defaultValue = "1", description = "Sampling seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        if (length < 1) {
            throw new ConfigurationException("--length must be at least 1, got " + length);
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new ConfigurationException("--temperature must be a number greater than 0, got " + temperature);
        }
        SavedModel m = SavedModel.open(checkpoint, false);
        List<String> vocab = m.checkpoint().vocabulary();
        if (vocab.isEmpty()) {
            throw new ConfigurationException(m.file() + " was not trained on the text task; generate needs a character model "
                    + "(train it with: rnn train --task text [--text FILE])");
        }
        BpttTrainer trainer = m.trainer();
        int v = vocab.size();
        int hid = trainer.model().hiddenSize();
        float[] x = new float[v];
        float[] h = new float[hid];
        Batch step = new Batch(1, 1, v, x, Targets.classes(new int[1]), new boolean[1], h);
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder text = new StringBuilder(prime);
        int current = prime.isEmpty() ? random.nextInt(v) : -1;
        if (prime.isEmpty()) {
            text.append(vocab.get(current));
        }
        // Feed the prime (or the random first symbol), one step at a time, carrying the state.
        int[] feed = prime.codePoints().map(cp -> indexOf(vocab, cp)).toArray();
        if (feed.length == 0) {
            feed = new int[] {current};
        }
        float[] probs = new float[v];
        for (int i = 0; i < feed.length + length - 1; i++) {
            int symbol = i < feed.length ? feed[i] : current;
            java.util.Arrays.fill(x, 0f);
            x[symbol] = 1f;
            trainer.forward(step);
            System.arraycopy(trainer.states(), hid, h, 0, hid);
            if (i >= feed.length - 1) {
                current = sample(trainer.outputs(), v, probs, random);
                text.append(vocab.get(current));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(text);
        return 0;
    }

    private static int indexOf(List<String> vocab, int codePoint) {
        int i = vocab.indexOf(new String(Character.toChars(codePoint)));
        if (i < 0) {
            throw new ConfigurationException("--prime contains '" + new String(Character.toChars(codePoint))
                    + "', which the model's vocabulary does not have");
        }
        return i;
    }

    private int sample(float[] logits, int v, float[] probs, SplittableRandom random) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < v; j++) {
            max = Math.max(max, logits[j] / temperature);
        }
        double sum = 0;
        for (int j = 0; j < v; j++) {
            probs[j] = (float) Math.exp(logits[j] / temperature - max);
            sum += probs[j];
        }
        double u = random.nextDouble() * sum;
        for (int j = 0; j < v; j++) {
            u -= probs[j];
            if (u <= 0) {
                return j;
            }
        }
        return v - 1;
    }
}
