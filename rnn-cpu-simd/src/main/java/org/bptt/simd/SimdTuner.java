package org.bptt.simd;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.bptt.api.kernel.Kernels;
import org.bptt.simd.internal.FmaPeak;
import org.bptt.simd.internal.PairedTiming;
import org.bptt.simd.internal.SimdSupport;
import org.bptt.simd.internal.StepSuite;

/**
 * A short measured search over {@link SimdSettings}, as ATLAS and FFTW's planner do: each knob
 * in turn, every candidate value is timed against the best so far on synthetic training steps
 * ({@code StepSuite}: the kernel calls of the reference workloads' steps), interleaved in this
 * process ({@code PairedTiming}), and taken only when clearly faster — by {@code margin} over
 * the workloads' geometric mean, and slower on none by more than the noise allowance — in two
 * trials one after the other (the recorded ratios are the less favourable of the two). GEMM
 * knobs are judged on one thread, the thread thresholds on {@code threads}. Finally the choice
 * is timed once more against the defaults, on the same suites and on the caller's own
 * workloads (whole training steps, say); unless it is clearly faster there too, the defaults
 * are kept. So a tuned choice is never slower than the defaults, as far as this machine can
 * measure; and whatever it is, results are the same bits.
 *
 * <p>Needs the Vector API ({@link SimdKernelsProvider#vectorApiPresent}).
 */
public final class SimdTuner {
    private SimdTuner() {}

    /** A workload the final check times: given a backend, one unit of work to repeat (a training step). */
    public record Workload(String name, Function<Kernels, Runnable> factory) {
        public Workload {
            requireNonNull(name, "name is null");
            requireNonNull(factory, "factory is null");
        }

        /** One workload per entry of {@code factories} (name to factory), in its order. */
        public static List<Workload> all(Map<String, Function<Kernels, Runnable>> factories) {
            List<Workload> w = new ArrayList<>();
            factories.forEach((name, factory) -> w.add(new Workload(name, factory)));
            return w;
        }
    }

    /**
     * How to search.
     *
     * @param threads    threads the thread thresholds are tuned for (1: they are not searched)
     * @param margin     how much faster a candidate must be (0.03: 3 %) to be taken
     * @param allowance  how much slower than its rival a chosen setting may be on any single workload (noise)
     * @param rounds     timed pairs per workload and trial (the fastest of each way decides)
     * @param checks     whole workloads the final check times besides the synthetic steps
     * @param knobs      the knobs searched (names of {@link SimdSettings#candidates()}); the others keep their defaults
     */
    public record Options(
            int threads, double margin, double allowance, int rounds, List<Workload> checks, List<String> knobs) {
        public Options {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, got " + threads);
            }
            if (!(margin >= 0 && margin < 0.5) || !(allowance >= 0 && allowance < 0.5)) {
                throw new IllegalArgumentException(
                        "margin and allowance must be in [0, 0.5), got " + margin + " and " + allowance);
            }
            if (rounds < 3) {
                throw new IllegalArgumentException("rounds must be at least 3, got " + rounds);
            }
            checks = List.copyOf(checks);
            knobs = List.copyOf(knobs);
            for (String k : knobs) {
                if (!SimdSettings.candidates().containsKey(k)) {
                    throw new IllegalArgumentException("unknown knob '" + k + "'; known: "
                            + SimdSettings.candidates().keySet());
                }
            }
        }

        /** Every knob, 3 % margin, 2 % allowance, 15 rounds, no extra workloads. */
        public static Options defaults(int threads) {
            return new Options(
                    threads,
                    0.03,
                    0.02,
                    15,
                    List.of(),
                    List.copyOf(SimdSettings.candidates().keySet()));
        }

        /** The machine's processors, at most 4: the threads a training run most often uses. */
        public static int defaultThreads() {
            return Math.min(4, Runtime.getRuntime().availableProcessors());
        }

        /** These options with another margin and number of rounds. */
        public Options withSearch(double m, int r) {
            return new Options(threads, m, allowance, r, checks, knobs);
        }

        public Options withChecks(List<Workload> w) {
            return new Options(threads, margin, allowance, rounds, w, knobs);
        }

