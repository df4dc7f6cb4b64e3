package org.bptt.examples.gated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.bptt.api.gradient.GradientPolicy;
import org.bptt.api.gradient.PolicyReport;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.tensor.ParameterSet;
import org.bptt.api.tensor.Tensor;
import org.bptt.api.truncation.Truncation;
import org.bptt.api.truncation.Truncation.Window;
import org.bptt.training.BpttTrainer;
import org.bptt.training.LossMean;
import org.bptt.training.NonFinitePolicy;
import org.bptt.training.StepResult;
import org.bptt.training.TrainerSettings;
import org.bptt.training.wiring.PluginChoice;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.wiring.TrainingConfig;
import org.bptt.training.wiring.TrainingModule;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every gated reference case, every field, on both backends, through the platform's own
 * trainer built from a configuration naming the cell (found by ServiceLoader): forward loss,
 * step losses, h_t, c_t and outputs; the six gradients by full BPTT, the gradient flow
 * ‖dL/dh_t‖ and the global norm; clipping by norm and by value; each truncated window and
 * their sum; every step of an optimizer trajectory. Tolerance from golden/README.md: relative
 * L2 error ≤ 1e-3 per tensor, |got − ref| ≤ 1e-3·max(|ref|, 1e-6) per scalar. A field this
 * test does not know fails it.
 */
