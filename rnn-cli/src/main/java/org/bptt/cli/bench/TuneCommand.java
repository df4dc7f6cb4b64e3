package org.bptt.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.simd.SimdKernelsProvider;
import org.bptt.simd.SimdSettings;
import org.bptt.simd.SimdTuner;
import org.bptt.simd.SimdTuning;
import org.bptt.training.bench.ReferenceStep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rnn tune}: measures the SIMD kernels' settings on this machine and caches the fastest. */
@Command(
        name = "tune",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Measure the SIMD kernels' settings on this machine and cache the fastest.",
            "As ATLAS and FFTW's planner do, it tries GEMM register tile and K-blocks, and the thresholds that choose",
            "between kernel variants and thread splits. Each candidate is timed against the best",
            "so far on synthetic training steps, interleaved in this process (robust to other load),",
            "and taken only when clearly faster; the result is then timed against the defaults on",
            "the benchmark's training steps, and the defaults are kept unless it is faster there too.",
            "No setting changes results: training gives the same bits whatever is chosen.",
            "Takes two or three minutes. The cache is one JSON file per CPU model and vector width in",
            "$XDG_CACHE_HOME/rnn (else ~/.cache/rnn); every run of rnn reads it; RNN_TUNING=off ignores it.",
            "Exit code 0 on success, 2 on a bad flag or without the Vector API."
        })
public final class TuneCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "Threads the thread thresholds are tuned for (default: the machine's processors, at most 4).")
    Integer threads;

    @Option(
            names = "--only",
            split = ",",
            paramLabel = "KNOB",
            completionCandidates = Knobs.class,
            description = "Search only these knobs (default: all): ${COMPLETION-CANDIDATES}.")
    List<String> only;

    /** The knobs' names, as SimdSettings declares them. */
    public static final class Knobs implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return SimdSettings.candidates().keySet().iterator();
        }
    }

    @Option(
            names = "--rounds",
            defaultValue = "15",
            paramLabel = "N",
            description =
                    "Timed pairs per workload and trial (default: ${DEFAULT-VALUE}); more is steadier and slower.")
    int rounds;

    @Option(
            names = "--margin",
            defaultValue = "0.03",
            paramLabel = "FRACTION",
            description = "How much faster a candidate must be to be taken (default: ${DEFAULT-VALUE}, i.e. 3%%).")
    double margin;

    @Option(
            names = "--no-check",
            description = "Skip the final check on whole training steps (the synthetic steps still decide).")
    boolean noCheck;

    @Option(names = "--dry-run", description = "Measure and print, but leave the cache as it is.")
    boolean dryRun;

    @Option(
            names = "--show",
            description = "Print the settings in use on this machine and where they come from; measure nothing.")
    boolean show;

    @Option(
            names = "--reset",
            description = "Delete this machine's cache file, so that the defaults are used; measure nothing.")
    boolean reset;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!SimdKernelsProvider.vectorApiPresent()) {
            throw new ConfigurationException(
                    "tuning needs the SIMD backend, and this JVM runs without the Vector API; start it "
                            + "with --add-modules jdk.incubator.vector (./rnn does unless RNN_SIMD=off)");
        }
        if (rounds < 3) {
            throw new ConfigurationException("--rounds must be at least 3, got " + rounds);
        }
        if (!(margin >= 0 && margin < 0.5)) {
            throw new ConfigurationException("--margin must be at least 0 and below 0.5, got " + margin);
        }
        int bits = SimdKernelsProvider.preferredVectorBits();
        SimdTuning.Machine machine = SimdTuning.machine(bits);
        Path file = SimdTuning.file(machine);
        if (show || reset) {
            if (reset) {
                out.println(
                        SimdTuning.reset(bits)
                                ? "deleted " + file + "; the kernels use their defaults"
                                : "no cache file " + file);
            }
            SimdTuning.describe(bits).forEach(out::println);
            out.flush();
            return 0;
        }
        int n = threads != null ? threads : Math.min(4, Runtime.getRuntime().availableProcessors());
        if (n < 1) {
            throw new ConfigurationException("--threads must be at least 1, got " + n);
        }
        List<String> knobs = new ArrayList<>(SimdSettings.candidates().keySet());
        if (only != null) {
            for (String k : only) {
                if (!knobs.contains(k)) {
                    throw new ConfigurationException(
                            "--only: unknown knob '" + k + "'; known: " + String.join(", ", knobs));
                }
            }
        }
        List<SimdTuner.Workload> checks = new ArrayList<>();
        if (!noCheck) {
            ReferenceStep.tuningChecks().forEach((name, step) -> checks.add(new SimdTuner.Workload(name, step)));
        }
        SimdTuner.Options options = new SimdTuner.Options(
                n, margin, SimdTuner.Options.defaults(n).allowance(), rounds, checks, only == null ? knobs : only);
        err.println("rnn tune: measuring on " + machine.key() + " (" + n
                + " thread(s) for the thread thresholds); this takes two or three minutes");
        err.flush();
        SimdTuner.Result r = SimdTuner.run(options, line -> {
            err.println("  " + line);
            err.flush();
        });
        out.println("machine:   " + machine.key());
        out.printf(Locale.ROOT, "FMA peak:  %.1f GFLOP/s per core%n", r.fmaPeak());
        out.println("defaults:  " + r.defaults().describe());
        out.println("searched:  " + r.searched().describe());
        out.println("chosen:    " + r.chosen().describe() + (r.chosen().equals(r.defaults()) ? " (the defaults)" : ""));
        if (!r.finalRatios().isEmpty()) {
            Map<String, String> ratios = new LinkedHashMap<>();
            r.finalRatios().forEach((k, v) -> ratios.put(k, String.format(Locale.ROOT, "%.3f", v)));
            out.printf(
                    Locale.ROOT,
                    "against the defaults: %.3f of their time over all workloads; %s%n",
                    r.finalRatio(),
                    ratios);
        }
        out.printf(Locale.ROOT, "took %.0f s%n", r.seconds());
        if (dryRun) {
            out.println("dry run: the cache was not changed (" + file + ")");
        } else {
            SimdTuner.save(r);
            out.println("saved to " + file);
        }
        out.flush();
        return 0;
    }
}
