package org.bptt.testkit.conformance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.bptt.api.data.Batch;
import org.bptt.api.data.Targets;
import org.bptt.api.gradient.GradientPolicy;
import org.bptt.api.gradient.PolicyReport;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.tensor.ParameterSet;
import org.bptt.api.tensor.ParameterSpec;
import org.bptt.api.tensor.Tensor;
import org.bptt.api.truncation.Truncation;
import org.bptt.api.truncation.Truncation.Window;
import org.bptt.training.BpttTrainer;
import org.bptt.training.LossMean;
import org.bptt.training.Model;
import org.bptt.training.NonFinitePolicy;
import org.bptt.training.StepResult;
import org.bptt.training.TrainerSettings;
import org.bptt.training.diag.Spectral;
import org.bptt.training.plugin.PluginFamily;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.wiring.PluginChoice;
import org.bptt.training.wiring.TrainingConfig;
import org.bptt.training.wiring.TrainingModule;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.DynamicTest;

/**
 * Checks the platform, with the plugins it loads, against reference cases (format:
 * golden/README.md) field by field: forward values, full-BPTT gradients, gradient flow,
 * spectra, clipping, truncated BPTT window by window, and optimizer trajectories. Every field
 * present is checked; a field this platform does not know is a failed check, never silently
 * skipped. {@code rnn verify} runs this class; a plugin author's JUnit test runs it in one line:
 *
 * <pre>{@code
 * @TestFactory
 * Stream<DynamicTest> referenceCases() {
 *     return Conformance.tests(Path.of("src/test/resources/cases"));   // one test per case and backend
 * }
 * }</pre>
 *
 * A case whose {@code "cell"} names a plugin ({@code "gru"}) runs through that plugin, found by
 * ServiceLoader on the test's class path. Tolerance, from the reference README: tensors by
 * relative L2 error ≤ 1e-3, scalars by |got − ref| ≤ 1e-3·max(|ref|, 1e-6).
 */
public final class Conformance {
    static final double TOLERANCE = 1e-3;
    private static final Set<String> TOP_LEVEL = Set.of(
            "name",
            "dtype",
            "cell",
            "activation",
            "loss",
            "sizes",
            "loss_steps",
            "params",
            "batch",
            "expected",
            "clip_norm",
            "clip_value",
            "truncated",
            "trajectory");
    private static final Set<String> EXPECTED = Set.of(
            "loss",
            "step_losses",
            "hidden",
            "outputs",
            "cell_states",
            "grads",
            "hidden_grad_norms",
            "grad_global_norm",
            "spectral_radius_W",
            "spectral_norm_W");
    /** The cell a case without a "cell" field means: the classic RNN of the reference README. */
    private static final String VANILLA = "vanilla";

    /** The platform's strict mapper: a duplicate key or trailing content is a malformed case, not a silent choice. */
    private final ObjectMapper mapper = org.bptt.training.config.Json.MAPPER;

    private final String backend;
    private final int threads;
    private final Plugins plugins;

    /** Checks cases on a backend ({@code auto}, {@code scalar}, {@code simd}) with the plugins ServiceLoader finds. */
    public Conformance(String backend, int threads) {
        this(backend, threads, Plugins.discover());
    }

    /** Checks cases against the cells of {@code plugins} (a gated case names its cell: "gru", "lstm"). */
    public Conformance(String backend, int threads, Plugins plugins) {
        this.backend = backend;
        this.threads = threads;
        this.plugins = plugins;
    }