final class TestGoldenCases {
    private static final double TOLERANCE = 1e-3;
    private static final Set<String> TOP_LEVEL = Set.of("name", "dtype", "cell", "activation", "loss", "sizes",
            "loss_steps", "params", "batch", "expected", "clip_norm", "clip_value", "truncated", "trajectory");
    private static final Set<String> EXPECTED = Set.of("loss", "step_losses", "hidden", "outputs", "cell_states",
            "grads", "hidden_grad_norms", "grad_global_norm");
    private static final Plugins PLUGINS = Plugins.discover();

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (Path p : GoldenCase.files()) {
            for (String backend : List.of("scalar", "simd")) {
                all.add(Arguments.of(p.getFileName().toString(), backend));
            }
        }
        return all.stream();
    }

    @Test
    void theRepositoryHoldsTheGatedCases() {
        List<Path> files = GoldenCase.files();
        // gru_small_ce, gru_tbptt_k3, lstm_small_mse, lstm_tbptt_k2_5, lstm_traj_adam at least.
        assertTrue(files.size() >= 5, "found only " + files + " in " + GoldenCase.folder().toAbsolutePath());
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void everyFieldMatches(String fileName, String backend) {
        if (backend.equals("simd")) {
            Assumptions.assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                    "jdk.incubator.vector is not in the boot layer");
        }
        GoldenCase gc = new GoldenCase(GoldenCase.folder().resolve(fileName));
        CaseRun run = new CaseRun(gc, backend);
        run.run();
        assertTrue(run.failures.isEmpty(), fileName + " on " + backend + ": " + run.failures.size() + " of " + run.checks
                + " checks failed:\n  " + String.join("\n  ", run.failures));
        // Every case checks its forward values and six gradients at least; a case that checked
        // almost nothing would pass vacuously.
        assertTrue(run.checks >= 14, fileName + ": only " + run.checks + " checks");
    }

    /** The checks of one case on one backend. */
    private static final class CaseRun {
        final GoldenCase gc;
        final String backend;
        final List<String> failures = new ArrayList<>();
        int checks;

        CaseRun(GoldenCase gc, String backend) {
            this.gc = gc;
            this.backend = backend;
        }

        void run() {
            for (String f : gc.root.keySet()) {
                if (!TOP_LEVEL.contains(f)) {
                    failures.add(f + ": unknown field, this test cannot check it");
                }
            }
            assertEquals("tanh", gc.root.get("activation"), "gated cases use PyTorch's activations");
            checkForwardAndGradients();
            if (gc.root.containsKey("clip_norm")) {
                checkClip("clip_norm", "threshold", "clip-norm");
            }
            if (gc.root.containsKey("clip_value")) {
                checkClip("clip_value", "value", "clip-value");
            }
            if (gc.root.containsKey("truncated")) {
                checkTruncated();
            }
            if (gc.root.containsKey("trajectory")) {
                checkTrajectory();
            }
        }

        BpttTrainer trainer(PluginChoice optimizer, PluginChoice policy) {
            TrainingConfig config = new TrainingConfig(gc.in, gc.hid, gc.out, PluginChoice.of(gc.cell), PluginChoice.of(gc.loss),
                    optimizer, policy, PluginChoice.of("full"), PluginChoice.of("xavier"), 0L, backend, 1,
                    new TrainerSettings(LossMean.SEQUENCE, true, NonFinitePolicy.SKIP, true));
            BpttTrainer t = TrainingModule.trainer(config);
            assertEquals(backend, t.kernels().name());
            assertEquals(gc.cell, t.model().cell().describe());
            Map<String, Object> params = GoldenCase.map(gc.root, "params");
            for (String n : GoldenCase.PARAMS) {
                float[] d = t.model().params().get(n).data();
                double[] src = GoldenCase.flat(params.get(n), gc.size(n));
                for (int i = 0; i < d.length; i++) {
                    d[i] = (float) src[i];
                }
            }
            return t;
        }

        void checkForwardAndGradients() {
            Map<String, Object> exp = GoldenCase.map(gc.root, "expected");
            for (String f : exp.keySet()) {
                if (!EXPECTED.contains(f)) {
                    failures.add("expected." + f + ": unknown field, this test cannot check it");
                }
            }
            BpttTrainer t = trainer(PluginChoice.of("sgd"), PluginChoice.of("none"));
            int b = gc.batchSize;
            int steps = gc.steps;
            int hid = gc.hid;
            int width = t.model().stateWidth();
            int slot = b * width;
            double loss = t.forward(gc.batch);
            if (exp.containsKey("loss")) {
                scalar("forward.loss", loss, (Double) exp.get("loss"));
            }
            if (exp.containsKey("step_losses")) {
                double[] got = new double[b * steps];
                for (int s = 0; s < b; s++) {
                    for (int u = 0; u < steps; u++) {
                        got[s * steps + u] = t.rowLosses()[u * b + s];
                    }
                }
                tensor("forward.step_losses", got, GoldenCase.flat(exp.get("step_losses"), b * steps));
            }
            for (String field : List.of("hidden", "cell_states")) {
                if (exp.containsKey(field)) {
                    int part = field.equals("hidden") ? 0 : hid;
                    if (part + hid > width) {
                        failures.add("expected." + field + ": the " + gc.cell + " state has no such part");
                        continue;
                    }
                    double[] got = new double[b * steps * hid];
                    float[] st = t.states();
                    for (int s = 0; s < b; s++) {
                        for (int u = 0; u < steps; u++) {
                            for (int j = 0; j < hid; j++) {
                                got[(s * steps + u) * hid + j] = st[(u + 1) * slot + s * width + part + j];
                            }
                        }
                    }
                    tensor("forward." + field, got, GoldenCase.flat(exp.get(field), b * steps * hid));
                }
            }
            if (exp.containsKey("outputs")) {
                int out = gc.out;
                double[] got = new double[b * steps * out];
                for (int s = 0; s < b; s++) {
                    for (int u = 0; u < steps; u++) {
                        for (int j = 0; j < out; j++) {
                            got[(s * steps + u) * out + j] = t.outputs()[(u * b + s) * out + j];
                        }
                    }
                }
                tensor("forward.outputs", got, GoldenCase.flat(exp.get("outputs"), b * steps * out));
            }
            ParameterSet g = t.gradients(gc.batch, t.truncation().windows(steps), null);
            if (exp.containsKey("grads")) {
                compare("grads", g, GoldenCase.map(exp, "grads"));
            }
            if (exp.containsKey("hidden_grad_norms")) {
                double[] got = new double[b * steps];
                for (int s = 0; s < b; s++) {
                    for (int u = 0; u < steps; u++) {
                        got[s * steps + u] = t.hiddenGradNorms()[u * b + s];
                    }
                }
                tensor("hidden_grad_norms", got, GoldenCase.flat(exp.get("hidden_grad_norms"), b * steps));
            }
            if (exp.containsKey("grad_global_norm")) {
                double sq = 0;
                for (Tensor x : g) {
                    sq += t.kernels().sumOfSquares(x.size(), x.data(), 0);
                }
                scalar("grad_global_norm", Math.sqrt(sq), (Double) exp.get("grad_global_norm"));
            }
        }

        void checkClip(String field, String option, String plugin) {
            Map<String, Object> node = GoldenCase.map(gc.root, field);
            BpttTrainer t = trainer(PluginChoice.of("sgd"), PluginChoice.of("none"));
            ParameterSet g = t.gradients(gc.batch, t.truncation().windows(gc.steps), null);
            GradientPolicy policy = PLUGINS.policies().get(plugin).create(PluginOptions.empty(plugin).with(option, node.get(option)));
            policy.apply(t.model().params(), g, t.kernels(), new PolicyReport());
            compare(field + ".grads", g, GoldenCase.map(node, "grads"));
        }

        @SuppressWarnings("unchecked")
        void checkTruncated() {
            Map<String, Object> node = GoldenCase.map(gc.root, "truncated");
            int k1 = GoldenCase.integer(node.get("k1"));
            int k2 = GoldenCase.integer(node.get("k2"));
            Truncation tr = PLUGINS.truncations().get("tbptt").create(PluginOptions.empty("tbptt").with("k1", k1).with("k2", k2));
            List<Window> windows = tr.windows(gc.steps);
            List<Object> chunks = (List<Object>) node.get("chunk_grads");
            checks++;
            if (chunks.size() != windows.size()) {
                failures.add("truncated.windows: expected " + chunks.size() + " windows, tbptt makes " + windows.size());
            }
            BpttTrainer t = trainer(PluginChoice.of("sgd"), PluginChoice.of("none"));
            List<ParameterSet> got = new ArrayList<>();
            List<Double> losses = new ArrayList<>();
            ParameterSet sum = t.gradients(gc.batch, windows, (w, loss, g) -> {
                got.add(g.copy());
                losses.add(loss);
            });
            for (int i = 0; i < Math.min(chunks.size(), windows.size()); i++) {
                String p = "truncated.chunk_grads[" + i + "]";
                Map<String, Object> c = (Map<String, Object>) chunks.get(i);
                Window w = windows.get(i);
                double[] lr = GoldenCase.flat(c.get("loss_steps"), 2);
                double[] br = GoldenCase.flat(c.get("backprop_steps"), 2);
                checks++;
                if (lr[0] != w.lossFrom() || lr[1] != w.lossTo() || br[0] != w.backFrom() || br[1] != w.backTo()) {
                    failures.add(p + ".window: expected losses [" + lr[0] + "," + lr[1] + ") through [" + br[0] + "," + br[1]
                            + "), got " + w);
                }
                if (c.containsKey("loss")) {
                    scalar(p + ".loss", losses.get(i), (Double) c.get("loss"));
                }
                compare(p + ".grads", got.get(i), GoldenCase.map(c, "grads"));
            }
            if (node.containsKey("sum")) {
                compare("truncated.sum", sum, GoldenCase.map(node, "sum"));
            }
        }

        @SuppressWarnings("unchecked")
        void checkTrajectory() {
            Map<String, Object> node = GoldenCase.map(gc.root, "trajectory");
            String opt = (String) node.get("optimizer");
            Map<String, String> options = new HashMap<>();
            options.put("lr", Double.toString((Double) node.get("lr")));
            if (node.get("hyper") instanceof Map<?, ?> hyper) {
                for (Map.Entry<?, ?> e : hyper.entrySet()) {
                    switch ((String) e.getKey()) {
                        case "betas" -> {
                            double[] bt = GoldenCase.flat(e.getValue(), 2);
                            options.put("beta1", Double.toString(bt[0]));
                            options.put("beta2", Double.toString(bt[1]));
                        }
                        case "eps", "alpha", "momentum" -> options.put((String) e.getKey(), Double.toString((Double) e.getValue()));
                        default -> failures.add("trajectory.hyper." + e.getKey() + ": unknown hyper-parameter");
                    }
                }
            }
            if (node.get("momentum") instanceof Double m) {
                options.put("momentum", Double.toString(m));
            }
            PluginChoice policy = node.get("clip_norm") instanceof Double clip
                    ? new PluginChoice("clip-norm", Map.of("threshold", Double.toString(clip))) : PluginChoice.of("none");
            BpttTrainer t = trainer(new PluginChoice(opt, options), policy);
            List<Object> steps = (List<Object>) node.get("steps");
            assertTrue(!steps.isEmpty(), "trajectory.steps is empty");
            for (int i = 0; i < steps.size(); i++) {
                String p = "trajectory.steps[" + i + "]";
                Map<String, Object> s = (Map<String, Object>) steps.get(i);
                StepResult r = t.trainStep(gc.batch);
                if (s.containsKey("loss_before")) {
                    scalar(p + ".loss_before", r.loss(), (Double) s.get("loss_before"));
                }
                compare(p + ".params", t.model().params(), GoldenCase.map(s, "params"));
            }
        }

        void compare(String prefix, ParameterSet got, Map<String, Object> ref) {
            for (String f : ref.keySet()) {
                if (!GoldenCase.PARAMS.contains(f)) {
                    failures.add(prefix + "." + f + ": unknown parameter");
                }
            }
            for (String n : GoldenCase.PARAMS) {
                float[] d = got.get(n).data();
                double[] g = new double[d.length];
                for (int i = 0; i < d.length; i++) {
                    g[i] = d[i];
                }
                tensor(prefix + "." + n, g, GoldenCase.flat(ref.get(n), gc.size(n)));
            }
        }

        void scalar(String field, double got, double ref) {
            checks++;
            double err = Math.abs(got - ref);
            if (!(err <= TOLERANCE * Math.max(Math.abs(ref), 1e-6))) {
                failures.add(field + ": got " + got + ", reference " + ref);
            }
        }

        void tensor(String field, double[] got, double[] ref) {
            checks++;
            double diff = 0;
            double norm = 0;
            for (int i = 0; i < ref.length; i++) {
                double d = got[i] - ref[i];
                diff += d * d;
                norm += ref[i] * ref[i];
            }
            double rel = Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-12);
            if (!(rel <= TOLERANCE)) {
                failures.add(field + ": relative L2 error " + rel);
            }
        }
    }
}
