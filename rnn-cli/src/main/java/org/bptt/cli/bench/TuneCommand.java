package org.bptt.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
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
            completionCandidates = SimdSettings.KnobNames.class,
            description = "Search only these knobs (default: all): ${COMPLETION-CANDIDATES}.")
    List<String> only;

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
        int n = threads != null ? threads : SimdTuner.Options.defaultThreads();
        if (n < 1) {
            throw new ConfigurationException("--threads must be at least 1, got " + n);
        }
        if (only != null) {
            SimdSettings.requireKnobs(only, "--only");
        }
        SimdTuner.Options options = SimdTuner.Options.defaults(n)
                .withSearch(margin, rounds)
                .withChecks(noCheck ? List.of() : SimdTuner.Workload.all(ReferenceStep.tuningChecks()))
                .withKnobs(only == null ? List.copyOf(SimdSettings.candidates().keySet()) : only);
        err.println("rnn tune: measuring on " + machine.key() + " (" + n
                + " thread(s) for the thread thresholds); this takes two or three minutes");
        err.flush();
        SimdTuner.Result r = SimdTuner.run(options, line -> {
            err.println("  " + line);
            err.flush();
        });
        r.summary().forEach(out::println);
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
