package org.bptt.bench;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bptt.training.FitListener;
import org.bptt.training.Network;

/**
 * Heap used by training on one long stream, stateful against whole sequences. Each case runs in
 * a fresh JVM: a text of T + 1 characters (the embedded excerpt of <i>Alice</i>, repeated) is
 * trained as one stream in chunks of 25 steps (min-char-rnn: H = 128, one-hot input and output,
 * B = 1), one whole pass, the state carried from chunk to chunk; or, for comparison, as one
 * sequence of T steps with full BPTT. Reported: the heap a full collection leaves (what is
 * live), the largest of several taken during training, in MiB.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp rnn-bench/target/benchmarks.jar org.bptt.bench.StatefulMemory [T...]
 * </pre>
 */
public final class StatefulMemory {
    private static final int CHUNK = 25;
    private static final int HIDDEN = 128;

    private StatefulMemory() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            child(Integer.parseInt(args[1]), args[2].equals("stateful"), Path.of(args[3]));
            return;
        }
        List<Integer> lengths = new ArrayList<>();
        for (String a : args) {
            lengths.add(Integer.parseInt(a));
        }
        if (lengths.isEmpty()) {
            lengths = List.of(1_000, 100_000);
        }
        System.out.printf(Locale.ROOT, "%-10s %-10s %14s %10s%n", "T", "mode", "live heap MiB", "seconds");
        double first = Double.NaN;
        for (String mode : List.of("stateful", "whole")) {
            for (int t : lengths) {
                String[] r = run(t, mode).split(" ");
                double mib = Double.parseDouble(r[0]);
                System.out.printf(Locale.ROOT, "%-10d %-10s %14.2f %10s%n", t, mode, mib, r[1]);
                if (mode.equals("stateful")) {
                    if (Double.isNaN(first)) {
                        first = mib;
                    } else {
                        System.out.printf(
                                Locale.ROOT,
                                "           stateful T=%d uses %.1f%% of the heap of T=%d%n",
                                t,
                                100 * mib / first,
                                lengths.get(0));
                    }
                }
            }
        }
    }

    /** Runs one case in a fresh JVM with this JVM's module and JIT flags; returns "MiB seconds". */
    private static String run(int steps, String mode) throws IOException, InterruptedException {
        Path text = Files.createTempFile("stream", ".txt");
        try {
            Files.writeString(text, alice(steps + 1), StandardCharsets.UTF_8);
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (arg.startsWith("--add-modules") || arg.startsWith("-XX:CompileCommand")) {
                    command.add(arg);
                }
            }
            command.addAll(List.of(
                    "-Xmx2g",
                    "-XX:+UseParallelGC",
                    "-cp",
                    System.getProperty("java.class.path"),
                    StatefulMemory.class.getName(),
                    "--child",
                    Integer.toString(steps),
                    mode,
                    text.toString()));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("the " + mode + " case of T=" + steps + " failed:\n" + out);
            }
            String last = out.strip().lines().reduce("", (a, b) -> b);
            return last.substring("heap ".length());
        } finally {
            Files.deleteIfExists(text);
        }
    }

    /** The embedded text repeated to {@code n} characters. */
    static String alice(int n) throws IOException {
        String a;
        try (InputStream in = ClassLoader.getSystemResourceAsStream("org/bptt/plugins/task/alice.txt")) {
            a = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        StringBuilder s = new StringBuilder(n);
        while (s.length() < n) {
            s.append(a, 0, Math.min(a.length(), n - s.length()));
        }
        return s.toString();
    }

    /** Bytes in the heap right after the last collection: what it kept alive. */
    private static long liveHeap() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                used += pool.getCollectionUsage().getUsed();
            }
        }
        return used;
    }

    private static void child(int steps, boolean stateful, Path text) throws IOException {
        int t = stateful ? CHUNK : steps;
        Network net = Network.builder()
                .task("text", "text", text.toString(), "steps", Integer.toString(t))
                .hidden(HIDDEN)
                .batch(1)
                .optimizer("adagrad", "lr", "0.1")
                .policy("clip-value", "value", "5")
                .stateful(stateful)
                .checkpointEvery(0)
                .diagnosticsEvery(Long.MAX_VALUE)
                .build();
        long iterations = stateful ? steps / CHUNK : 2;
        long samples = 8;
        long[] live = {0};
        long t0 = System.nanoTime();
        FitListener probe = new FitListener() {
            @Override
            public void onIteration(Network n, org.bptt.training.IterationMetrics m) {
                if (m.iteration() % Math.max(1, iterations / samples) == 0 || m.iteration() == iterations - 1) {
                    System.gc();
                    live[0] = Math.max(live[0], liveHeap());
                }
            }
        };
        net.fit(iterations, probe);
        System.out.printf(Locale.ROOT, "heap %.3f %.1f%n", live[0] / 1048576.0, (System.nanoTime() - t0) / 1e9);
    }
}
