package org.bptt.testkit.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.bptt.api.cell.Cell;
import org.bptt.api.cell.CellContext;
import org.bptt.api.cell.CellFactory;
import org.bptt.api.cell.CellRunner;
import org.bptt.api.data.Batch;
import org.bptt.api.data.Targets;
import org.bptt.api.kernel.Kernels;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.tensor.ParameterSet;
import org.bptt.api.tensor.ParameterSpec;
import org.bptt.api.tensor.ParameterSpec.Role;
import org.bptt.api.tensor.Tensor;
import org.bptt.api.truncation.Truncation.Window;
import org.bptt.testkit.ContractSettings;
import org.bptt.training.BpttTrainer;
import org.bptt.training.Model;
import org.bptt.training.TrainerSettings;

/**
 * The cell contract: the runner's backward pass is the derivative of its forward pass, over
 * full sequences and over the truncated windows a training run really makes, with the same
 * bits however the work is split; it allocates nothing per step and refuses what it cannot do.
 * Numbers are checked against the kit's own double-precision readout and loss
 * ({@link CellBench}) and finite differences of the cell's forward pass, not against the trainer.
 */
public final class CellSuite {
    public static final String OPTIONS = OptionChecks.NAME;
    public static final String DECLARATION = "declares-parameters-and-state";
    public static final String GRADIENTS = "gradients-match-finite-differences";
    public static final String EVERY_PARAMETER = "every-parameter-is-used";
    public static final String BUFFERS = "adds-gradients-and-writes-only-its-slots";
    public static final String TRUNCATED = "truncated-windows-match-finite-differences";
    public static final String SPLIT_FORWARD = "split-forward-gives-same-bits";
    public static final String THREADS = "thread-counts-give-same-bits";
    public static final String SEQUENCES = "sequences-are-independent";
    public static final String PARAMETER_UPDATES = "sees-parameter-updates";
    public static final String DETERMINISM = "deterministic";
    public static final String INSTANCES = Isolation.NAME;
    public static final String FINITE = "finite-for-moderate-inputs";
    public static final String ALLOCATION = "no-allocation-per-step";
    public static final String BAD_SIZES = "refuses-bad-sizes";
    public static final String PLATFORM = "trains-in-the-platform";

    /**
     * Largest relative L2 error, per parameter and per group of state gradients, between the
     * backward pass and the finite differences, beyond the differences' own noise (next). A
     * wrong derivative (tanh′ = 1 − h instead of 1 − h², a sigmoid′ of σ instead of σ(1 − σ))
     * errs by 1e-2 to 1; backward passes that are right agree to 1e-5 to 4e-5 on the vanilla
     * cell's parameters at the default sizes (2e-4 on the smallest groups that clear the noise),
     * so 1e-3, the reference cases' tolerance (golden/README.md), separates the two.
     */
    static final double TOLERANCE = 1e-3;
    /**
     * The differences are fourth order with step 2^-7 on the cell's float32 forward pass; their
     * noise is the float rounding of the loss divided by the step, absolute and the same for
     * every coordinate of a problem. A group of vanishing gradients (an entering state five
     * ReLU steps back, say) cannot be resolved below it, so each group may also err by this
     * many times the noise σ of one difference, measured per problem from how D(2^-7) and
     * D(2^-8) disagree. A forward pass that is not deterministic would inflate σ; the
     * {@link #DETERMINISM} check fails such a cell.
     */
    static final double NOISE_SIGMAS = 6;
    /**
     * A coordinate is kinked — a ReLU unit changes side within reach of the differences, so
     * they do not estimate the derivative at all — when D(2^-7) and D(2^-8) differ by more
     * than this share of its derivative and by more than {@link #KINK_SIGMAS} times the noise.
     * Smooth coordinates differ by 2e-4 of their size at most. Which coordinates are kinked is
     * decided from the forward pass alone, never from the backward pass under test.
     */
    static final double KINK_LIMIT = 5e-4;

    static final double KINK_SIGMAS = 10;
    /** Beyond this share of kinked coordinates in one group, the forward pass is not smooth enough to check. */
    static final double MAX_KINKED_SHARE = 0.25;
    /** Problems tried in search of one where no ReLU-like kink lies within reach of the differences. */
    static final int SEEDS = 16;
    /** The truncation the window checks schedule: k2 > k1, so backward windows reach over earlier forward calls. */
    static final int K1 = 2;

    static final int K2 = 5;

    private final CellFactory factory;
    private final Map<String, String> options;
    private final ContractSettings settings;
    private final int in;
    private final int hid;

    public CellSuite(CellFactory factory, Map<String, String> options, ContractSettings settings) {
        this.factory = factory;
        this.options = Map.copyOf(options);
        this.settings = settings;
        this.in = settings.inputSize();
        this.hid = settings.hiddenSize();
    }