        public Options withKnobs(List<String> k) {
            return new Options(threads, margin, allowance, rounds, checks, k);
        }
    }

    /**
     * One candidate timed against the setting it would replace.
     *
     * @param knob      the knob's name
     * @param incumbent its value so far
     * @param candidate the value tried
     * @param threads   threads both ran on
     * @param ratio     candidate time / incumbent time, geometric mean over the workloads
     * @param ratios    the same per workload
     * @param taken     whether the candidate replaced the incumbent
     */
    public record Trial(
            String knob,
            String incumbent,
            String candidate,
            int threads,
            double ratio,
            Map<String, Double> ratios,
            boolean taken) {}

    /**
     * What the search found.
     *
     * @param machine      the machine kind
     * @param defaults     the defaults at this width
     * @param searched     the best setting the search found
     * @param chosen       what is kept: {@code searched} if the final check confirmed it, else the defaults
     * @param trials       every trial, in order
     * @param finalRatios  the final check: searched time / defaults time per workload (synthetic and given)
     * @param finalRatio   their geometric mean
     * @param fmaPeak      one core's FMA peak, GFLOP/s
     * @param seconds      how long the search took
     */
    public record Result(
            SimdTuning.Machine machine,
            SimdSettings defaults,
            SimdSettings searched,
            SimdSettings chosen,
            List<Trial> trials,
            Map<String, Double> finalRatios,
            double finalRatio,
            double fmaPeak,
            double seconds) {
        /** The measurements, as the cache file records them. */
        public Map<String, Object> details() {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put(
                    "method",
                    "coordinate search; each trial interleaves candidate and incumbent in one process "
                            + "(paired rounds, median ratio per workload, geometric mean over workloads)");
            d.put("defaults", defaults.asMap());
            d.put("searched", searched.asMap());
            d.put("kept", chosen.equals(searched) && !searched.equals(defaults) ? "searched" : "defaults");
            List<Object> t = new ArrayList<>();
            for (Trial tr : trials) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("knob", tr.knob());
                m.put("incumbent", tr.incumbent());
                m.put("candidate", tr.candidate());
                m.put("threads", tr.threads());
                m.put("ratio", round(tr.ratio()));
                Map<String, Object> per = new LinkedHashMap<>();
                tr.ratios().forEach((k, v) -> per.put(k, round(v)));
                m.put("ratios", per);
                m.put("taken", tr.taken());
                t.add(m);
            }
            d.put("trials", t);
            Map<String, Object> f = new LinkedHashMap<>();
            finalRatios.forEach((k, v) -> f.put(k, round(v)));
            d.put("final_ratios_searched_over_defaults", f);
            d.put("final_ratio", round(finalRatio));
            d.put("seconds", round(seconds));
            return d;
        }

        /** The result as lines to show: the machine, its FMA peak, the settings, the final check, the time taken. */
        public List<String> summary() {
            List<String> lines = new ArrayList<>();
            lines.add("machine:   " + machine.key());
            lines.add(String.format(Locale.ROOT, "FMA peak:  %.1f GFLOP/s per core", fmaPeak));
            lines.add("defaults:  " + defaults.describe());
            lines.add("searched:  " + searched.describe());
            lines.add("chosen:    " + chosen.describe() + (chosen.equals(defaults) ? " (the defaults)" : ""));
            if (!finalRatios.isEmpty()) {
                Map<String, String> ratios = new LinkedHashMap<>();
                finalRatios.forEach((k, v) -> ratios.put(k, String.format(Locale.ROOT, "%.3f", v)));
                lines.add(String.format(
                        Locale.ROOT,
                        "against the defaults: %.3f of their time over all workloads; %s",
                        finalRatio,
                        ratios));
            }
            lines.add(String.format(Locale.ROOT, "took %.0f s", seconds));
            return lines;
        }
    }

    /**
     * Each timing repeats a workload for about this long: short, so that many of them find the
     * machine quiet (the fastest timing decides), long enough for the clock.
     */
    private static final double TIMING_MILLIS = 4;

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }

    /** Searches; {@code progress} hears one line per trial. */
    public static Result run(Options o, Consumer<String> progress) {
        requireNonNull(o, "options is null");
        requireNonNull(progress, "progress is null");
        if (!SimdKernelsProvider.vectorApiPresent()) {
            throw new IllegalStateException("tuning needs the Vector API (--add-modules jdk.incubator.vector)");
        }
        long t0 = System.nanoTime();
        int bits = SimdSupport.preferredVectorBits();
        SimdTuning.Machine machine = SimdTuning.machine(bits);
        SimdSettings defaults = SimdSettings.defaults(bits);
        progress.accept("machine: " + machine.key());
        double peak = FmaPeak.measure(60);
        progress.accept(String.format(Locale.ROOT, "FMA peak of one core: %.1f GFLOP/s", peak));

        List<Trial> trials = new ArrayList<>();
        SimdSettings best = defaults;
        // The thread thresholds are timed on o.threads(); every other knob is a GEMM's, timed on one.
        List<String> threadKnobs = List.of("parallel_flops", "split_weight_bytes");
        for (String knob : SimdSettings.candidates().keySet()) {
            boolean threaded = threadKnobs.contains(knob);
            if (!o.knobs().contains(knob)) {
                continue;
            }
            int threads = threaded ? o.threads() : 1;
            if (threaded && threads < 2) {
                continue;
            }
            for (Object value : SimdSettings.candidates().get(knob)) {
                SimdSettings candidate = best.with(knob, value);
                if (candidate.equals(best)) {
                    continue;
                }
                PairedTiming.Outcome out = compareSuites(best, candidate, threads, o.rounds());
                boolean taken = clearlyFaster(out, o);
                if (taken) {
                    // A second, independent trial must agree: one lucky or unlucky spell of a busy machine
                    // (or of the JIT) must not decide.
                    PairedTiming.Outcome again = compareSuites(best, candidate, threads, o.rounds());
                    taken = clearlyFaster(again, o);
                    out = worse(out, again);
                }
                trials.add(new Trial(
                        knob,
                        String.valueOf(show(best.get(knob))),
                        String.valueOf(show(value)),
                        threads,
                        out.ratio(),
                        out.ratios(),
                        taken));
                progress.accept(String.format(
                        Locale.ROOT,
                        "%-18s %-8s against %-8s %s  %s",
                        knob,
                        show(value),
                        show(best.get(knob)),
                        describe(out),
                        taken ? "taken" : "kept"));
                if (taken) {
                    best = candidate;
                }
            }
        }

        SimdSettings chosen = defaults;
        Map<String, Double> finalRatios = new LinkedHashMap<>();
        double finalRatio = 1;
        if (!best.equals(defaults)) {
            progress.accept("final check: " + best.describe() + " against the defaults");
            PairedTiming.Outcome synthetic = compareSuites(defaults, best, 1, o.rounds() + 6);
            finalRatios.putAll(prefix(synthetic.ratios(), "1 thread "));
            double logs = Math.log(synthetic.ratio());
            int groups = 1;
            boolean ok = clearlyFaster(synthetic, o);
            if (o.threads() > 1) {
                PairedTiming.Outcome threaded = compareSuites(defaults, best, o.threads(), o.rounds() + 6);
                finalRatios.putAll(prefix(threaded.ratios(), o.threads() + " threads "));
                logs += Math.log(threaded.ratio());
                groups++;
                ok &= notSlower(threaded, o);
            }
            if (!o.checks().isEmpty()) {
                PairedTiming.Outcome given = compareWorkloads(defaults, best, o.checks(), o.threads(), o.rounds() + 6);
                finalRatios.putAll(given.ratios());
                logs += Math.log(given.ratio());
                groups++;
                ok &= notSlower(given, o);
            }
            finalRatio = Math.exp(logs / groups);
            progress.accept(String.format(
                    Locale.ROOT,
                    "final check: %.3f of the defaults' time (%s) → %s",
                    finalRatio,
                    describeRatios(finalRatios),
                    ok ? "tuned settings kept" : "defaults kept"));
            if (ok) {
                chosen = best;
            }
        } else {
            progress.accept("no candidate was clearly faster than the defaults: defaults kept");
        }
        return new Result(
                machine, defaults, best, chosen, trials, finalRatios, finalRatio, peak, (System.nanoTime() - t0) / 1e9);
    }

    /** Writes the result to this machine's cache file; returns what was written. */
    public static SimdTuning.Stored save(Result r) throws IOException {
        SimdTuning.Stored s = new SimdTuning.Stored(
                r.machine(),
                r.chosen(),
                r.fmaPeak(),
                Runtime.version().toString(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                r.details());
        SimdTuning.write(SimdTuning.file(r.machine()), s);
        return s;
    }

    /** One core's FMA peak at the preferred width, GFLOP/s, measured for about {@code millis} ms. */
    public static double measureFmaPeak(int millis) {
        if (!SimdKernelsProvider.vectorApiPresent()) {
            throw new IllegalStateException(
                    "the FMA peak is measured with the Vector API (--add-modules jdk.incubator.vector)");
        }
        return FmaPeak.measure(millis);
    }

    private static Object show(Object v) {
        return SimdSettings.shown(v);
    }

    private static Map<String, Double> prefix(Map<String, Double> m, String p) {
        Map<String, Double> r = new LinkedHashMap<>();
        m.forEach((k, v) -> r.put(p + k, v));
        return r;
    }

    /** Per workload, the less favourable of two trials' ratios (and their geometric mean). */
    private static PairedTiming.Outcome worse(PairedTiming.Outcome a, PairedTiming.Outcome b) {
        Map<String, Double> ratios = new LinkedHashMap<>();
        double logs = 0;
        for (String k : a.ratios().keySet()) {
            double r = Math.max(a.ratios().get(k), b.ratios().get(k));
            ratios.put(k, r);
            logs += Math.log(r);
        }
        Map<String, Double> wins = new LinkedHashMap<>();
        a.wins().forEach((k, v) -> wins.put(k, Math.min(v, b.wins().get(k))));
        return new PairedTiming.Outcome(Math.exp(logs / ratios.size()), ratios, wins);
    }

    private static boolean clearlyFaster(PairedTiming.Outcome out, Options o) {
        return out.ratio() <= 1 - o.margin() && notSlower(out, o);
    }

    private static boolean notSlower(PairedTiming.Outcome out, Options o) {
        return out.ratios().values().stream().allMatch(r -> r <= 1 + o.allowance());
    }

    private static String describe(PairedTiming.Outcome out) {
        return String.format(Locale.ROOT, "%.3f (%s)", out.ratio(), describeRatios(out.ratios()));
    }

    private static String describeRatios(Map<String, Double> m) {
        StringBuilder s = new StringBuilder();
        m.forEach((k, v) -> s.append(s.isEmpty() ? "" : ", ").append(k).append(String.format(Locale.ROOT, " %.3f", v)));
        return s.toString();
    }

    /**
     * Backends made so far, by threads and settings: each multi-threaded one starts worker
     * threads that live as long as the process, so a search makes each at most once.
     */
    private static final Map<String, Kernels> BACKENDS = new java.util.concurrent.ConcurrentHashMap<>();

    private static Kernels backend(int threads, SimdSettings s) {
        return BACKENDS.computeIfAbsent(threads + " " + s, key -> SimdSupport.create(threads, s));
    }

    private static PairedTiming.Outcome compareSuites(SimdSettings a, SimdSettings b, int threads, int rounds) {
        Kernels ka = backend(threads, a);
        Kernels kb = backend(threads, b);
        List<String> names = new ArrayList<>();
        List<Runnable> ra = new ArrayList<>();
        List<Runnable> rb = new ArrayList<>();
        for (StepSuite.Shape s : StepSuite.referenceShapes()) {
            names.add(s.name());
            // Both on the same arrays: their placement in memory must not decide (StepSuite).
            StepSuite.Operands shared = new StepSuite.Operands(
                    s, Math.max(ka.packedSize(s.hidden(), s.hidden()), kb.packedSize(s.hidden(), s.hidden())));
            ra.add(new StepSuite(ka, shared));
            rb.add(new StepSuite(kb, shared));
        }
        return PairedTiming.compare(names, ra, rb, rounds, TIMING_MILLIS);
    }

    private static PairedTiming.Outcome compareWorkloads(
            SimdSettings a, SimdSettings b, List<Workload> w, int threads, int rounds) {
        List<String> names = new ArrayList<>();
        List<Runnable> ra = new ArrayList<>();
        List<Runnable> rb = new ArrayList<>();
        for (Workload x : w) {
            for (int t : threads > 1 ? new int[] {1, threads} : new int[] {1}) {
                names.add(x.name() + (t > 1 ? " " + t + " threads" : ""));
                ra.add(x.factory().apply(backend(t, a)));
                rb.add(x.factory().apply(backend(t, b)));
            }
        }
        return PairedTiming.compare(names, ra, rb, rounds, TIMING_MILLIS);
    }
}
