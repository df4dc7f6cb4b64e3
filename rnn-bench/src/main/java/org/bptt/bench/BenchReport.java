package org.bptt.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.bptt.simd.SimdKernelsProvider;
import org.bptt.simd.SimdTuner;
import org.bptt.simd.SimdTuning;
import org.bptt.training.bench.ReferenceStep;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the JMH benchmarks and prints their figures as docs/performance.md's tables: time,
 * GFLOP/s and the fraction of the machine's measured peak (one core's FMA peak from a
 * register-only loop, times the threads), under a header naming the CPU, the vector width, the
 * JDK, the kernel settings in use and the load average before and after.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp rnn-bench/target/benchmarks.jar org.bptt.bench.BenchReport \
 *     [--kernels] [--steps] [--threads 1,2] [--quick] [--jvm "-XX:UseAVX=2 -XX:MaxVectorSize=32"]
 * </pre>
 * Without --kernels or --steps, both. --jvm adds flags to the forks and the peak probe (a
 * narrower vector width, say). --quick: fewer and shorter iterations.
 */
public final class BenchReport {
    private BenchReport() {}

    public static void main(String[] args) throws RunnerException, IOException, InterruptedException {
        if (args.length > 0 && args[0].equals("--probe")) {
            int bits = SimdKernelsProvider.preferredVectorBits();
            SimdTuning.Active a = SimdTuning.active(bits);
            System.out.println("settings " + a.settings().describe() + " — " + a.source());
            System.out.printf(Locale.ROOT, "peak %.3f bits %d%n", SimdTuner.measureFmaPeak(100), bits);
            return;
        }
        boolean kernels = false, steps = false, quick = false;
        String threads = "1,2";
        List<String> extra = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--kernels" -> kernels = true;
                case "--steps" -> steps = true;
                case "--quick" -> quick = true;
                case "--threads" -> threads = args[++i];
                case "--jvm" -> extra.addAll(Arrays.asList(args[++i].trim().split("\\s+")));
                default -> {
                    System.err.println("BenchReport: unknown option '" + args[i]
                            + "'; accepted: --kernels, --steps, --threads LIST, " + "--quick, --jvm FLAGS");
                    System.exit(2);
                }
            }
        }
        if (!kernels && !steps) {
            kernels = steps = true;
        }
        double load0 = load();
        List<String> probe = probe(extra);
        String[] last = probe.get(probe.size() - 1).split(" ");
        double peak = Double.parseDouble(last[1]);
        int bits = Integer.parseInt(last[3]);
        String settings = probe.stream()
                .filter(l -> l.startsWith("settings "))
                .findFirst()
                .orElse("settings ?")
                .substring(9);
        List<String> forkArgs = new ArrayList<>(BenchMain.forkOptions());
        forkArgs.addAll(extra);

        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "CPU: %s; %d-bit vectors%s; JDK %s; %s%n",
                SimdTuning.cpuModel(),
                bits,
                extra.isEmpty() ? "" : " (" + String.join(" ", extra) + ")",
                Runtime.version(),
                LocalDate.now()));
        out.append(String.format(Locale.ROOT, "one core's FMA peak (register-only loop): %.1f GFLOP/s%n", peak));
        out.append("kernel settings: ").append(settings).append('\n');

        if (kernels) {
            ChainedOptionsBuilder o =
                    base(forkArgs, quick).include(KernelsBenchmark.class.getSimpleName() + "\\.mult.*Simd");
            Collection<RunResult> rs = new Runner(o.build()).run();
            out.append("\n| m×n×k | C += A·Bᵀ | C += A·B | packed B | C += Aᵀ·B |\n| --- | --- | --- | --- | --- |\n");
            for (String shape : shapes(rs)) {
                String[] p = shape.split("x");
                double flops = 2.0 * Long.parseLong(p[0]) * Long.parseLong(p[1]) * Long.parseLong(p[2]);
                out.append("| ").append(shape);
                for (String m : List.of("multAddTransBSimd", "multAddSimd", "multAddPackedSimd", "multAddTransASimd")) {
                    RunResult r = find(rs, m, "shape", shape);
                    if (r == null) {
                        out.append(" | –");
                        continue;
                    }
                    double us = r.getPrimaryResult().getScore();
                    double gflops = flops / (us * 1e3);
                    out.append(String.format(
                            Locale.ROOT, " | %.1f µs, %.0f GFLOP/s (%.0f%%)", us, gflops, 100 * gflops / peak));
                }
                out.append(" |\n");
            }
        }
        if (steps) {
            ChainedOptionsBuilder o = base(forkArgs, quick)
                    .include(TrainingStepBenchmark.class.getSimpleName())
                    .param("backend", "simd")
                    .param("threads", threads.split(","));
            Collection<RunResult> rs = new Runner(o.build()).run();
            out.append("\n| workload | threads | ms per step | GFLOP/s | of peak |\n| --- | --- | --- | --- | --- |\n");
            for (RunResult r : rs) {
                String w = r.getParams().getParam("workload");
                int t = Integer.parseInt(r.getParams().getParam("threads"));
                double ms = r.getPrimaryResult().getScore();
                double gflops = ReferenceStep.Workload.named(w).stepFlops() / (ms * 1e6);
                out.append(String.format(
                        Locale.ROOT,
                        "| %s | %d | %.3f ± %.3f | %.0f | %.0f%% |%n",
                        w,
                        t,
                        ms,
                        r.getPrimaryResult().getScoreError(),
                        gflops,
                        100 * gflops / (peak * t)));
            }
        }
        out.append(String.format(Locale.ROOT, "%nload average: %.2f before, %.2f after%n", load0, load()));
        System.out.print(out);
    }

    private static ChainedOptionsBuilder base(List<String> forkArgs, boolean quick) {
        ChainedOptionsBuilder o = new OptionsBuilder()
                .jvmArgsAppend(forkArgs.toArray(String[]::new))
                .forks(1);
        if (quick) {
            o.warmupIterations(2)
                    .warmupTime(org.openjdk.jmh.runner.options.TimeValue.seconds(1))
                    .measurementIterations(3)
                    .measurementTime(org.openjdk.jmh.runner.options.TimeValue.seconds(1));
        }
        return o;
    }

    private static List<String> shapes(Collection<RunResult> rs) {
        List<String> s = new ArrayList<>();
        for (RunResult r : rs) {
            String shape = r.getParams().getParam("shape");
            if (shape != null && !s.contains(shape)) {
                s.add(shape);
            }
        }
        return s;
    }

    private static RunResult find(Collection<RunResult> rs, String method, String param, String value) {
        for (RunResult r : rs) {
            if (r.getParams().getBenchmark().endsWith("." + method)
                    && value.equals(r.getParams().getParam(param))) {
                return r;
            }
        }
        return null;
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** The kernel settings, FMA peak and vector width of a JVM started with the forks' flags: its lines. */
    private static List<String> probe(List<String> extra) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.vector"));
        cmd.addAll(extra);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchReport.class.getName(), "--probe"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String outText = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the peak probe failed:\n" + outText);
        }
        return outText.strip()
                .lines()
                .filter(l -> l.startsWith("settings ") || l.startsWith("peak "))
                .toList();
    }
}