    public List<Check> checks() {
        return List.of(
                new Check(OPTIONS, () -> OptionChecks.run(factory, options, settings, Cell::describe)),
                new Check(DECLARATION, this::declaration),
                new Check(GRADIENTS, this::gradients),
                new Check(EVERY_PARAMETER, this::everyParameterUsed),
                new Check(BUFFERS, this::buffers),
                new Check(TRUNCATED, this::truncated),
                new Check(SPLIT_FORWARD, this::splitForward),
                new Check(THREADS, this::threadCounts),
                new Check(SEQUENCES, this::sequencesIndependent),
                new Check(PARAMETER_UPDATES, this::seesParameterUpdates),
                new Check(DETERMINISM, this::deterministic),
                new Check(INSTANCES, this::instances),
                new Check(FINITE, this::finite),
                new Check(ALLOCATION, this::allocation),
                new Check(BAD_SIZES, this::refusesBadSizes),
                new Check(PLATFORM, this::platform));
    }

    private Cell newCell() {
        return OptionChecks.create(factory, options);
    }

    private CellBench bench(int batch, int steps, long seed, Kernels kernels) {
        return new CellBench(newCell(), in, hid, batch, steps, seed, kernels);
    }

    private static Kernels one() {
        return KernelsCache.auto(1);
    }

    // ------------------------------------------------------------------ declaration

    private String declaration() {
        Cell cell = newCell();
        String d = cell.describe();
        if (d == null || d.isBlank()) {
            throw Check.fail("describe() is blank");
        }
        List<ParameterSpec> specs = cell.parameters(in, hid);
        if (specs == null) {
            throw Check.fail("parameters(" + in + ", " + hid + ") returned null");
        }
        Set<String> names = new HashSet<>();
        for (ParameterSpec s : specs) {
            if (!names.add(s.name())) {
                throw Check.fail("parameter '" + s.name() + "' is declared twice");
            }
            if (s.name().equals("V") || s.name().equals("c")) {
                throw Check.fail("declares parameter '" + s.name() + "', a name the readout o = V h + c owns");
            }
            if (s.fanIn() < 1 || s.fanOut() < 1) {
                throw Check.fail("parameter '" + s.name() + "' declares fanIn " + s.fanIn() + " and fanOut "
                        + s.fanOut() + "; initializers scale by them, so both must be at least 1");
            }
            if (s.role() == Role.OUTPUT_WEIGHTS || s.role() == Role.OUTPUT_BIAS) {
                throw Check.fail(
                        "parameter '" + s.name() + "' has role " + s.role() + ", which belongs to the readout");
            }
        }
        if (!specs.equals(cell.parameters(in, hid)) || !specs.equals(newCell().parameters(in, hid))) {
            throw Check.fail("parameters(" + in + ", " + hid + ") differs between calls or between instances");
        }
        int width = cell.stateWidth(hid);
        if (width < hid) {
            throw Check.fail(
                    "stateWidth(" + hid + ") is " + width + "; the state starts with h_t, so it is at least H");
        }
        new Model(cell, in, hid, CellBench.OUTPUT); // the platform's own validation
        return d + ": " + specs.size() + " parameter(s) " + names + ", state width " + width + " for H=" + hid;
    }

    // ------------------------------------------------------------------ gradients

    /** Backward against finite differences for one schedule of windows on one random problem. */
    private final class Study {
        final long seed;
        /** Per window of the schedule, its comparisons: each parameter, the entering state, the later states. */
        final List<List<Compared>> perWindow = new ArrayList<>();

        final int[] kinked;

        Study(long seed, int batch, int steps, List<Window> windows) {
            this.seed = seed;
            this.kinked = new int[windows.size()];
            CellBench b = bench(batch, steps, seed, one());
            CellRunner r = b.bind();
            float[] states = b.newStates();
            float[] dStates = b.newStates();
            b.loadEntering(states);
            CellGradients numeric = new CellGradients(b);
            int forwarded = 0;
            for (int wi = 0; wi < windows.size(); wi++) {
                Window w = windows.get(wi);
                if (w.backTo() > forwarded) {
                    r.forward(forwarded, w.backTo(), b.x, states);
                    forwarded = w.backTo();
                }
                backwardWindow(b, r, w, states, dStates);
                List<CellGradients.Group> groups = numeric.of(w.backFrom(), w.lossFrom(), w.lossTo());
                String where = windows.size() == 1
                        ? "full BPTT"
                        : "window of losses [" + w.lossFrom() + ", " + w.lossTo() + ") through steps [" + w.backFrom()
                                + ", " + w.backTo() + ")";
                List<Compared> compared = new ArrayList<>();
                for (CellGradients.Group g : groups) {
                    double[] analytic;
                    Namer namer;
                    if (g.name().equals(CellGradients.ENTERING)) {
                        analytic = Numbers.toDouble(dStates, w.backFrom() * b.slot(), (w.backFrom() + 1) * b.slot());
                        namer = stateNamer(b, w.backFrom());
                    } else if (g.name().equals(CellGradients.LATER)) {
                        analytic =
                                Numbers.toDouble(dStates, (w.backFrom() + 1) * b.slot(), (w.backTo() + 1) * b.slot());
                        namer = stateNamer(b, w.backFrom() + 1);
                    } else {
                        Tensor t = b.grads.get(g.name());
                        analytic = Numbers.toDouble(t.data(), 0, t.size());
                        namer = i -> "[" + i / t.cols() + ", " + i % t.cols() + "]";
                    }
                    compared.add(new Compared(where, g, analytic, namer));
                }
                perWindow.add(compared);
            }
            double sigma = noise(perWindow);
            for (int wi = 0; wi < windows.size(); wi++) {
                for (Compared c : perWindow.get(wi)) {
                    c.sigma = sigma;
                    kinked[wi] += c.kinked();
                }
            }
        }
    }

