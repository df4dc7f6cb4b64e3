package org.bptt.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.Network;
import org.bptt.training.config.RunFailure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rnn generate CHECKPOINT}: samples text from a character language model. */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = "Sample text from a model trained on the text task (character language model).")
public final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "CHECKPOINT", description = "A checkpoint.bin, or a run folder holding one.")
    Path checkpoint;

    @Option(
            names = "--length",
            defaultValue = "300",
            description = "Characters to generate (default ${DEFAULT-VALUE}).")
    int length;

    @Option(
            names = "--temperature",
            defaultValue = "0.8",
            description = "Softmax temperature > 0; lower is more conservative (default ${DEFAULT-VALUE}).")
    double temperature;

    @Option(
            names = "--prime",
            defaultValue = "",
            description = "Text to start from (its characters must be in the vocabulary).")
    String prime;

    @Option(names = "--seed", defaultValue = "1", description = "Sampling seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    PluginPathOption pluginPath;

    /** Far beyond any use, and a bound on a mistyped length (the text streams out, nothing is buffered). */
    static final int MAX_LENGTH = 100_000_000;

    @Override
    public Integer call() {
        if (length < 1 || length > MAX_LENGTH) {
            throw new ConfigurationException("--length must be between 1 and " + MAX_LENGTH + ", got " + length);
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new ConfigurationException("--temperature must be a number greater than 0, got " + temperature);
        }
        Network net = Network.load(checkpoint, pluginPath.plugins());
        List<String> vocab = net.vocabulary();
        if (vocab.isEmpty()) {
            throw new ConfigurationException(
                    checkpoint + " was not trained on the text task; generate needs a character model "
                            + "(train it with: " + Main.typed("train --task text [--text FILE]") + ")");
        }
        int v = vocab.size();
        int[] feed = prime.codePoints().map(cp -> indexOf(vocab, cp)).toArray();
        PrintWriter out = spec.commandLine().getOut();
        SplittableRandom random = new SplittableRandom(seed);
        Network.State state = net.newState();
        float[] x = new float[v];
        float[] probs = new float[v];
        int current;
        if (feed.length == 0) {
            current = random.nextInt(v);
            out.print(vocab.get(current));
            feed = new int[] {current};
        } else {
            out.print(prime);
        }
        // Feed the prime (or the random first symbol) one step at a time, carrying the whole state; then sample.
        float[] logits = null;
        for (int symbol : feed) {
            logits = feedOne(net, state, x, symbol);
        }
        for (int i = 0; i < length; i++) {
            current = sample(logits, v, probs, random);
            out.print(vocab.get(current));
            // checkError flushes; true once the reader is gone (| head) or the output cannot be written.
            if (i % 64 == 63 && out.checkError()) {
                throw new RunFailure(
                        "standard output was closed or cannot be written, so generating stopped after " + (i + 1)
                                + " of " + length + " characters",
                        null);
            }
            if (i + 1 < length) {
                logits = feedOne(net, state, x, current);
            }
        }
        out.println();
        if (out.checkError()) {
            throw new RunFailure(
                    "standard output was closed or cannot be written, so not every character was written", null);
        }
        return 0;
    }

    private static float[] feedOne(Network net, Network.State state, float[] x, int symbol) {
        java.util.Arrays.fill(x, 0f);
        x[symbol] = 1f;
        return net.step(x, state);
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
