package org.bptt.examples.gated;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.bptt.api.data.Batch;
import org.bptt.api.data.Targets;

/**
 * One gated reference case of the repository's {@code golden/gated/} (format:
 * golden/README.md, "Gated cells"), read into the shapes the trainer uses.
 */
final class GoldenCase {
    /** The six parameters in the order the README lists them (and trajectories update them). */
    static final List<String> PARAMS = List.of("weight_ih", "weight_hh", "bias_ih", "bias_hh", "V", "c");

    final String file;
    final Map<String, Object> root;
    final String cell;
    final String loss;
    final int in;
    final int hid;
    final int out;
    final int steps;
    final int batchSize;
    final Batch batch;

    /** The folder of gated cases: the surefire property, else two folders up from the project. */
    static Path folder() {
        String dir = System.getProperty("golden.dir");
        Path base = dir != null ? Path.of(dir) : Path.of("..", "..", "golden");
        return base.resolve("gated");
    }

    static List<Path> files() {
        try (Stream<Path> s = Files.list(folder())) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the reference cases in " + folder().toAbsolutePath(), e);
        }
    }

    @SuppressWarnings("unchecked")
    GoldenCase(Path path) {
        this.file = path.getFileName().toString();
        try {
            this.root = (Map<String, Object>) Json.parse(Files.readString(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.cell = (String) root.get("cell");
        this.loss = (String) root.get("loss");
        Map<String, Object> sizes = map(root, "sizes");
        in = integer(sizes.get("input"));
        hid = integer(sizes.get("hidden"));
        out = integer(sizes.get("output"));
        steps = integer(sizes.get("steps"));
        batchSize = integer(sizes.get("batch"));
        int width = cell.equals("lstm") ? 2 * hid : hid;
        boolean[] lossSteps = new boolean[steps];
        for (Object t : (List<Object>) root.get("loss_steps")) {
            lossSteps[integer(t)] = true;
        }
        List<Object> seqs = (List<Object>) root.get("batch");
        float[] x = new float[steps * batchSize * in];
        float[] h0 = new float[batchSize * width];
        int[] classes = loss.equals("ce") ? new int[steps * batchSize] : null;
        float[] values = loss.equals("mse") ? new float[steps * batchSize * out] : null;
        for (int b = 0; b < batchSize; b++) {
            Map<String, Object> s = (Map<String, Object>) seqs.get(b);
            double[] xs = flat(s.get("x"), steps * in);
            for (int t = 0; t < steps; t++) {
                for (int i = 0; i < in; i++) {
                    x[(t * batchSize + b) * in + i] = (float) xs[t * in + i];
                }
            }
            // The whole state row [h0, c0] of each sequence (c0 only for the LSTM).
            if (s.get("h0") != null) {
                double[] h = flat(s.get("h0"), hid);
                for (int j = 0; j < hid; j++) {
                    h0[b * width + j] = (float) h[j];
                }
            }
            if (cell.equals("lstm") && s.get("c0") != null) {
                double[] c = flat(s.get("c0"), hid);
                for (int j = 0; j < hid; j++) {
                    h0[b * width + hid + j] = (float) c[j];
                }
            }
            if (classes != null) {
                double[] tg = flat(s.get("targets"), steps);
                for (int t = 0; t < steps; t++) {
                    classes[t * batchSize + b] = (int) tg[t];
                }
            } else {
                double[] tv = flat(s.get("targets"), steps * out);
                for (int t = 0; t < steps; t++) {
                    for (int j = 0; j < out; j++) {
                        values[(t * batchSize + b) * out + j] = (float) tv[t * out + j];
                    }
                }
            }
        }
        Targets targets = classes != null ? Targets.classes(classes) : Targets.vectors(values, out);
        batch = new Batch(batchSize, steps, in, x, targets, lossSteps, h0);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Map)) {
            throw new IllegalArgumentException("field '" + key + "' is not an object");
        }
        return (Map<String, Object>) v;
    }

    static int integer(Object v) {
        double d = (Double) v;
        if (d != Math.rint(d)) {
            throw new IllegalArgumentException("not a whole number: " + d);
        }
        return (int) d;
    }

    /** A nested list of numbers, flattened row-major; its size must be {@code expected}. */
    static double[] flat(Object v, int expected) {
        List<Double> acc = new ArrayList<>();
        flatten(v, acc);
        if (acc.size() != expected) {
            throw new IllegalArgumentException("expected " + expected + " numbers, found " + acc.size());
        }
        double[] d = new double[acc.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = acc.get(i);
        }
        return d;
    }

    private static void flatten(Object v, List<Double> acc) {
        if (v instanceof List<?> l) {
            for (Object o : l) {
                flatten(o, acc);
            }
        } else if (v instanceof Double d) {
            acc.add(d);
        } else {
            throw new IllegalArgumentException("not a number: " + v);
        }
    }

    /** Number of floats of each parameter. */
    int size(String param) {
        int g = cell.equals("lstm") ? 4 : 3;
        return switch (param) {
            case "weight_ih" -> g * hid * in;
            case "weight_hh" -> g * hid * hid;
            case "bias_ih", "bias_hh" -> g * hid;
            case "V" -> out * hid;
            case "c" -> out;
            default -> throw new IllegalArgumentException(param);
        };
    }
}
