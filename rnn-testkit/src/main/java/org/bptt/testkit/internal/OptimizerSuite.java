package org.bptt.testkit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bptt.api.kernel.Kernels;
import org.bptt.api.optim.Optimizer;
import org.bptt.api.optim.OptimizerFactory;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.tensor.ParameterSet;
import org.bptt.api.tensor.Tensor;
import org.bptt.testkit.ContractSettings;

/**
 * The optimizer contract: it changes only the parameters and moves them downhill, gives the
 * same bits on any thread count and after a checkpoint round trip, allocates nothing per
 * step, and refuses gradients or parameters that do not match what it was bound to.
 */
public final class OptimizerSuite {
    public static final String OPTIONS = OptionChecks.NAME;
    public static final String LEAVES_GRADIENTS = "leaves-gradients-alone";
    public static final String DESCENDS = "descends";
    public static final String DETERMINISM = "deterministic";
    public static final String INSTANCES = Isolation.NAME;
    public static final String THREADS = "thread-counts-give-same-bits";
    public static final String ALLOCATION = "no-allocation-per-step";
    public static final String CHECKPOINT = "checkpoint-round-trip";
    public static final String MISMATCHED = "refuses-mismatched-shapes";

    private static final int STEPS = 6;

    private final OptimizerFactory factory;
    private final Map<String, String> options;
    private final ContractSettings settings;
    private final boolean corner;

    public OptimizerSuite(OptimizerFactory factory, Map<String, String> options, ContractSettings settings) {
        this(factory, options, settings, false);
    }

    /**
     * @param corner the options are at a corner of their declared ranges ({@link OptionCorners}):
     *               the first step of {@link #DESCENDS} may then overshoot the quadratic's minimum
     *               (RMSprop with alpha near 1 first steps lr/√(1 − alpha), as PyTorch's does); its
     *               direction and the 100 steps are still checked
     */
    public OptimizerSuite(
            OptimizerFactory factory, Map<String, String> options, ContractSettings settings, boolean corner) {
        this.factory = factory;
        this.options = Map.copyOf(options);
        this.settings = settings;
        this.corner = corner;
    }

    public List<Check> checks() {
        return List.of(
                new Check(OPTIONS, () -> OptionChecks.run(factory, options, settings, Optimizer::describe)),
                new Check(LEAVES_GRADIENTS, this::leavesGradients),
                new Check(DESCENDS, this::descends),
                new Check(DETERMINISM, this::deterministic),
                new Check(INSTANCES, this::instances),
                new Check(THREADS, this::threadCounts),
                new Check(ALLOCATION, this::allocation),
                new Check(CHECKPOINT, this::checkpoint),
                new Check(MISMATCHED, this::mismatched));
    }

    private Optimizer newOptimizer() {
        return OptionChecks.create(factory, options);
    }

    /** A gradient per step, of varied scale, one with a zero tensor. */
    private static List<ParameterSet> gradients() {
        List<ParameterSet> list = new ArrayList<>();
        double[] scales = {1, 0.1, 3, 0.5, 2, 0.01};
        for (int i = 0; i < STEPS; i++) {
            ParameterSet g = GradientFixture.grads(600 + i, scales[i]);
            if (i == 3) {
                g.get("b").fill(0f);
            }
            list.add(g);
        }
        return list;
    }

    private static Recording trajectory(Optimizer o, ParameterSet params, List<ParameterSet> grads, int from, int to) {
        Recording rec = new Recording();
        for (int i = from; i < to; i++) {
            o.step(params, grads.get(i));
            GradientFixture.record(rec, "after step " + (i + 1) + ":", params);
        }
        return rec;
    }

    private Recording trajectory(Kernels k) {
        Optimizer o = newOptimizer();
        ParameterSet params = GradientFixture.params(1);
        o.bind(params, k);
        return trajectory(o, params, gradients(), 0, STEPS);
    }