    /**
     * σ, the typical error of one D(2^-7): the median disagreement of D(2^-7) and D(2^-8) over
     * every coordinate that changes the loss, scaled (D(2^-8) is twice as noisy, and the median
     * of |N(0, s)| is 0.67 s). Kinks are few, so the median does not see them.
     */
    private static double noise(List<List<Compared>> perWindow) {
        List<Double> d = new ArrayList<>();
        for (List<Compared> window : perWindow) {
            for (Compared c : window) {
                for (int i = 0; i < c.analytic.length; i++) {
                    double diff = Math.abs(c.group.coarse()[i] - c.group.fine()[i]);
                    if (!c.group.unused()[i] && diff > 0) {
                        d.add(diff);
                    }
                }
            }
        }
        if (d.isEmpty()) {
            return 0;
        }
        java.util.Collections.sort(d);
        return d.get(d.size() / 2) / (0.67 * Math.sqrt(5));
    }

    /**
     * Compares backward with finite differences for every window of a schedule. A ReLU-like
     * kink within reach of the differences spoils a coordinate, so each window is judged on
     * the first of {@link #SEEDS} random problems where none is (or the one with fewest).
     */
    private String compare(int batch, int steps, List<Window> windows) {
        Study[] best = new Study[windows.size()];
        for (long seed = 1; seed <= SEEDS; seed++) {
            Study s = new Study(seed, batch, steps, windows);
            boolean clean = true;
            for (int i = 0; i < best.length; i++) {
                if (best[i] == null || s.kinked[i] < best[i].kinked[i]) {
                    best[i] = s;
                }
                clean &= best[i].kinked[i] == 0;
            }
            if (clean) {
                break;
            }
        }
        Compared worst = null;
        double worstError = -1;
        int skipped = 0;
        int total = 0;
        int atNoise = 0;
        for (int wi = 0; wi < best.length; wi++) {
            long seed = best[wi].seed;
            for (Compared c : best[wi].perWindow.get(wi)) {
                int k = c.kinked();
                skipped += k;
                total += c.analytic.length;
                if (k > MAX_KINKED_SHARE * c.analytic.length) {
                    throw Check.fail(c.where + ", " + label(c) + ": " + k + " of " + c.analytic.length
                            + " coordinates lie within 2^-6 of a kink in the forward pass in each of " + SEEDS
                            + " random problems; the forward pass is not smooth enough to check by differences");
                }
                double[] e = c.errorAndNorm();
                double allowed = TOLERANCE * e[1] + NOISE_SIGMAS * c.sigma * Math.sqrt(c.analytic.length - k);
                if (e[0] > allowed) {
                    int at = c.worstElement();
                    throw Check.fail(c.where + ", " + label(c) + ": relative error " + Numbers.sci(e[0] / e[1])
                            + " > " + Numbers.sci(TOLERANCE)
                            + (allowed > 2 * TOLERANCE * e[1] ? " and the differences'" + " noise" : "")
                            + "; largest at " + c.namer.name(at) + ": backward " + (float) c.analytic[at]
                            + ", finite differences " + (float) c.group.coarse()[at] + " (random problem " + seed
                            + ")");
                }
                if (TOLERANCE * e[1] >= NOISE_SIGMAS * c.sigma * Math.sqrt(c.analytic.length - k)) {
                    if (e[0] / e[1] > worstError) {
                        worstError = e[0] / e[1];
                        worst = c;
                    }
                } else {
                    atNoise++;
                }
            }
        }
        return (worst == null
                        ? "every group at the noise level of the differences"
                        : "largest relative error " + Numbers.sci(worstError) + " (" + label(worst)
                                + (best.length > 1 ? ", " + worst.where : "") + ")")
                + " over " + total + " coordinates"
                + (atNoise > 0
                        ? "; " + atNoise + " group(s) of vanishing gradients" + " checked to the differences' noise"
                        : "")
                + (skipped > 0 ? "; " + skipped + " coordinates near ReLU-like kinks skipped" : "") + "; tolerance "
                + Numbers.sci(TOLERANCE);
    }

    private static String label(Compared c) {
        String n = c.group.name();
        return n.equals(CellGradients.ENTERING) || n.equals(CellGradients.LATER) ? n : "gradient of " + n;
    }

    @FunctionalInterface
    private interface Namer {
        String name(int index);
    }

    private static Namer stateNamer(CellBench b, int firstSlot) {
        return i -> {
            int slot = firstSlot + i / b.slot();
            int row = i % b.slot();
            return (slot == 0 ? "s_-1" : "s_" + (slot - 1)) + " of sequence " + row / b.width + ", element "
                    + row % b.width;
        };
    }

