package org.bptt.training;

import java.util.List;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.config.RunConfig;
import org.bptt.training.plugin.PluginFailure;
import org.bptt.training.plugin.PluginFamily;
import org.bptt.training.plugin.Plugins;

/**
 * What training a network takes in memory, estimated from the sizes before anything is
 * allocated, so that a model that cannot fit is refused with the numbers instead of an
 * OutOfMemoryError halfway through building it. Counts, in 4-byte floats: the parameters
 * about seven times (values, gradients, two optimizer slots, a window sum, the checkpoint's
 * copy and its buffer), each square recurrent matrix three more times (the cell's transposed
 * and packed copies), and the batch's activations (inputs, states and their gradients,
 * outputs and theirs, the cell's pre-activations); plus the spectrum's double-precision
 * decompositions of W (about six H×H matrices); and, for a run that evaluates on held-out
 * data, all of it again for the evaluation's network and its blocks of sequences.
 * Deliberately rough: within a factor of two.
 */
final class MemoryEstimate {
    /** Java's largest array, with the JVM's header words left out. */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private MemoryEstimate() {}

    static long check(Plugins plugins, RunConfig config, int in, int out, int steps, int batch) {
        return check(plugins, config, in, out, steps, batch, 0);
    }

    /** As above, with a held-out evaluation in blocks of {@code evaluationBlock} sequences (0: none). */
    static long check(Plugins plugins, RunConfig config, int in, int out, int steps, int batch, int evaluationBlock) {
        Layers layers = Network.layersOf(config);
        int hidden = config.hidden();
        org.bptt.api.cell.Cell cell = plugins.create(PluginFamily.CELL, config.cell());
        if (!layers.single()) {
            cell = new LayerStack(cell, layers, 0);
        }
        List<org.bptt.api.tensor.ParameterSpec> specs;
        long width;
        try {
            specs = cell.parameters(in, hidden);
            width = cell.stateWidth(hidden);
        } catch (RuntimeException e) {
            throw PluginFailure.attribute(e);
        }
        long params = 0;
        long recurrent = 0;
        for (org.bptt.api.tensor.ParameterSpec p : specs) {
            long n = array(p.name(), (long) p.rows() * p.cols(), p.rows() + "×" + p.cols());
            params += n;
            if (p.role() == org.bptt.api.tensor.ParameterSpec.Role.RECURRENT_WEIGHTS && p.rows() == p.cols()) {
                recurrent += n;
            }
        }
        int readout = cell instanceof LayerStack s ? s.outputWidth(hidden) : hidden;
        params += array("V", (long) out * readout, out + "×" + readout) + out;
        String shape = batch + " sequences of " + steps + " steps";
        long bytes = bytes(params, recurrent, in, out, hidden, layers, width, steps, batch, shape);
        if (evaluationBlock > 0) {
            // Held-out evaluation trains nothing but builds a second network and its own blocks of sequences.
            bytes += bytes(
                    params,
                    recurrent,
                    in,
                    out,
                    hidden,
                    layers,
                    width,
                    steps,
                    evaluationBlock,
                    "the held-out evaluation's blocks of " + evaluationBlock + " sequences of " + steps + " steps");
        }
        long max = Runtime.getRuntime().maxMemory();
        if (bytes > max - (16L << 20)) {
            throw new ConfigurationException("the model needs about " + size(bytes) + " of memory to train"
                    + (evaluationBlock > 0 ? " and evaluate" : "") + " (hidden size " + hidden + ", " + count(params)
                    + " parameters, batches of " + shape
                    + (evaluationBlock > 0 ? ", held-out blocks of " + evaluationBlock : "")
                    + "), more than the " + size(max) + " this JVM may use; choose smaller sizes or give the JVM more "
                    + "memory (java -Xmx)");
        }
        return bytes;
    }

    /** Bytes of one network of {@code params} floats training on {@code batch} sequences ({@code shape}, in words). */
    private static long bytes(
            long params,
            long recurrent,
            int in,
            int out,
            int hidden,
            Layers layers,
            long width,
            int steps,
            int batch,
            String shape) {
        long rows = (long) steps * batch;
        long x = array("the inputs of " + shape, rows * in, null);
        long states = array("the states of " + shape, (steps + 1L) * batch * width, null);
        long outputs = array("the outputs of " + shape, rows * out, null);
        long pre = array("the cell's values of " + shape, rows * hidden * layers.count() * layers.directions(), null);
        long floats = 7 * params + 3 * recurrent + x + 2 * states + 2 * outputs + 2 * pre;
        return 4 * floats + 24 * rows + (recurrent > 0 ? 48L * hidden * hidden : 0);
    }

    private static long array(String what, long n, String shape) {
        if (n > MAX_ARRAY) {
            throw new ConfigurationException((shape != null ? "the parameter " + what + " (" + shape + ")" : what)
                    + " would hold " + count(n) + " values, more than a Java array can hold (" + count(MAX_ARRAY)
                    + "); choose smaller sizes");
        }
        return n;
    }

    static String size(long bytes) {
        return bytes >= 1L << 30
                ? String.format(java.util.Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30))
                : String.format(java.util.Locale.ROOT, "%d MB", Math.max(1, bytes >> 20));
    }

    private static String count(long n) {
        return n >= 1_000_000 && n < 1_000_000_000
                ? String.format(java.util.Locale.ROOT, "%.1f million", n / 1e6)
                : String.format(java.util.Locale.ROOT, "%,d", n);
    }
}