    private String leavesGradients() {
        Optimizer o = newOptimizer();
        ParameterSet params = GradientFixture.params(1);
        o.bind(params, KernelsCache.auto(1));
        for (ParameterSet g : gradients()) {
            ParameterSet before = g.copy();
            o.step(params, g);
            for (Tensor t : g) {
                if (Numbers.firstDifference(before.get(t.name()).data(), t.data()) >= 0) {
                    throw Check.fail(
                            "step changed the gradient of " + t.name() + "; an optimizer only reads gradients");
                }
            }
        }
        return "gradients unchanged over " + STEPS + " steps";
    }

    private String descends() {
        Optimizer o = newOptimizer();
        double lr = o.learningRate();
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw Check.fail("learningRate() is " + lr + "; it must be positive and finite");
        }
        ParameterSet params = GradientFixture.params(1);
        o.bind(params, KernelsCache.auto(1));
        ParameterSet before = params.copy();
        ParameterSet g = GradientFixture.grads(700, 1);
        o.step(params, g);
        long moved = 0;
        long candidates = 0;
        for (Tensor t : params) {
            float[] p0 = before.get(t.name()).data();
            float[] gg = g.get(t.name()).data();
            for (int i = 0; i < p0.length; i++) {
                double delta = (double) t.data()[i] - p0[i];
                if (delta * gg[i] > 0) {
                    throw Check.fail("the first step moved " + t.name() + "[" + i + "] uphill: gradient " + gg[i]
                            + ", parameter " + p0[i] + " → " + t.data()[i]);
                }
                if (Math.abs(gg[i]) >= 1e-3) {
                    candidates++;
                    moved += delta != 0 ? 1 : 0;
                }
            }
        }
        if (moved < 0.99 * candidates) {
            throw Check.fail(
                    "the first step moved only " + moved + " of " + candidates + " parameters with a gradient");
        }
        // f(θ) = ½ Σ a_i (θ_i − t_i)², gradient a ⊙ (θ − t), curvatures a in [0.5, 2]
        Optimizer q = newOptimizer();
        ParameterSet theta = GradientFixture.params(2);
        ParameterSet target = GradientFixture.params(3);
        ParameterSet curvature = GradientFixture.params(4);
        for (Tensor t : curvature) {
            for (int i = 0; i < t.size(); i++) {
                t.data()[i] = 1.25f + 1.5f * t.data()[i];
            }
        }
        ParameterSet grad = theta.zerosLike();
        q.bind(theta, KernelsCache.auto(1));
        double start = bowl(theta, target, curvature, grad);
        q.step(theta, grad);
        double first = bowl(theta, target, curvature, grad);
        double end = first;
        for (int i = 1; i < 100; i++) {
            q.step(theta, grad);
            end = bowl(theta, target, curvature, grad);
        }
        if (!(end < start) || (!corner && !(first < start))) {
            throw Check.fail("on a convex quadratic the loss went " + (float) start + " → " + (float) first
                    + " after one step and → " + (float) end + " after 100");
        }
        return "the first step moves every parameter against its gradient; a convex quadratic falls from "
                + (float) start + " to " + (float) end + " in 100 steps";
    }

    /** The quadratic's value at θ; writes its gradient into {@code grad}. */
    private static double bowl(ParameterSet theta, ParameterSet target, ParameterSet curvature, ParameterSet grad) {
        double f = 0;
        for (Tensor t : theta) {
            float[] tt = target.get(t.name()).data();
            float[] a = curvature.get(t.name()).data();
            float[] g = grad.get(t.name()).data();
            for (int i = 0; i < t.size(); i++) {
                double d = (double) t.data()[i] - tt[i];
                f += 0.5 * a[i] * d * d;
                g[i] = (float) (a[i] * d);
            }
        }
        return f;
    }

    /** Instance 1 has other parameters and takes the gradients in reverse order. */
    private String instances() throws Exception {
        List<ParameterSet> grads = gradients();
        return Isolation.check(
                v -> {
                    Optimizer o = newOptimizer();
                    ParameterSet params = GradientFixture.params(1 + v);
                    o.bind(params, KernelsCache.auto(1));
                    Recording rec = new Recording();
                    Runnable[] calls = new Runnable[grads.size()];
                    for (int i = 0; i < calls.length; i++) {
                        ParameterSet g = grads.get(v == 0 ? i : calls.length - 1 - i);
                        String label = "after step " + (i + 1) + ":";
                        calls[i] = () -> {
                            o.step(params, g);
                            GradientFixture.record(rec, label, params);
                        };
                    }
                    return new Isolation.Script(calls, rec);
                },
                grads.size() + " steps");
    }

    private String deterministic() {
        String diff = trajectory(KernelsCache.auto(1)).firstDifference(trajectory(KernelsCache.auto(1)));
        if (diff != null) {
            throw Check.fail("two instances give different bits: " + diff);
        }
        return "two instances give the same bits over " + STEPS + " steps";
    }

    private String threadCounts() {
        Recording one = trajectory(KernelsCache.auto(1));
        for (int threads = 2; threads <= 3; threads++) {
            Kernels k = KernelsCache.multiThreaded(threads);
            for (int repeat = 0; repeat < 3; repeat++) {
                String diff = one.firstDifference(trajectory(k));
                if (diff != null) {
                    throw Check.fail("bound to " + threads + " threads the trajectory differs from 1 thread: " + diff);
                }
            }
        }
        return "the same bits bound to 1, 2 and 3 threads over " + STEPS + " steps";
    }

    /** step on 2 threads (1 without SIMD) with a fixed gradient. */
    static Allocation.Workload workload(OptimizerFactory factory, Map<String, String> options) {
        Optimizer o = OptionChecks.create(factory, options);
        ParameterSet params = GradientFixture.params(1);
        ParameterSet grads = GradientFixture.grads(800, 1e-3);
        o.bind(params, KernelsCache.auto(2));
        return () -> o.step(params, grads);
    }

    private String allocation() {
        return Allocation.check(
                workload(factory, options),
                new Allocation.ProbeSpec("optimizer", factory.getClass(), 0, 0, options),
                settings);
    }

    private String checkpoint() {
        List<ParameterSet> grads = gradients();
        int split = 3;
        Optimizer a = newOptimizer();
        ParameterSet pa = GradientFixture.params(1);
        a.bind(pa, KernelsCache.auto(1));
        trajectory(a, pa, grads, 0, split);
        MemoryState saved = new MemoryState();
        a.saveState(saved);
        MemoryState again = new MemoryState();
        a.saveState(again);
        if (saved.firstDifference(again) != null) {
            throw Check.fail("saving twice in a row gives different checkpoints: " + saved.firstDifference(again));
        }
        Optimizer b = newOptimizer();
        ParameterSet pb = pa.copy();
        b.bind(pb, KernelsCache.auto(1));
        b.loadState(saved);
        Recording ra = trajectory(a, pa, grads, split, STEPS);
        Recording rb = trajectory(b, pb, grads, split, STEPS);
        String diff = ra.firstDifference(rb);
        if (diff != null) {
            throw Check.fail(
                    "after saving " + saved + " at step " + split + " and loading it into a fresh instance, the"
                            + " parameters differ from an uninterrupted run's: " + diff
                            + "; loadState must restore everything saveState wrote");
        }
        MemoryState endA = new MemoryState();
        MemoryState endB = new MemoryState();
        a.saveState(endA);
        b.saveState(endB);
        if (endA.firstDifference(endB) != null) {
            throw Check.fail(
                    "after the same steps the resumed instance saves other state: " + endA.firstDifference(endB));
        }
        return "saved " + saved + " after " + split
                + " steps; a fresh instance loading it continues with the same bits";
    }

    private String mismatched() {
        try {
            newOptimizer().step(GradientFixture.params(1), GradientFixture.grads(900, 1));
            throw Check.fail("step before bind did not complain");
        } catch (IllegalStateException | IllegalArgumentException | ConfigurationException e) {
            // refused, as it must
        } catch (RuntimeException e) {
            throw Check.fail("step before bind threw " + Check.describe(e) + ", not an IllegalStateException");
        }
        ParameterSet bound = GradientFixture.params(1);
        ParameterSet reordered = GradientFixture.reordered(GradientFixture.grads(901, 1));
        // Gradients in another order: either matched by name or refused, never applied by position.
        Optimizer byName = newOptimizer();
        byName.bind(bound, KernelsCache.auto(1));
        ParameterSet expected = bound.copy();
        Optimizer reference = newOptimizer();
        reference.bind(expected, KernelsCache.auto(1));
        reference.step(expected, GradientFixture.grads(901, 1));
        String outcome = attempt(byName, bound, reordered, "gradients listed in another order than the parameters");
        if (outcome != null && !outcome.equals("refused")) {
            throw Check.fail(outcome);
        }
        if (outcome == null) {
            for (Tensor t : bound) {
                int at = Numbers.firstDifference(expected.get(t.name()).data(), t.data());
                if (at >= 0) {
                    throw Check.fail("with gradients listed in another order than the parameters, " + t.name() + "["
                            + at + "] became " + t.data()[at] + " instead of "
                            + expected.get(t.name()).data()[at]
                            + "; match gradients to parameters by name, or refuse them");
                }
            }
        }
        Object[][] cases = {
            {
                GradientFixture.params(1),
                GradientFixture.reshaped(902, "W", 1),
                "gradients whose W is 5x6 for a 5x5 parameter"
            },
            {
                GradientFixture.params(1),
                GradientFixture.without(GradientFixture.grads(903, 1), "c"),
                "gradients without a tensor for parameter c"
            },
            {
                GradientFixture.reshaped(904, "W", 0.5),
                GradientFixture.reshaped(905, "W", 1),
                "parameters and gradients whose W is 5x6 when it was bound to a 5x5 W"
            },
        };
        for (Object[] c : cases) {
            Optimizer o = newOptimizer();
            o.bind(GradientFixture.params(1), KernelsCache.auto(1));
            ParameterSet p = (ParameterSet) c[0];
            String result = attempt(o, p, (ParameterSet) c[1], (String) c[2]);
            if (result == null || result.startsWith("accepted")) {
                throw Check.fail(result == null ? "accepted " + c[2] + " and updated the parameters" : result);
            }
            if (!result.equals("refused")) {
                throw Check.fail(result);
            }
        }
        return "refuses a step before bind, gradients or parameters of other shapes, a missing tensor; gradients in"
                + " another order are " + (outcome == null ? "matched by name" : "refused");
    }

    /**
     * Steps once; "refused" when it threw a clear exception and left the parameters alone, null
     * when it accepted, else what went wrong.
     */
    private static String attempt(Optimizer o, ParameterSet params, ParameterSet grads, String what) {
        ParameterSet before = params.copy();
        try {
            o.step(params, grads);
            return null;
        } catch (IllegalArgumentException | IllegalStateException | ConfigurationException e) {
            for (Tensor t : params) {
                if (Numbers.firstDifference(before.get(t.name()).data(), t.data()) >= 0) {
                    return "refused " + what + " but had already changed parameter " + t.name();
                }
            }
            return "refused";
        } catch (RuntimeException e) {
            boolean half = false;
            for (Tensor t : params) {
                half |= Numbers.firstDifference(before.get(t.name()).data(), t.data()) >= 0;
            }
            return what + " made it throw " + Check.describe(e) + (half ? " after changing some parameters" : "")
                    + ", not a clear refusal (IllegalArgumentException naming the shapes)";
        }
    }
}