    private static final class Compared {
        final String where;
        final CellGradients.Group group;
        final double[] analytic;
        final Namer namer;
        /** The noise of one finite difference in this problem. */
        double sigma;

        Compared(String where, CellGradients.Group group, double[] analytic, Namer namer) {
            this.where = where;
            this.group = group;
            this.analytic = analytic;
            this.namer = namer;
        }

        boolean kinked(int i) {
            double diff = Math.abs(group.coarse()[i] - group.fine()[i]);
            return diff > KINK_LIMIT * Math.abs(group.fine()[i]) && diff > KINK_SIGMAS * sigma;
        }

        int kinked() {
            int k = 0;
            for (int i = 0; i < analytic.length; i++) {
                k += kinked(i) ? 1 : 0;
            }
            return k;
        }

        /** ‖backward − differences‖ and ‖differences‖ over the coordinates that are not kinked. */
        double[] errorAndNorm() {
            double d = 0;
            double n = 0;
            for (int i = 0; i < analytic.length; i++) {
                if (!kinked(i)) {
                    double diff = analytic[i] - group.coarse()[i];
                    d += diff * diff;
                    n += group.coarse()[i] * group.coarse()[i];
                }
            }
            return new double[] {Math.sqrt(d), Math.max(Math.sqrt(n), 1e-300)};
        }

        int worstElement() {
            int at = 0;
            double worst = -1;
            for (int i = 0; i < analytic.length; i++) {
                double diff = kinked(i) ? 0 : Math.abs(analytic[i] - group.coarse()[i]);
                if (diff > worst) {
                    worst = diff;
                    at = i;
                }
            }
            return at;
        }
    }

    private String gradients() {
        int steps = 6;
        return "full BPTT: " + compare(2, steps, List.of(new Window(0, steps, 0, steps)));
    }

    private String truncated() {
        int steps = 7;
        List<Window> windows = Windows.tbptt(steps, K1, K2);
        return "TBPTT(" + K1 + ", " + K2 + ") over " + steps + " steps, " + windows.size()
                + " windows, parameters fixed: " + compare(2, steps, windows);
    }

    private String everyParameterUsed() {
        int steps = 6;
        List<Window> full = List.of(new Window(0, steps, 0, steps));
        Map<String, boolean[]> neverUsed = new java.util.LinkedHashMap<>();
        int problems = 4;
        for (long seed = 1; seed <= problems; seed++) {
            Study s = new Study(seed, 2, steps, full);
            for (Compared c : s.perWindow.get(0)) {
                String n = c.group.name();
                if (n.equals(CellGradients.ENTERING) || n.equals(CellGradients.LATER)) {
                    continue;
                }
                boolean[] unused = c.group.unused();
                boolean[] acc = neverUsed.computeIfAbsent(n, k -> filled(unused.length));
                for (int i = 0; i < acc.length; i++) {
                    acc[i] &= unused[i];
                }
            }
        }
        int params = 0;
        for (Map.Entry<String, boolean[]> e : neverUsed.entrySet()) {
            boolean[] u = e.getValue();
            params += u.length;
            int count = 0;
            int first = -1;
            for (int i = 0; i < u.length; i++) {
                if (u[i]) {
                    count++;
                    first = first < 0 ? i : first;
                }
            }
            if (count > 0) {
                throw Check.fail("parameter " + e.getKey() + ": " + count + " of " + u.length
                        + " elements (the first is "
                        + first + ") never change the loss in " + problems + " random problems; the forward pass"
                        + " ignores them");
            }
        }
        return "each of " + params + " parameter elements changes the loss";
    }

    private static boolean[] filled(int n) {
        boolean[] b = new boolean[n];
        Arrays.fill(b, true);
        return b;
    }

    // ------------------------------------------------------------------ calls and buffers

    /** The backward pass of one window: ∂L/∂h of its loss steps seeded, gradients zeroed first. */
    static void backwardWindow(CellBench b, CellRunner r, Window w, float[] states, float[] dStates) {
        b.zeroSlots(dStates, w.backFrom(), w.backTo());
        b.seedLossGradient(states, dStates, w.lossFrom(), w.lossTo());
        b.grads.zero();
        r.backward(w.backFrom(), w.backTo(), b.x, states, dStates);
    }

    /**
     * The calls of one training iteration as the runner's contract describes them: the TBPTT
     * windows (forward up to each window's end, then its backward), then an evaluation
     * forward(0, T) and a full backward. With a recording, keeps everything the runner wrote.
     */
    static void iteration(
            CellBench b,
            CellRunner r,
            List<Window> windows,
            Window full,
            float[] states,
            float[] dStates,
            Recording rec) {
        for (Runnable call : calls(b, r, windows, full, states, dStates, rec)) {
            call.run();
        }
    }