    /**
     * The case files among {@code paths}: a file as it is, a folder's {@code *.json} files in
     * name order. A path that is neither, or no case at all, is a {@link ConfigurationException}.
     */
    public static List<Path> caseFiles(List<Path> paths) {
        List<Path> cases = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(f -> f.toString().endsWith(".json")).sorted().forEach(cases::add);
                } catch (IOException e) {
                    throw new ConfigurationException(p + ": cannot list the folder (" + e.getMessage() + ")");
                }
            } else if (!Files.isRegularFile(p)) {
                throw new ConfigurationException(p + ": no such case file");
            } else {
                cases.add(p);
            }
        }
        if (cases.isEmpty()) {
            throw new ConfigurationException("no case files (*.json) were found in " + paths);
        }
        return List.copyOf(cases);
    }

    /**
     * One JUnit test per case of {@code filesOrFolders} and backend — scalar, and SIMD where the
     * Vector API module is present — each failing with the fields that missed, one per line.
     * The plugins are those ServiceLoader finds on the class path; kernels run on one thread.
     */
    public static Stream<DynamicTest> tests(Path... filesOrFolders) {
        List<Path> cases = caseFiles(Arrays.asList(filesOrFolders));
        Plugins plugins = Plugins.discover();
        List<String> backends =
                ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                        ? List.of("scalar", "simd")
                        : List.of("scalar");
        return cases.stream()
                .flatMap(c -> backends.stream()
                        .map(b -> DynamicTest.dynamicTest(
                                c.getFileName() + " on " + b, () -> assertPasses(new Conformance(b, 1, plugins), c))));
    }

    /** Checks one case and fails, listing every field that missed, unless all passed. */
    private static void assertPasses(Conformance conformance, Path file) {
        List<FieldCheck> checks = conformance.verify(file);
        List<String> failed =
                checks.stream().filter(c -> !c.passed()).map(FieldCheck::line).toList();
        Assertions.assertFalse(checks.isEmpty(), file + ": the case has nothing to check");
        Assertions.assertTrue(
                failed.isEmpty(),
                () -> file + " on " + conformance.backend + ": " + failed.size() + " of " + checks.size()
                        + " fields missed:\n  " + String.join("\n  ", failed));
    }

    /** Reads and checks one case file. A malformed file throws {@link CaseFormatException}. */
    public List<FieldCheck> verify(Path file) {
        JsonNode root;
        String fileName = file.toString();
        try {
            root = mapper.readTree(org.bptt.training.config.Json.readText(file, "case file"));
        } catch (JsonProcessingException e) {
            throw new ConfigurationException(fileName + ": " + org.bptt.training.config.Json.describe(e, "case file"));
        }
        if (root == null || !root.isObject()) {
            throw new ConfigurationException(fileName + ": a case must be a JSON object");
        }
        return new CaseRun(new CaseReader(fileName), root).run();
    }

    /** The state of checking one case. */
    private final class CaseRun {
        private final CaseReader rd;
        private final JsonNode root;
        private final List<FieldCheck> checks = new ArrayList<>();
        private final String name;
        private int in;
        private int hid;
        private int out;
        private int steps;
        private int batchSize;
        private String lossName;
        private String activation;
        private String cellName;
        /** The model's parameters in declaration order, the cell's then V and c, with their shapes. */
        private List<ParameterSpec> specs;

        private int stateWidth;
        private Map<String, double[]> params;
        private Batch batch;

        CaseRun(CaseReader rd, JsonNode root) {
            this.rd = rd;
            this.root = root;
            JsonNode n = root.get("name");
            this.name = n != null && n.isTextual()
                    ? n.asText()
                    : Path.of(rd.file()).getFileName().toString();
        }

        List<FieldCheck> run() {
            parse();
            for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!TOP_LEVEL.contains(f)) {
                    checks.add(
                            new FieldCheck(name, f, Double.NaN, false, "unknown field: this verifier cannot check it"));
                }
            }
            checkForwardAndGradients();
            if (root.has("clip_norm")) {
                checkClip("clip_norm", "threshold", "clip-norm");
            }
            if (root.has("clip_value")) {
                checkClip("clip_value", "value", "clip-value");
            }
            if (root.has("truncated")) {
                checkTruncated();
            }
            if (root.has("trajectory")) {
                checkTrajectory();
            }
            return checks;
        }

        private void parse() {
            String dtype = root.has("dtype") ? rd.text(root.get("dtype"), "dtype") : "float64";
            if (!dtype.equals("float64") && !dtype.equals("float32")) {
                throw rd.error("dtype", "must be float64 or float32, got '" + dtype + "'");
            }
            cellName = root.has("cell") ? rd.text(root.get("cell"), "cell") : VANILLA;
            activation = rd.text(rd.field(root, "", "activation"), "activation");
            if (cellName.equals(VANILLA) && !activation.equals("tanh") && !activation.equals("relu")) {
                throw rd.error("activation", "must be tanh or relu, got '" + activation + "'");
            }
            if (!plugins.cells().all().containsKey(cellName)) {
                throw new ConfigurationException(
                        rd.file() + ": the case's cell '" + cellName + "' is not among the loaded "
                                + "plugins (known cells: "
                                + String.join(", ", plugins.cells().all().keySet())
                                + "); add the plugin that provides it to the plugin path");
            }
            lossName = rd.text(rd.field(root, "", "loss"), "loss");
            if (!lossName.equals("ce") && !lossName.equals("mse")) {
                throw rd.error("loss", "must be ce or mse, got '" + lossName + "'");
            }
            JsonNode sizes = rd.field(root, "", "sizes");
            in = positive(sizes, "input");
            hid = positive(sizes, "hidden");
            out = positive(sizes, "output");
            steps = positive(sizes, "steps");
            batchSize = positive(sizes, "batch");
            Model shape = new Model(plugins.create(PluginFamily.CELL, cellChoice()), in, hid, out);
            specs = shape.specs();
            stateWidth = shape.stateWidth();
            params = readParams(rd.field(root, "", "params"), "params");

            boolean[] lossSteps = new boolean[steps];
            JsonNode ls = rd.field(root, "", "loss_steps");
            if (!ls.isArray() || ls.isEmpty()) {
                throw rd.error("loss_steps", "must be a non-empty list of step indices");
            }
            for (int i = 0; i < ls.size(); i++) {
                int t = rd.integer(ls.get(i), "loss_steps[" + i + "]");
                if (t < 0 || t >= steps) {
                    throw rd.error("loss_steps[" + i + "]", "must be a step in [0, " + steps + "), got " + t);
                }
                lossSteps[t] = true;
            }
            JsonNode seqs = rd.field(root, "", "batch");
            if (!seqs.isArray() || seqs.size() != batchSize) {
                throw rd.error("batch", "must be a list of " + batchSize + " sequences (sizes.batch)");
            }
            float[] x = new float[steps * batchSize * in];
            float[] s0 = new float[batchSize * stateWidth];
            int[] classes = lossName.equals("ce") ? new int[steps * batchSize] : null;
            float[] values = lossName.equals("mse") ? new float[steps * batchSize * out] : null;
            for (int b = 0; b < batchSize; b++) {
                String p = "batch[" + b + "]";
                JsonNode s = seqs.get(b);
                double[] xs = rd.matrix(rd.field(s, p, "x"), p + ".x", steps, in);
                for (int t = 0; t < steps; t++) {
                    for (int i = 0; i < in; i++) {
                        x[(t * batchSize + b) * in + i] = (float) xs[t * in + i];
                    }
                }
                double[] h =
                        s.has("h0") && !s.get("h0").isNull() ? rd.vector(s.get("h0"), p + ".h0", hid) : new double[hid];
                for (int j = 0; j < hid; j++) {
                    s0[b * stateWidth + j] = (float) h[j];
                }
                if (s.has("c0") && !s.get("c0").isNull()) {
                    // The rest of the state row (an LSTM's c, width H) enters as given.
                    double[] c = rd.vector(s.get("c0"), p + ".c0", stateWidth - hid);
                    for (int j = 0; j < c.length; j++) {
                        s0[b * stateWidth + hid + j] = (float) c[j];
                    }
                }
                JsonNode tg = rd.field(s, p, "targets");
                if (classes != null) {
                    if (!tg.isArray() || tg.size() != steps) {
                        throw rd.error(p + ".targets", "must be a list of " + steps + " class indices");
                    }
                    for (int t = 0; t < steps; t++) {
                        int c = rd.integer(tg.get(t), p + ".targets[" + t + "]");
                        if (c < 0 || c >= out) {
                            throw rd.error(p + ".targets[" + t + "]", "must be a class in [0, " + out + "), got " + c);
                        }
                        classes[t * batchSize + b] = c;
                    }
                } else {
                    double[] tv = rd.matrix(tg, p + ".targets", steps, out);
                    for (int t = 0; t < steps; t++) {
                        for (int j = 0; j < out; j++) {
                            values[(t * batchSize + b) * out + j] = (float) tv[t * out + j];
                        }
                    }
                }
            }
            Targets targets = classes != null ? Targets.classes(classes) : Targets.vectors(values, out);
            batch = new Batch(batchSize, steps, in, x, targets, lossSteps, s0);
        }

        private int positive(JsonNode sizes, String key) {
            int v = rd.integer(rd.field(sizes, "sizes", key), "sizes." + key);
            if (v <= 0) {
                throw rd.error("sizes." + key, "must be at least 1, got " + v);
            }
            return v;
        }

        /** Every parameter the model declares, by name, with its declared shape (a vector is one row). */
        private Map<String, double[]> readParams(JsonNode node, String path) {
            Map<String, double[]> m = new HashMap<>();
            for (ParameterSpec sp : specs) {
                JsonNode v = rd.field(node, path, sp.name());
                m.put(
                        sp.name(),
                        sp.rows() == 1
                                        && !(v.isArray()
                                                && !v.isEmpty()
                                                && v.get(0).isArray())
                                ? rd.vector(v, path + "." + sp.name(), sp.cols())
                                : rd.matrix(v, path + "." + sp.name(), sp.rows(), sp.cols()));
            }
            return m;
        }

        private PluginChoice cellChoice() {
            return cellName.equals(VANILLA)
                    ? new PluginChoice(VANILLA, Map.of("activation", activation))
                    : PluginChoice.of(cellName);
        }

        private TrainingConfig config(PluginChoice optimizer, PluginChoice policy) {
            return new TrainingConfig(
                    in,
                    hid,
                    out,
                    cellChoice(),
                    PluginChoice.of(lossName),
                    optimizer,
                    policy,
                    PluginChoice.of("full"),
                    PluginChoice.of("xavier"),
                    0L,
                    backend,
                    threads,
                    new TrainerSettings(LossMean.SEQUENCE, true, NonFinitePolicy.SKIP, true));
        }

        private BpttTrainer trainer(PluginChoice optimizer, PluginChoice policy) {
            BpttTrainer t = TrainingModule.trainer(config(optimizer, policy), plugins);
            ParameterSet p = t.model().params();
            for (String n : p.names()) {
                float[] d = p.get(n).data();
                double[] src = params.get(n);
                for (int i = 0; i < d.length; i++) {
                    d[i] = (float) src[i];
                }
            }
            return t;
        }

        private void checkForwardAndGradients() {
            JsonNode exp = rd.field(root, "", "expected");
            for (Iterator<String> it = exp.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!EXPECTED.contains(f)) {
                    checks.add(new FieldCheck(
                            name, "expected." + f, Double.NaN, false, "unknown field: this verifier cannot check it"));
                }
            }
            BpttTrainer t = trainer(PluginChoice.of("sgd"), PluginChoice.of("none"));
            double loss = t.forward(batch);
            int slot = batchSize * stateWidth;
            if (exp.has("loss")) {
                scalar("forward.loss", loss, rd.number(exp.get("loss"), "expected.loss"));
            }
            if (exp.has("step_losses")) {
                double[] ref = rd.matrix(exp.get("step_losses"), "expected.step_losses", batchSize, steps);
                double[] got = new double[batchSize * steps];
                double[] rl = t.rowLosses();
                for (int b = 0; b < batchSize; b++) {
                    for (int s = 0; s < steps; s++) {
                        got[b * steps + s] = rl[s * batchSize + b];
                    }
                }
                tensor("forward.step_losses", got, ref);
            }
            if (exp.has("hidden")) {
                double[] ref = rd.cube(exp.get("hidden"), "expected.hidden", batchSize, steps, hid);
                double[] got = new double[ref.length];
                float[] st = t.states();
                for (int b = 0; b < batchSize; b++) {
                    for (int s = 0; s < steps; s++) {
                        for (int j = 0; j < hid; j++) {
                            got[(b * steps + s) * hid + j] = st[(s + 1) * slot + b * stateWidth + j];
                        }
                    }
                }
                tensor("forward.hidden", got, ref);
            }
            if (exp.has("cell_states")) {
                // The part of the state row after h: an LSTM's c_t.
                int w = stateWidth - hid;
                if (w < 1) {
                    checks.add(new FieldCheck(
                            name,
                            "forward.cell_states",
                            Double.NaN,
                            false,
                            "the cell " + cellName + " keeps no state beside h"));
                } else {
                    double[] ref = rd.cube(exp.get("cell_states"), "expected.cell_states", batchSize, steps, w);
                    double[] got = new double[ref.length];
                    float[] st = t.states();
                    for (int b = 0; b < batchSize; b++) {
                        for (int s = 0; s < steps; s++) {
                            for (int j = 0; j < w; j++) {
                                got[(b * steps + s) * w + j] = st[(s + 1) * slot + b * stateWidth + hid + j];
                            }
                        }
                    }
                    tensor("forward.cell_states", got, ref);
                }
            }
            if (exp.has("outputs")) {
                double[] ref = rd.cube(exp.get("outputs"), "expected.outputs", batchSize, steps, out);
                double[] got = new double[ref.length];
                float[] o = t.outputs();
                for (int b = 0; b < batchSize; b++) {
                    for (int s = 0; s < steps; s++) {
                        for (int j = 0; j < out; j++) {
                            got[(b * steps + s) * out + j] = o[(s * batchSize + b) * out + j];
                        }
                    }
                }
                tensor("forward.outputs", got, ref);
            }
            ParameterSet g = t.gradients(batch, t.truncation().windows(steps), null);
            if (exp.has("grads")) {
                compareParams("grads", g, readParams(exp.get("grads"), "expected.grads"));
            }
            if (exp.has("hidden_grad_norms")) {
                double[] ref = rd.matrix(exp.get("hidden_grad_norms"), "expected.hidden_grad_norms", batchSize, steps);
                double[] got = new double[ref.length];
                double[] hn = t.hiddenGradNorms();
                for (int b = 0; b < batchSize; b++) {
                    for (int s = 0; s < steps; s++) {
                        got[b * steps + s] = hn[s * batchSize + b];
                    }
                }
                tensor("hidden_grad_norms", got, ref);
            }
            if (exp.has("grad_global_norm")) {
                double s = 0;
                for (Tensor x : g) {
                    s += t.kernels().sumOfSquares(x.size(), x.data(), 0);
                }
                scalar(
                        "grad_global_norm",
                        Math.sqrt(s),
                        rd.number(exp.get("grad_global_norm"), "expected.grad_global_norm"));
            }
            if (exp.has("spectral_radius_W") || exp.has("spectral_norm_W")) {
                Tensor w = t.model().recurrentMatrix().orElse(null);
                if (w == null) {
                    checks.add(new FieldCheck(
                            name,
                            "spectral_radius_W",
                            Double.NaN,
                            false,
                            "the cell " + cellName + " has no single square recurrent matrix"));
                    return;
                }
                Spectral sp = Spectral.of(w);
                if (exp.has("spectral_radius_W")) {
                    scalar(
                            "spectral_radius_W",
                            sp.radius(),
                            rd.number(exp.get("spectral_radius_W"), "expected.spectral_radius_W"));
                }
                if (exp.has("spectral_norm_W")) {
                    scalar(
                            "spectral_norm_W",
                            sp.norm(),
                            rd.number(exp.get("spectral_norm_W"), "expected.spectral_norm_W"));
                }
            }
        }

        private void checkClip(String field, String option, String pluginName) {
            JsonNode node = root.get(field);
            double v = rd.number(rd.field(node, field, option), field + "." + option);
            BpttTrainer t = trainer(PluginChoice.of("sgd"), PluginChoice.of("none"));
            ParameterSet g = t.gradients(batch, t.truncation().windows(steps), null);
            GradientPolicy policy = plugins.policies()
                    .get(pluginName)
                    .create(PluginOptions.empty(pluginName).with(option, v));
            policy.apply(t.model().params(), g, t.kernels(), new PolicyReport());
            compareParams(field + ".grads", g, readParams(rd.field(node, field, "grads"), field + ".grads"));
        }

        private void checkTruncated() {
            JsonNode node = root.get("truncated");
            int k1 = rd.integer(rd.field(node, "truncated", "k1"), "truncated.k1");
            int k2 = rd.integer(rd.field(node, "truncated", "k2"), "truncated.k2");
            Truncation tr = plugins.truncations()
                    .get("tbptt")
                    .create(PluginOptions.empty("tbptt").with("k1", k1).with("k2", k2));
            List<Window> windows = tr.windows(steps);
            JsonNode chunks = rd.field(node, "truncated", "chunk_grads");
            if (!chunks.isArray()) {
                throw rd.error("truncated.chunk_grads", "must be a list of windows");
            }
            boolean sameCount = chunks.size() == windows.size();
            checks.add(new FieldCheck(
                    name,
                    "truncated.windows",
                    sameCount ? 0 : Double.NaN,
                    sameCount,
                    sameCount
                            ? ""
                            : "expected " + chunks.size() + " windows, tbptt(k1=" + k1 + ", k2=" + k2 + ") makes "
                                    + windows.size()));
            BpttTrainer t = trainer(PluginChoice.of("sgd"), PluginChoice.of("none"));
            List<ParameterSet> got = new ArrayList<>();
            List<Double> losses = new ArrayList<>();
            ParameterSet sum = t.gradients(batch, windows, (w, loss, g) -> {
                got.add(g.copy());
                losses.add(loss);
            });
            for (int i = 0; i < Math.min(chunks.size(), windows.size()); i++) {
                String p = "truncated.chunk_grads[" + i + "]";
                JsonNode c = chunks.get(i);
                Window w = windows.get(i);
                int[] lr = rd.range(rd.field(c, p, "loss_steps"), p + ".loss_steps");
                int[] br = rd.range(rd.field(c, p, "backprop_steps"), p + ".backprop_steps");
                boolean same =
                        lr[0] == w.lossFrom() && lr[1] == w.lossTo() && br[0] == w.backFrom() && br[1] == w.backTo();
                checks.add(new FieldCheck(
                        name,
                        p + ".window",
                        same ? 0 : Double.NaN,
                        same,
                        same
                                ? ""
                                : "expected losses [" + lr[0] + "," + lr[1] + ") through [" + br[0] + "," + br[1]
                                        + "), got " + w));
                if (c.has("loss")) {
                    scalar(p + ".loss", losses.get(i), rd.number(c.get("loss"), p + ".loss"));
                }
                compareParams(p + ".grads", got.get(i), readParams(rd.field(c, p, "grads"), p + ".grads"));
            }
            if (node.has("sum")) {
                compareParams("truncated.sum", sum, readParams(node.get("sum"), "truncated.sum"));
            }
        }

        private void checkTrajectory() {
            JsonNode node = root.get("trajectory");
            String opt = rd.text(rd.field(node, "trajectory", "optimizer"), "trajectory.optimizer");
            double lr = rd.number(rd.field(node, "trajectory", "lr"), "trajectory.lr");
            Map<String, String> options = new HashMap<>();
            options.put("lr", Double.toString(lr));
            JsonNode hyper = node.get("hyper");
            if (hyper != null && !hyper.isNull()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = hyper.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    String path = "trajectory.hyper." + e.getKey();
                    switch (e.getKey()) {
                        case "betas" -> {
                            double[] b = rd.vector(e.getValue(), path, 2);
                            options.put("beta1", Double.toString(b[0]));
                            options.put("beta2", Double.toString(b[1]));
                        }
                        case "eps", "alpha", "momentum" ->
                            options.put(e.getKey(), Double.toString(rd.number(e.getValue(), path)));
                        default -> checks.add(new FieldCheck(name, path, Double.NaN, false, "unknown hyper-parameter"));
                    }
                }
            }
            if (node.has("momentum") && !node.get("momentum").isNull()) {
                options.put("momentum", Double.toString(rd.number(node.get("momentum"), "trajectory.momentum")));
            }
            JsonNode clip = node.get("clip_norm");
            PluginChoice policy = clip == null || clip.isNull()
                    ? PluginChoice.of("none")
                    : new PluginChoice(
                            "clip-norm", Map.of("threshold", Double.toString(rd.number(clip, "trajectory.clip_norm"))));
            if (!plugins.optimizers().all().containsKey(opt)) {
                checks.add(new FieldCheck(
                        name,
                        "trajectory",
                        Double.NaN,
                        false,
                        "unknown optimizer '" + opt + "'; known: "
                                + String.join(", ", plugins.optimizers().all().keySet())));
                return;
            }
            BpttTrainer t = trainer(new PluginChoice(opt, options), policy);
            JsonNode stepsNode = rd.field(node, "trajectory", "steps");
            if (!stepsNode.isArray() || stepsNode.isEmpty()) {
                throw rd.error("trajectory.steps", "must be a non-empty list of steps");
            }
            for (int i = 0; i < stepsNode.size(); i++) {
                String p = "trajectory.steps[" + i + "]";
                JsonNode s = stepsNode.get(i);
                StepResult r = t.trainStep(batch);
                if (s.has("loss_before")) {
                    scalar(p + ".loss_before", r.loss(), rd.number(s.get("loss_before"), p + ".loss_before"));
                }
                compareParams(p + ".params", t.model().params(), readParams(rd.field(s, p, "params"), p + ".params"));
            }
        }

        private void compareParams(String prefix, ParameterSet got, Map<String, double[]> ref) {
            for (ParameterSpec sp : specs) {
                String n = sp.name();
                tensor(prefix + "." + n, toDouble(got.get(n).data()), ref.get(n));
            }
        }

        private void scalar(String field, double got, double ref) {
            double err = Math.abs(got - ref);
            double bound = TOLERANCE * Math.max(Math.abs(ref), 1e-6);
            double rel = err / Math.max(Math.abs(ref), 1e-6);
            checks.add(new FieldCheck(name, field, rel, err <= bound, ""));
        }

        private void tensor(String field, double[] got, double[] ref) {
            double diff = 0;
            double norm = 0;
            for (int i = 0; i < ref.length; i++) {
                double d = got[i] - ref[i];
                diff += d * d;
                norm += ref[i] * ref[i];
            }
            double rel = Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-12);
            checks.add(new FieldCheck(name, field, rel, rel <= TOLERANCE, ""));
        }
    }

    static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
