package org.bptt.testkit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bptt.api.gradient.GradientPolicy;
import org.bptt.api.gradient.GradientPolicyFactory;
import org.bptt.api.gradient.PolicyReport;
import org.bptt.api.kernel.Kernels;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.tensor.ParameterSet;
import org.bptt.api.tensor.Tensor;
import org.bptt.testkit.ContractSettings;

/**
 * The gradient-policy contract: it changes only the gradients, reports truthfully what it did
 * (the trainer detects non-finite gradients and counts clipping from the report), gives the
 * same bits on any thread count and after a checkpoint round trip, allocates nothing per
 * update, and refuses gradients that do not match the parameters.
 */
public final class PolicySuite {
    public static final String OPTIONS = OptionChecks.NAME;
    public static final String LEAVES_PARAMETERS = "leaves-parameters-alone";
    public static final String REPORT = "reports-what-it-did";
    public static final String NON_FINITE = "reports-non-finite-gradients";
    public static final String DETERMINISM = "deterministic";
    public static final String INSTANCES = Isolation.NAME;
    public static final String THREADS = "thread-counts-give-same-bits";
    public static final String ALLOCATION = "no-allocation-per-update";
    public static final String CHECKPOINT = "checkpoint-round-trip";
    public static final String MISMATCHED = "refuses-mismatched-gradients";

    private final GradientPolicyFactory factory;
    private final Map<String, String> options;
    private final ContractSettings settings;

    public PolicySuite(GradientPolicyFactory factory, Map<String, String> options, ContractSettings settings) {
        this.factory = factory;
        this.options = Map.copyOf(options);
        this.settings = settings;
    }

    public List<Check> checks() {
        return List.of(
                new Check(OPTIONS, () -> OptionChecks.run(factory, options, settings, GradientPolicy::describe)),
                new Check(LEAVES_PARAMETERS, this::leavesParameters),
                new Check(REPORT, this::reports),
                new Check(NON_FINITE, this::nonFinite),
                new Check(DETERMINISM, this::deterministic),
                new Check(INSTANCES, this::instances),
                new Check(THREADS, this::threadCounts),
                new Check(ALLOCATION, this::allocation),
                new Check(CHECKPOINT, this::checkpoint),
                new Check(MISMATCHED, this::mismatched));
    }

    private GradientPolicy newPolicy() {
        return OptionChecks.create(factory, options);
    }

    /**
     * Gradients of global norms from about 0.05 to 50 000, one with a zero tensor and one with
     * a single huge component: below and above any sensible threshold.
     */
    static List<ParameterSet> inputs() {
        List<ParameterSet> list = new ArrayList<>();
        double[] scales = {1e-3, 0.3, 30, 1, 1e3, 0.05, 3};
        for (int i = 0; i < scales.length; i++) {
            list.add(GradientFixture.grads(100 + i, scales[i]));
        }
        ParameterSet zero = GradientFixture.grads(200, 1);
        zero.get("b").fill(0f);
        list.add(zero);
        ParameterSet spike = GradientFixture.grads(201, 0.01);
        spike.get("M").data()[777] = 500f;
        list.add(spike);
        return list;
    }

    private static Recording sequence(GradientPolicy p, Kernels k, List<ParameterSet> inputs, int from, int to) {
        ParameterSet params = GradientFixture.params(1);
        Recording rec = new Recording();
        PolicyReport report = new PolicyReport();
        for (int i = from; i < to; i++) {
            ParameterSet g = inputs.get(i).copy();
            p.apply(params, g, k, report);
            GradientFixture.record(rec, "update " + i + ": gradient of", g);
            rec.add(
                    "update " + i + ": report",
                    report.normBefore(),
                    report.normAfter(),
                    report.scale(),
                    report.clipped() ? 1 : 0,
                    report.changedComponents());
        }
        return rec;
    }

    private String leavesParameters() {
        GradientPolicy p = newPolicy();
        ParameterSet params = GradientFixture.params(1);
        ParameterSet before = params.copy();
        PolicyReport report = new PolicyReport();
        for (ParameterSet g : inputs()) {
            p.apply(params, g.copy(), KernelsCache.auto(1), report);
            for (Tensor t : params) {
                if (Numbers.firstDifference(before.get(t.name()).data(), t.data()) >= 0) {
                    throw Check.fail("apply changed parameter " + t.name() + "; a policy changes only the gradients");
                }
            }
        }
        return "parameters unchanged over " + inputs().size() + " updates";
    }