    /** {@link #iteration}'s calls one by one, so that two instances' calls can be interleaved. */
    static Runnable[] calls(
            CellBench b,
            CellRunner r,
            List<Window> windows,
            Window full,
            float[] states,
            float[] dStates,
            Recording rec) {
        List<Runnable> calls = new ArrayList<>();
        calls.add(() -> b.loadEntering(states));
        int forwarded = 0;
        for (int i = 0; i < windows.size(); i++) {
            Window w = windows.get(i);
            if (w.backTo() > forwarded) {
                int from = forwarded;
                calls.add(() -> r.forward(from, w.backTo(), b.x, states));
                forwarded = w.backTo();
            }
            calls.add(() -> backwardWindow(b, r, w, states, dStates));
            if (rec != null) {
                String when = "window " + i;
                calls.add(() -> record(rec, when, b, states, dStates));
            }
        }
        calls.add(() -> r.forward(0, b.steps, b.x, states));
        calls.add(() -> backwardWindow(b, r, full, states, dStates));
        if (rec != null) {
            calls.add(() -> record(rec, "full BPTT", b, states, dStates));
        }
        return calls.toArray(Runnable[]::new);
    }

    private static void record(Recording rec, String when, CellBench b, float[] states, float[] dStates) {
        rec.add(when + ": states", states);
        rec.add(when + ": state gradients", dStates);
        for (ParameterSpec s : b.specs) {
            rec.add(when + ": gradient of " + s.name(), b.grads.get(s.name()).data());
        }
    }

    /** One recorded iteration on {@code r}, or on a fresh runner when {@code r} is null. */
    private static Recording iteration(CellBench b, CellRunner r) {
        Recording rec = new Recording();
        iteration(
                b,
                r == null ? b.bind() : r,
                Windows.tbptt(b.steps, K1, K2),
                new Window(0, b.steps, 0, b.steps),
                b.newStates(),
                b.newStates(),
                rec);
        return rec;
    }

    private String buffers() {
        CellBench b = bench(3, 7, 1, one());
        CellRunner r = b.bind();
        float[] states = b.newStates();
        float[] dStates = b.newStates();
        b.loadEntering(states);
        float[] x = b.x.clone();
        float sentinel = 1234.5f;
        int slot = b.slot();
        // forward(3, T) after forward(0, 3) writes slots 4…T and nothing else
        r.forward(0, 3, b.x, states);
        float[] before = states.clone();
        Arrays.fill(states, 4 * slot, states.length, sentinel);
        r.forward(3, b.steps, b.x, states);
        int at = Numbers.firstDifference(Arrays.copyOf(before, 4 * slot), Arrays.copyOf(states, 4 * slot));
        if (at >= 0) {
            throw Check.fail("forward(3, 7) changed slot " + at / slot + " of the states, which it must only read");
        }
        for (int i = 4 * slot; i < states.length; i++) {
            if (states[i] == sentinel) {
                throw Check.fail("forward(3, 7) left element " + (i % slot) + " of slot " + i / slot + " unwritten");
            }
        }
        // backward(2, 5) adds to its own gradients, writes dStates slots 2…5, and reads everything else
        ParameterSet paramsBefore = b.params.copy();
        float[] statesBefore = states.clone();
        Window w = new Window(3, 5, 2, 5);
        Arrays.fill(dStates, sentinel);
        b.zeroSlots(dStates, w.backFrom(), w.backTo());
        b.seedLossGradient(states, dStates, w.lossFrom(), w.lossTo());
        SplittableRandom rnd = new SplittableRandom(5);
        ParameterSet offset = b.grads.zerosLike();
        for (Tensor t : offset) {
            for (int i = 0; i < t.size(); i++) {
                t.data()[i] = (float) rnd.nextDouble(-0.1, 0.1);
            }
        }
        b.grads.copyFrom(offset);
        r.backward(w.backFrom(), w.backTo(), b.x, states, dStates);
        ParameterSet summed = b.grads.copy();
        for (int i = 0; i < dStates.length; i++) {
            if ((i < w.backFrom() * slot || i >= (w.backTo() + 1) * slot) && dStates[i] != sentinel) {
                throw Check.fail("backward(2, 5) wrote slot " + i / slot + " of dStates, outside slots 2…5");
            }
        }
        requireSame(statesBefore, states, "backward changed the states, which it must only read");
        requireSame(x, b.x, "the runner changed the inputs x, which it must only read");
        for (Tensor p : b.params) {
            requireSame(paramsBefore.get(p.name()).data(), p.data(), "the runner changed parameter " + p.name());
        }
        for (String readout : List.of("V", "c")) {
            requireSame(
                    offset.get(readout).data(),
                    b.grads.get(readout).data(),
                    "backward changed the gradient of the readout's " + readout + ", which is not the cell's");
        }
        // the same window on a fresh runner from zero gradients: the first run must have added exactly that
        CellRunner fresh = b.bind();
        float[] s2 = b.newStates();
        b.loadEntering(s2);
        fresh.forward(0, b.steps, b.x, s2);
        backwardWindow(b, fresh, w, s2, b.newStates());
        for (ParameterSpec s : b.specs) {
            float[] g = b.grads.get(s.name()).data();
            float[] o = offset.get(s.name()).data();
            float[] got = summed.get(s.name()).data();
            for (int i = 0; i < g.length; i++) {
                double expected = (double) o[i] + g[i];
                if (Math.abs(got[i] - expected) > 1e-6 * (Math.abs(o[i]) + Math.abs(g[i])) + 1e-30) {
                    throw Check.fail("backward must ADD to the gradients: gradient of " + s.name() + "[" + i + "] was "
                            + o[i] + " before a window whose gradient is " + g[i] + ", and is " + got[i] + " after");
                }
            }
        }
        return "forward writes only its slots; backward adds to its own gradients, writes only dStates slots"
                + " from…to, and leaves x, states, parameters and the readout's gradients alone";
    }

    private static void requireSame(float[] expected, float[] got, String message) {
        int at = Numbers.firstDifference(expected, got);
        if (at >= 0) {
            throw Check.fail(message + " (element " + at + ": " + expected[at] + " became " + got[at] + ")");
        }
    }

    // ------------------------------------------------------------------ bits

    private String splitForward() {
        CellBench b = bench(3, 7, 1, one());
        int[][] splits = {{0, 7}, {0, 2, 5, 7}, {0, 1, 2, 3, 4, 5, 6, 7}};
        Recording reference = null;
        String referenceName = null;
        float[] seeded = null;
        for (int[] split : splits) {
            CellRunner r = b.bind();
            float[] states = b.newStates();
            b.loadEntering(states);
            StringBuilder name = new StringBuilder();
            for (int i = 0; i + 1 < split.length; i++) {
                r.forward(split[i], split[i + 1], b.x, states);
                name.append(i == 0 ? "" : ", ")
                        .append("forward(")
                        .append(split[i])
                        .append(", ")
                        .append(split[i + 1])
                        .append(')');
            }
            float[] dStates = b.newStates();
            if (seeded == null) {
                b.seedLossGradient(states, dStates, 0, b.steps);
                seeded = dStates.clone();
            }
            System.arraycopy(seeded, 0, dStates, 0, seeded.length);
            b.grads.zero();
            r.backward(0, b.steps, b.x, states, dStates);
            Recording rec = new Recording();
            rec.add("states", states);
            rec.add("state gradients of the backward(0, 7) that follows", dStates);
            for (ParameterSpec s : b.specs) {
                rec.add(
                        "gradient of " + s.name() + " from the backward(0, 7) that follows",
                        b.grads.get(s.name()).data());
            }
            if (reference == null) {
                reference = rec;
                referenceName = name.toString();
            } else {
                String diff = reference.firstDifference(rec);
                if (diff != null) {
                    throw Check.fail(name + " differs from " + referenceName + ": " + diff);
                }
            }
        }
        return "forward(0, 7), forward over [0, 2), [2, 5), [5, 7) and one step at a time give the same bits,"
                + " and so do the backward passes after them";
    }

    private String threadCounts() {
        int batch = 27;
        Recording one = iteration(new CellBench(newCell(), in, hid, batch, 6, 1, one()), null);
        for (int threads = 2; threads <= 3; threads++) {
            Kernels k = KernelsCache.multiThreaded(threads);
            CellBench b = new CellBench(newCell(), in, hid, batch, 6, 1, k);
            CellRunner r = b.bind();
            for (int repeat = 0; repeat < 6; repeat++) {
                Recording many = iteration(b, r);
                String diff = one.firstDifference(many);
                if (diff != null) {
                    throw Check.fail("on " + threads + " threads (run " + (repeat + 1) + ") an iteration differs from 1"
                            + " thread: " + diff);
                }
            }
        }
        return "a TBPTT(" + K1 + ", " + K2 + ") iteration and a full one over a batch of " + batch
                + " give the same bits on 1, 2 and 3 threads, six times each";
    }

    private String sequencesIndependent() {
        int batch = 27;
        CellBench whole = bench(batch, 5, 1, one());
        float[][] all = fullPass(whole);
        int[][] parts = {{0, 1}, {5, 14}, {20, 27}};
        double worst = 0;
        for (int[] part : parts) {
            CellBench sub = new CellBench(whole, part[0], part[1]);
            float[][] got = fullPass(sub);
            for (int kind = 0; kind < 2; kind++) {
                for (int slot = 0; slot <= whole.steps; slot++) {
                    for (int r = part[0]; r < part[1]; r++) {
                        int a = slot * whole.slot() + r * whole.width;
                        int g = slot * sub.slot() + (r - part[0]) * sub.width;
                        double e = Numbers.relativeError(
                                Numbers.toDouble(got[kind], g, g + sub.width),
                                Numbers.toDouble(all[kind], a, a + whole.width),
                                1e-6);
                        worst = Math.max(worst, e);
                        if (e > 1e-5) {
                            throw Check.fail("sequence " + r + " run in a batch of " + batch + " and in a batch of"
                                    + " sequences [" + part[0] + ", " + part[1] + ") has different "
                                    + (kind == 0 ? "states" : "state gradients") + " at slot " + slot
                                    + " (relative difference " + Numbers.sci(e) + "); a sequence must not depend on"
                                    + " the others in its batch");
                        }
                    }
                }
            }
        }
        return "each sequence's states and state gradients are the same alone or in batches of 9, 7 and 27"
                + " (largest relative difference " + Numbers.sci(worst) + ")";
    }