    private String reports() {
        GradientPolicy p = newPolicy();
        ParameterSet params = GradientFixture.params(1);
        PolicyReport report = new PolicyReport();
        int clipped = 0;
        List<ParameterSet> inputs = inputs();
        for (int i = 0; i < inputs.size(); i++) {
            ParameterSet in = inputs.get(i);
            ParameterSet g = in.copy();
            report.set(-1, -1, -1, false, -1);
            p.apply(params, g, KernelsCache.auto(1), report);
            String at = "update " + i + " (norm " + (float) GradientFixture.norm(in) + "): ";
            double before = GradientFixture.norm(in);
            double after = GradientFixture.norm(g);
            if (Math.abs(report.normBefore() - before) > 1e-6 * before) {
                throw Check.fail(at + "reported normBefore " + report.normBefore()
                        + " but the gradients' global L2 norm" + " is " + before);
            }
            if (Math.abs(report.normAfter() - after) > 1e-5 * after + 1e-30) {
                throw Check.fail(at + "reported normAfter " + report.normAfter()
                        + " but the gradients' norm after it is " + after);
            }
            long changed = 0;
            for (Tensor t : g) {
                float[] a = in.get(t.name()).data();
                for (int k = 0; k < a.length; k++) {
                    if (Float.floatToIntBits(a[k]) != Float.floatToIntBits(t.data()[k])) {
                        changed++;
                    }
                }
            }
            if (report.clipped() != (changed > 0)) {
                throw Check.fail(
                        at + "reported clipped=" + report.clipped() + " but changed " + changed + " components");
            }
            if (report.changedComponents() < changed
                    || report.changedComponents() > in.totalSize()
                    || (changed == 0 && report.changedComponents() != 0)) {
                throw Check.fail(at + "reported " + report.changedComponents() + " changed components but changed "
                        + changed + " of " + in.totalSize());
            }
            if (report.scale() != 1.0) {
                for (Tensor t : g) {
                    float[] a = in.get(t.name()).data();
                    for (int k = 0; k < a.length; k++) {
                        if (Math.abs(t.data()[k] - report.scale() * a[k]) > 1e-6 * Math.abs(a[k]) + 1e-30) {
                            throw Check.fail(at + "reported scale " + report.scale() + " but " + t.name() + "[" + k
                                    + "] went from " + a[k] + " to " + t.data()[k]);
                        }
                    }
                }
            }
            clipped += report.clipped() ? 1 : 0;
        }
        return "norms before and after, scale, clipped and changed components as reported over " + inputs.size()
                + " updates (" + clipped + " changed the gradients)";
    }

    private String nonFinite() {
        GradientPolicy p = newPolicy();
        ParameterSet params = GradientFixture.params(1);
        PolicyReport report = new PolicyReport();
        float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        for (float v : bad) {
            ParameterSet g = GradientFixture.grads(300, 1);
            g.get("W").data()[7] = v;
            report.set(0, 0, 1, false, 0);
            p.apply(params, g, KernelsCache.auto(1), report);
            if (Double.isFinite(report.normBefore())) {
                throw Check.fail(
                        "with a gradient component of " + v + " the report's normBefore is " + report.normBefore()
                                + "; the trainer stops or skips on a non-finite norm, so it must see one");
            }
        }
        return "a NaN or infinite component makes normBefore non-finite";
    }

    private String deterministic() {
        List<ParameterSet> inputs = inputs();
        Recording a = sequence(newPolicy(), KernelsCache.auto(1), inputs, 0, inputs.size());
        Recording b = sequence(newPolicy(), KernelsCache.auto(1), inputs, 0, inputs.size());
        String diff = a.firstDifference(b);
        if (diff != null) {
            throw Check.fail("two instances give different bits: " + diff);
        }
        return "two instances give the same bits over " + inputs.size() + " updates";
    }

    /** Instance 1 sees the updates in reverse order, so that any state it keeps differs from instance 0's. */
    private String instances() throws Exception {
        List<ParameterSet> inputs = inputs();
        return Isolation.check(
                v -> {
                    GradientPolicy p = newPolicy();
                    ParameterSet params = GradientFixture.params(1 + v);
                    Recording rec = new Recording();
                    PolicyReport report = new PolicyReport();
                    Runnable[] calls = new Runnable[inputs.size()];
                    for (int i = 0; i < calls.length; i++) {
                        ParameterSet in = inputs.get(v == 0 ? i : calls.length - 1 - i);
                        String label = "update " + i;
                        calls[i] = () -> {
                            ParameterSet g = in.copy();
                            p.apply(params, g, KernelsCache.auto(1), report);
                            GradientFixture.record(rec, label + ": gradient of", g);
                            rec.add(
                                    label + ": report",
                                    report.normBefore(),
                                    report.normAfter(),
                                    report.scale(),
                                    report.clipped() ? 1 : 0,
                                    report.changedComponents());
                        };
                    }
                    return new Isolation.Script(calls, rec);
                },
                inputs.size() + " updates");
    }