    /** forward(0, T) and backward(0, T) on a fresh runner: the states and the state gradients. */
    private static float[][] fullPass(CellBench b) {
        CellRunner r = b.bind();
        float[] states = b.newStates();
        float[] dStates = b.newStates();
        b.loadEntering(states);
        r.forward(0, b.steps, b.x, states);
        backwardWindow(b, r, new Window(0, b.steps, 0, b.steps), states, dStates);
        return new float[][] {states, dStates};
    }

    private String seesParameterUpdates() {
        CellBench b = bench(3, 7, 1, one());
        CellRunner r = b.bind();
        iteration(b, r);
        b.fillParameters(99, 1.0); // what an optimizer does between calls: new values in the same arrays
        Recording updated = iteration(b, r);
        Recording fresh = iteration(b, b.bind());
        String diff = fresh.firstDifference(updated);
        if (diff != null) {
            throw Check.fail("after the parameters change in place, the runner computes other bits than a runner bound"
                    + " to the new values: " + diff + "; read the parameters at every call, never cache them at bind");
        }
        return "after an in-place update a bound runner computes the same bits as a fresh one";
    }

    private String deterministic() {
        Recording a = iteration(bench(3, 7, 1, one()), null);
        Recording b = iteration(bench(3, 7, 1, one()), null);
        String diff = a.firstDifference(b);
        if (diff != null) {
            throw Check.fail("two instances from the factory give different bits: " + diff);
        }
        CellBench bench = bench(3, 7, 1, one());
        CellRunner r = bench.bind();
        Recording first = iteration(bench, r);
        Recording second = iteration(bench, r);
        diff = first.firstDifference(second);
        if (diff != null) {
            throw Check.fail("the same runner gives different bits for the same iteration run twice: " + diff);
        }
        return "two instances, and one runner twice, give the same bits";
    }

    private String finite() {
        CellBench b = bench(4, 40, 1, one());
        b.fillParameters(7, 2.0);
        for (ParameterSpec s : b.specs) {
            if (s.role() == Role.BIAS) {
                b.params.get(s.name()).fill(0f); // as every built-in initializer leaves them
            }
        }
        SplittableRandom r = new SplittableRandom(3);
        for (int t = 0; t < b.steps; t++) {
            for (int s = 0; s < b.batch; s++) {
                for (int i = 0; i < in; i++) {
                    b.x[(t * b.batch + s) * in + i] = s == 0 ? 0f : (float) r.nextDouble(-3, 3);
                }
            }
        }
        for (int i = 0; i < b.entering.length; i++) {
            b.entering[i] = i < b.width ? 0f : (float) r.nextDouble(-1, 1);
        }
        Recording rec = iteration(b, null);
        String bad = rec.firstNonFinite();
        if (bad != null) {
            throw Check.fail("inputs in [-3, 3] (one sequence of zeros from a zero state), weights twice the usual"
                    + " scale, zero biases, 40 steps: " + bad);
        }
        return "states and gradients finite over 40 steps of inputs in [-3, 3], zero inputs and state, zero biases";
    }

    // ------------------------------------------------------------------ allocation

    /** A steady-state training iteration on 2 threads (1 without SIMD): TBPTT windows, then full BPTT. */
    static Allocation.Workload workload(CellFactory factory, Map<String, String> options, int in, int hid) {
        Kernels k = KernelsCache.auto(2);
        CellBench b = new CellBench(OptionChecks.create(factory, options), in, hid, 16, 8, 1, k);
        CellRunner r = b.bind();
        List<Window> windows = Windows.tbptt(b.steps, K1, K2);
        Window full = new Window(0, b.steps, 0, b.steps);
        Runnable[] calls = calls(b, r, windows, full, b.newStates(), b.newStates(), null);
        return () -> {
            for (Runnable call : calls) {
                call.run();
            }
        };
    }

    private String instances() throws Exception {
        return Isolation.check(
                v -> {
                    CellBench b = bench(3, 7, 1 + v, one());
                    Recording rec = new Recording();
                    return new Isolation.Script(
                            calls(
                                    b,
                                    b.bind(),
                                    Windows.tbptt(b.steps, K1, K2),
                                    new Window(0, b.steps, 0, b.steps),
                                    b.newStates(),
                                    b.newStates(),
                                    rec),
                            rec);
                },
                "an iteration");
    }

    private String allocation() {
        return Allocation.check(
                workload(factory, options, in, hid),
                new Allocation.ProbeSpec("cell", factory.getClass(), in, hid, options),
                settings);
    }

    // ------------------------------------------------------------------ refusals

    private String refusesBadSizes() {
        for (ContractSettings.Sizes s : settings.unsupportedSizes()) {
            String accepted = tryBind(newCell(), s.input(), s.hidden(), s.input(), s.hidden(), null);
            if (accepted != null) {
                throw Check.fail("bound to " + s + ", which the contract says it cannot support, and " + accepted);
            }
        }
        int[][] others = {{in, hid + 1}, {in + 1, hid}, {in, Math.max(1, hid - 1)}};
        for (int[] o : others) {
            if (o[0] == in && o[1] == hid) {
                continue;
            }
            String accepted = tryBind(newCell(), in, hid, o[0], o[1], null);
            if (accepted != null) {
                throw Check.fail("bound with I=" + in + ", H=" + hid + " to parameters shaped for I=" + o[0] + ", H="
                        + o[1] + " and " + accepted + "; check the parameters' shapes in bind");
            }
        }
        for (ParameterSpec missing : newCell().parameters(in, hid)) {
            String accepted = tryBind(newCell(), in, hid, in, hid, missing.name());
            if (accepted != null) {
                throw Check.fail("bound to parameters without '" + missing.name() + "' and " + accepted);
            }
        }
        return "refuses parameters of other shapes, a missing parameter"
                + (settings.unsupportedSizes().isEmpty()
                        ? ""
                        : " and the unsupported sizes " + settings.unsupportedSizes());
    }

    /**
     * Binds a cell to sizes (in, hid) with parameters made for (pIn, pHid), maybe without one,
     * and runs a forward and backward pass. Null if it refused with a clear exception, else what
     * it did.
     */
    private static String tryBind(Cell cell, int in, int hid, int pIn, int pHid, String without) {
        int batch = 2;
        int steps = 4;
        try {
            ParameterSet p = new ParameterSet();
            for (ParameterSpec s : cell.parameters(pIn, pHid)) {
                if (!s.name().equals(without)) {
                    p.add(s.newTensor());
                }
            }
            p.add(new Tensor("V", CellBench.OUTPUT, pHid));
            p.add(new Tensor("c", 1, CellBench.OUTPUT));
            for (Tensor t : p) {
                t.fill(0.1f);
            }
            CellRunner r = cell.bind(new CellContext(in, hid, batch, steps, p, p.zerosLike(), one()));
            int width = cell.stateWidth(hid);
            float[] x = new float[steps * batch * in];
            Arrays.fill(x, 0.5f);
            float[] states = new float[(steps + 1) * batch * width];
            float[] dStates = new float[states.length];
            Arrays.fill(dStates, width * batch, dStates.length, 0.1f);
            r.forward(0, steps, x, states);
            r.backward(0, steps, x, states, dStates);
            return "ran a forward and backward pass without complaint";
        } catch (IllegalArgumentException
                | IllegalStateException
                | UnsupportedOperationException
                | ConfigurationException e) {
            return null;
        } catch (RuntimeException e) {
            return "failed only with " + Check.describe(e) + ", not a clear refusal (IllegalArgumentException or"
                    + " ConfigurationException naming the sizes)";
        }
    }

    // ------------------------------------------------------------------ platform

    private String platform() {
        int batch = 4;
        int steps = 6;
        Model model = new Model(newCell(), in, hid, CellBench.OUTPUT);
        CellBench b = bench(batch, steps, 1, one());
        model.params().copyFrom(b.params);
        PlatformParts.Sgd sgd = new PlatformParts.Sgd();
        BpttTrainer trainer = new BpttTrainer(
                model,
                new PlatformParts.HalfSquaredError(),
                sgd,
                new PlatformParts.NoPolicy(),
                new PlatformParts.FullTruncation(),
                one(),
                TrainerSettings.defaults());
        float[] targets = b.targetsAsFloats();
        Batch data = new Batch(
                batch, steps, in, b.x, Targets.vectors(targets, CellBench.OUTPUT), Batch.allSteps(steps), b.entering);
        ParameterSet platform = trainer.gradients(data, List.of(new Window(0, steps, 0, steps)), null)
                .copy();
        float[][] kit = fullPass(b);
        for (ParameterSpec s : b.specs) {
            double e = Numbers.relativeError(
                    Numbers.toDouble(platform.get(s.name()).data(), 0, s.rows() * s.cols()),
                    Numbers.toDouble(b.grads.get(s.name()).data(), 0, s.rows() * s.cols()),
                    1e-12);
            if (e > 1e-4) {
                throw Check.fail("in BpttTrainer the gradient of " + s.name() + " differs from the kit's by "
                        + Numbers.sci(e) + " (the same cell, data and readout)");
            }
        }
        double before = trainer.forward(data);
        double kitLoss = b.loss(kit[0], 0, steps);
        if (Math.abs(before - kitLoss) > 1e-5 * Math.max(1, kitLoss)) {
            throw Check.fail("in BpttTrainer the loss is " + before + " but the kit computes " + kitLoss);
        }
        double squared = 0;
        for (Tensor g : platform) {
            for (float v : g.data()) {
                squared += (double) v * v;
            }
        }
        sgd.rate = (float) (0.05 * before / squared); // a step that should lower the loss by about 5 %
        trainer.trainStep(data);
        double after = trainer.forward(data);
        if (!(after < before)) {
            throw Check.fail(
                    "one gradient-descent step in BpttTrainer did not lower the loss: " + before + " → " + after);
        }
        return "in BpttTrainer: same gradients and loss as the kit's, and a descent step lowers the loss ("
                + (float) before + " → " + (float) after + ")";
    }
}