    private String threadCounts() {
        List<ParameterSet> inputs = inputs();
        Recording one = sequence(newPolicy(), KernelsCache.auto(1), inputs, 0, inputs.size());
        for (int threads = 2; threads <= 3; threads++) {
            Kernels k = KernelsCache.multiThreaded(threads);
            for (int repeat = 0; repeat < 3; repeat++) {
                String diff = one.firstDifference(sequence(newPolicy(), k, inputs, 0, inputs.size()));
                if (diff != null) {
                    throw Check.fail("on " + threads + " threads the result differs from 1 thread: " + diff);
                }
            }
        }
        return "the same bits on 1, 2 and 3 threads over " + inputs.size() + " updates";
    }

    /** apply on 2 threads (1 without SIMD), the gradients restored before each. */
    static Allocation.Workload workload(GradientPolicyFactory factory, Map<String, String> options) {
        GradientPolicy p = OptionChecks.create(factory, options);
        Kernels k = KernelsCache.auto(2);
        ParameterSet params = GradientFixture.params(1);
        ParameterSet saved = GradientFixture.grads(400, 3);
        ParameterSet grads = saved.copy();
        PolicyReport report = new PolicyReport();
        return () -> {
            GradientFixture.copy(saved, grads);
            p.apply(params, grads, k, report);
        };
    }

    private String allocation() {
        return Allocation.check(
                workload(factory, options),
                new Allocation.ProbeSpec("policy", factory.getClass(), 0, 0, options),
                settings);
    }

    private String checkpoint() {
        List<ParameterSet> inputs = inputs();
        int split = 4;
        GradientPolicy a = newPolicy();
        sequence(a, KernelsCache.auto(1), inputs, 0, split);
        MemoryState saved = new MemoryState();
        a.saveState(saved);
        MemoryState again = new MemoryState();
        a.saveState(again);
        if (saved.firstDifference(again) != null) {
            throw Check.fail("saving twice in a row gives different checkpoints: " + saved.firstDifference(again));
        }
        GradientPolicy b = newPolicy();
        b.loadState(saved);
        Recording ra = sequence(a, KernelsCache.auto(1), inputs, split, inputs.size());
        Recording rb = sequence(b, KernelsCache.auto(1), inputs, split, inputs.size());
        String diff = ra.firstDifference(rb);
        if (diff != null) {
            throw Check.fail("after saving " + saved
                    + " and loading it into a fresh instance, the updates differ from an"
                    + " uninterrupted instance's: " + diff + "; loadState must restore everything saveState wrote");
        }
        MemoryState endA = new MemoryState();
        MemoryState endB = new MemoryState();
        a.saveState(endA);
        b.saveState(endB);
        if (endA.firstDifference(endB) != null) {
            throw Check.fail(
                    "after the same updates the resumed instance saves other state: " + endA.firstDifference(endB));
        }
        return saved.size() == 0
                ? "stateless: saves nothing, and a fresh instance continues with the same bits"
                : "saved " + saved + " after " + split
                        + " updates; a fresh instance loading it continues with the same bits";
    }

    private String mismatched() {
        ParameterSet params = GradientFixture.params(1);
        List<ParameterSet> wrong = List.of(
                GradientFixture.reshaped(500, "W", 1), GradientFixture.without(GradientFixture.grads(501, 1), "c"));
        String[] what = {"gradients whose W is 5x6 for a 5x5 parameter", "gradients without a tensor for parameter c"};
        for (int i = 0; i < wrong.size(); i++) {
            ParameterSet g = wrong.get(i);
            ParameterSet before = g.copy();
            try {
                newPolicy().apply(params, g, KernelsCache.auto(1), new PolicyReport());
            } catch (IllegalArgumentException | IllegalStateException | ConfigurationException e) {
                for (Tensor t : g) {
                    if (Numbers.firstDifference(before.get(t.name()).data(), t.data()) >= 0) {
                        throw Check.fail("refused " + what[i] + " but changed the gradient of " + t.name() + " first");
                    }
                }
                continue;
            } catch (RuntimeException e) {
                throw Check.fail(what[i] + " made it throw " + Check.describe(e)
                        + ", not a clear refusal (IllegalArgumentException naming the shapes)");
            }
            throw Check.fail("accepted " + what[i] + " without complaint");
        }
        return "refuses gradients of another shape or without a parameter's tensor";
    }
}
