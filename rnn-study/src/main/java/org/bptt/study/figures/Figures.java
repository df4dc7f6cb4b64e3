package org.bptt.study.figures;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bptt.api.data.Task;
import org.bptt.study.experiment.ExperimentResult;
import org.bptt.study.experiment.Machine;
import org.bptt.study.experiment.Scale;
import org.bptt.study.experiment.SpectrumExperiment;
import org.bptt.training.Network;
import org.bptt.training.config.Json;
import org.bptt.training.config.RunConfig;
import org.bptt.training.diag.GradientFlowVerdict;
import org.bptt.training.diag.Interval;
import org.bptt.training.diag.NetworkFlow;
import org.bptt.training.eval.EvaluationSettings;
import org.bptt.training.eval.HeldOutEvaluator;
import org.bptt.training.plugin.PluginFamily;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.run.RunListener;
import org.bptt.training.run.RunSummary;
import org.bptt.training.run.TrainingRun;

/**
 * The measured figures of the README and docs/, each in a block between
 * {@code <!-- figures:NAME -->} and {@code <!-- /figures:NAME -->}: {@link #measure} makes a
 * block's text from the current code, {@link #rewrite} puts it in a file, {@link #agree} says
 * whether a claimed block and a fresh one match within {@link #NOISE}. Cheap blocks (seconds)
 * are checked by a test; expensive ones (training runs) only by running the tool.
 */
public final class Figures {
    /** Relative difference two figures may have and still agree: float rounding differs between backends. */
    public static final double NOISE = 0.02;
    /** Below this absolute size two figures agree whatever their ratio (a slope of −0.000 and 0.0002). */
    public static final double FLOOR = 1e-3;

    private static final Pattern BLOCK =
            Pattern.compile("(<!-- figures:([a-z-]+) -->\\n)(.*?)(<!-- /figures:\\2 -->)", Pattern.DOTALL);
    private static final Pattern NUMBER = Pattern.compile("[−-]?\\d+(?:\\.\\d+)?(?:e[−-]?\\d+)?");

    private final Plugins plugins;
    private final Map<String, Supplier<String>> cheap = new LinkedHashMap<>();
    /** Blocks that tools/figures.sh --slow measures (training runs, experiments' results), never a test. */
    private final Map<String, Supplier<String>> slow = new LinkedHashMap<>();

    public Figures(Plugins plugins) {
        this.plugins = plugins;
        cheap.put("verdict-table", this::verdictTable);
        cheap.put("examples", this::examples);
        cheap.put("spectrum-table", this::spectrumTable);
        cheap.put("flow-init-table", this::flowInitTable);
    }

    /** The names of the blocks a test may re-measure (each in seconds). */
    public List<String> cheapBlocks() {
        return List.copyOf(cheap.keySet());
    }

    /** The block's text as the current code measures it; null for a block this class does not know. */
    public String measure(String name) {
        Supplier<String> s = cheap.getOrDefault(name, slow.get(name));
        return s == null ? null : s.get();
    }

    /** Every block of {@code text}: name → content. */
    public static Map<String, String> blocks(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        Matcher x = BLOCK.matcher(text);
        while (x.find()) {
            m.put(x.group(2), x.group(3));
        }
        return m;
    }

    /** {@code text} with the blocks named in {@code fresh} replaced. */
    public static String replace(String text, Map<String, String> fresh) {
        Matcher x = BLOCK.matcher(text);
        StringBuilder b = new StringBuilder();
        while (x.find()) {
            String f = fresh.get(x.group(2));
            x.appendReplacement(b, Matcher.quoteReplacement(f == null ? x.group(0) : x.group(1) + f + x.group(4)));
        }
        x.appendTail(b);
        return b.toString();
    }

    /** Re-measures every known block of {@code file} and rewrites it; returns the names rewritten. */
    public List<String> rewrite(Path file) throws IOException {
        String text = Files.readString(file);
        Map<String, String> fresh = new LinkedHashMap<>();
        for (String name : blocks(text).keySet()) {
            String f = measure(name);
            if (f != null) {
                fresh.put(name, f);
            }
        }
        Files.writeString(file, replace(text, fresh));
        return List.copyOf(fresh.keySet());
    }

    /**
     * Empty when the claimed block and the fresh one agree: the same words, and every number
     * within {@link #NOISE} relative (or both below {@link #FLOOR}); else what differs, in words.
     */
    public static String agree(String claimed, String fresh) {
        String a = NUMBER.matcher(claimed).replaceAll("#");
        String b = NUMBER.matcher(fresh).replaceAll("#");
        if (!a.equals(b)) {
            return "the words differ: claimed «" + firstDifference(a, b) + "»";
        }
        List<Double> x = numbers(claimed);
        List<Double> y = numbers(fresh);
        for (int i = 0; i < x.size(); i++) {
            double u = x.get(i);
            double v = y.get(i);
            if (!(Math.abs(u - v) <= NOISE * Math.max(Math.abs(u), Math.abs(v))
                    || Math.abs(u) < FLOOR && Math.abs(v) < FLOOR)) {
                return "figure " + (i + 1) + " is " + u + " in the document but " + v + " measured now";
            }
        }
        return "";
    }

    private static String firstDifference(String a, String b) {
        int i = 0;
        while (i < Math.min(a.length(), b.length()) && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        int from = Math.max(0, i - 30);
        return a.substring(from, Math.min(a.length(), i + 30)) + "» against «"
                + b.substring(from, Math.min(b.length(), i + 30));
    }

    private static List<Double> numbers(String s) {
        List<Double> l = new ArrayList<>();
        Matcher m = NUMBER.matcher(s);
        while (m.find()) {
            l.add(Double.parseDouble(m.group().replace('−', '-')));
        }
        return l;
    }

    // ---------------------------------------------------------------- the blocks

    private GradientFlowVerdict verdict(String act, String init, String key, double value, int steps) {
        return verdictAtStart(Network.builder()
                .task("adding", "steps", Integer.toString(steps))
                .hidden(64)
                .cell("vanilla", "activation", act)
                .initializer(init, key, Double.toString(value))
                .config());
    }

    /** The verdict of a freshly initialized network of {@code config}, as train and analyze measure it. */
    private GradientFlowVerdict verdictAtStart(RunConfig config) {
        Network net = Network.create(config, plugins.create(PluginFamily.TASK, config.task()), plugins);
        Task task = plugins.create(PluginFamily.TASK, net.config().task());
        return NetworkFlow.measure(net, task).verdict(List.of());
    }

    /**
     * The figures of one verdict that the docs print: the gain over T and its interval, the first
     * fitted factor, λ₁ and its interval, ρ(W), the saturated and the off fractions of the unit values.
     */
    record Flow(
            Interval gain,
            int steps,
            double factor,
            Interval lyapunov,
            double radius,
            double saturated,
            double off,
            String verdict) {
        static Flow of(GradientFlowVerdict v) {
            GradientFlowVerdict.Saturation s = v.saturation();
            return new Flow(
                    v.gain().gain(),
                    v.gain().steps(),
                    v.factor(),
                    v.lyapunov().exponent(),
                    v.radius(),
                    s == null ? Double.NaN : s.saturated(),
                    s == null ? Double.NaN : s.off(),
                    v.regime().word());
        }
    }

    private static String gainText(Interval g) {
        return g.low() == g.high()
                ? "×" + sig(g.estimate())
                : "×" + sig(g.estimate()) + " (×" + sig(g.low()) + " … ×" + sig(g.high()) + ")";
    }

    /** Three significant digits with the typographic minus, ±∞ as symbols (λ₁ = −∞ when every unit went off). */
    static String signed(double x) {
        String s = Double.isInfinite(x) ? "∞" : sig(Math.abs(x));
        return x < 0 ? "−" + s : s;
    }

    private static String pctText(double fraction) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * fraction);
    }

    private static String gainText(GradientFlowVerdict v) {
        return gainText(v.gain().gain());
    }

    /** docs/diagnostics.md's table: gain over T = 100 at initialization and the verdict, tanh and ReLU. */
    String verdictTable() {
        StringBuilder b = new StringBuilder(
                "| W at initialization | tanh: gain over T (95% interval), verdict | ReLU |\n| --- | --- | --- |\n");
        for (double r : new double[] {0.5, 0.9, 1.1, 1.5}) {
            GradientFlowVerdict t = verdict("tanh", "spectral", "radius", r, 100);
            GradientFlowVerdict u = verdict("relu", "spectral", "radius", r, 100);
            b.append(String.format(
                    Locale.ROOT,
                    "| `--init spectral --radius %s` | %s %s | %s %s |%n",
                    trim(r),
                    gainText(t),
                    t.regime().word(),
                    gainText(u),
                    u.regime().word()));
        }
        for (double g : new double[] {0.9, 1.0, 1.1}) {
            GradientFlowVerdict u = verdict("relu", "identity", "gain", g, 100);
            b.append(String.format(
                    Locale.ROOT,
                    "| `--init identity --gain %s` | | %s %s |%n",
                    trim(g),
                    gainText(u),
                    u.regime().word()));
        }
        return b.toString();
    }

    /** The README's explode and vanish examples, at initialization over their T = 60. */
    String examples() {
        GradientFlowVerdict up = verdict("relu", "identity", "gain", 1.1, 60);
        GradientFlowVerdict down = verdict("tanh", "spectral", "radius", 0.5, 60);
        return String.format(
                Locale.ROOT,
                "```bash%n# Gradients explode: ReLU with W = 1.1·I and no clipping multiplies them by 1.1 a step back in%n"
                        + "# time: at initialization the gain over the T = 60 steps is %s, %s.%n"
                        + "./rnn train --activation relu --init identity --gain 1.1 --policy none --steps 60 -o runs/explode%n"
                        + "# And vanish: tanh with ρ(W) = 0.5 starts at a gain of %s over 60 steps, %s.%n"
                        + "./rnn train --optimizer sgd --init spectral --radius 0.5 --steps 60 --iterations 3000 -o runs/vanish%n```%n",
                gainText(up),
                up.regime().word(),
                gainText(down),
                down.regime().word());
    }

    /** The spectrum experiment's slopes (20 seeds, a fresh W per radius and seed), as docs/experiments.md's table. */
    String spectrumTable() {
        SpectrumExperiment e = new SpectrumExperiment();
        double[] radii = {0.5, 0.9, 1.0, 1.1, 1.25, 1.5};
        StringBuilder b = new StringBuilder(
                "| cell, W | ρ or g = 0.5 | 0.9 | 1.0 | 1.1 | 1.25 | 1.5 |\n| --- | --- | --- | --- | --- | --- | --- |\n");
        b.append("| ln ρ (the lecture) |");
        for (double r : radii) {
            b.append(String.format(Locale.ROOT, " %.3f |", Math.log(r)));
        }
        b.append('\n');
        String[][] rows = {
            {"linear", "spectral", "linear, Gaussian W scaled to ρ"},
            {"tanh", "spectral", "tanh, Gaussian W"},
            {"relu", "spectral", "ReLU, Gaussian W"},
            {"relu", "identity", "ReLU, W = g·I (IRNN)"}
        };
        for (String[] row : rows) {
            b.append("| ").append(row[2]).append(" |");
            for (double r : radii) {
                if (row[1].equals("identity") && r == 1.5) {
                    b.append(" |");
                    continue;
                }
                double[] slopes = e.slopes(plugins, Scale.DEFAULT, row[0], row[1], r);
                b.append(String.format(
                        Locale.ROOT,
                        " %.3f |",
                        java.util.Arrays.stream(slopes).average().orElse(Double.NaN)));
            }
            b.append('\n');
        }
        return b.toString().replace("-0.000", "0.000");
    }

    /**
     * docs/diagnostics.md's table at initialization: adding, T = 100, H = 64. Each row: its label,
     * the cell's activation, the initializer, its option and value, and what the lecture predicts
     * beside the gain and beside λ₁ (empty when it predicts nothing exact).
     */
    private static final String[][] INIT_ROWS = {
        {"tanh, Gaussian W at ρ = 1.5", "tanh", "spectral", "radius", "1.5", "", ""},
        {"tanh, ρ = 1.2", "tanh", "spectral", "radius", "1.2", "", ""},
        {"tanh, ρ = 1.1", "tanh", "spectral", "radius", "1.1", "", ""},
        {"tanh, ρ = 1.0", "tanh", "spectral", "radius", "1.0", "", ""},
        {"tanh, ρ = 0.5", "tanh", "spectral", "radius", "0.5", "", ""},
        {"ReLU, W = 1.1·I", "relu", "identity", "gain", "1.1", " = 1.1^99", ""},
        {"ReLU, W = I", "relu", "identity", "gain", "1.0", "", ""},
        {"linear, ρ = 0.9", "linear", "spectral", "radius", "0.9", "", " = ln 0.9"}
    };

    String flowInitTable() {
        List<Flow> flows = new ArrayList<>();
        for (String[] r : INIT_ROWS) {
            flows.add(Flow.of(verdict(r[1], r[2], r[3], Double.parseDouble(r[4]), 100)));
        }
        return flowInitTableText(flows);
    }

    /** The table from one measured flow per row of {@link #INIT_ROWS}, in that order. */
    static String flowInitTableText(List<Flow> flows) {
        StringBuilder b =
                new StringBuilder("| initialization | gain over T (95% interval) | fitted factor | λ₁ | verdict |\n"
                        + "| --- | --- | --- | --- | --- |\n");
        for (int i = 0; i < INIT_ROWS.length; i++) {
            Flow f = flows.get(i);
            double l = f.lyapunov().estimate();
            b.append(String.format(
                    Locale.ROOT,
                    "| %s | %s%s | %s | %s%s | %s |%n",
                    INIT_ROWS[i][0],
                    gainText(f.gain()),
                    INIT_ROWS[i][5],
                    sig(f.factor()),
                    signed(l),
                    l == Double.NEGATIVE_INFINITY ? " (see above)" : INIT_ROWS[i][6],
                    f.verdict()));
        }
        return b.toString();
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.1f", v) : Double.toString(v);
    }

    /** Three significant digits, as the verdicts print them. */
    static String sig(double x) {
        if (!Double.isFinite(x)) {
            return Double.isNaN(x) ? "n/a" : "∞";
        }
        double a = Math.abs(x);
        if (a != 0 && (a < 1e-3 || a >= 1e4)) {
            return String.format(Locale.ROOT, "%.2e", x)
                    .replace("e+0", "e")
                    .replace("e-0", "e-")
                    .replace("e+", "e");
        }
        return new java.math.BigDecimal(x)
                .round(new java.math.MathContext(3))
                .stripTrailingZeros()
                .toPlainString();
    }

    // ---------------------------------------------------------------- the slow blocks (tools/figures.sh --slow)

    /** The block an experiment's result fills: {@code experiment-irnn}, {@code experiment-pascanu}. */
    public static String experimentBlock(String experiment) {
        return "experiment-" + experiment;
    }

    /**
     * An experiment's block from its {@code rnn experiment NAME --json} output, measured on
     * {@code date}: the finding, the table and each length's Fisher test, all from the JSON.
     */
    public static String experimentResult(String json, LocalDate date) throws IOException {
        JsonNode j = Json.MAPPER.readTree(json);
        String name = j.get("experiment").asText();
        boolean irnn = switch (name) {
            case "irnn" -> true;
            case "pascanu" -> false;
            default -> throw new IllegalArgumentException("figures: no README table for the experiment '" + name + "'");
        };
        StringBuilder b = new StringBuilder(String.format(
                Locale.ROOT,
                "Measured on %s (`./rnn experiment %s`, %s scale, %.0f s on %s): **%s**.%n%n",
                date,
                name,
                j.get("scale").asText(),
                j.get("seconds").asDouble(),
                j.get("machine").asText(),
                j.get("finding").asText()));
        b.append(
                irnn
                        ? "| T | model | learned | held-out MSE | correct (within 0.08) | solved |\n| --- | --- | --- | --- | --- | --- |\n"
                        : "| T | policy | solved | held-out accuracy | above chance (> 0.3) | clip rate |\n| --- | --- | --- | --- | --- | --- |\n");
        List<JsonNode> rows = new ArrayList<>();
        j.get("rows").forEach(rows::add);
        for (JsonNode r : rows) {
            b.append(
                    irnn
                            ? String.format(
                                    Locale.ROOT,
                                    "| %d | %s | %s | %s ± %s | %.0f%% | %s |%n",
                                    r.get("steps").asInt(),
                                    r.get("model").asText(),
                                    r.get("learned").asText(),
                                    sig(number(r, "heldout_mse")),
                                    sig(number(r, "heldout_mse_sd")),
                                    100 * number(r, "correct_fraction"),
                                    r.get("solved").asText())
                            : String.format(
                                    Locale.ROOT,
                                    "| %d | %s | %s | %.2f ± %.2f | %s | %.2f |%n",
                                    r.get("steps").asInt(),
                                    r.get("policy").asText(),
                                    r.get("solved").asText(),
                                    number(r, "heldout_accuracy"),
                                    number(r, "heldout_accuracy_sd"),
                                    r.get("above_chance").asText(),
                                    number(r, "clip_rate")));
        }
        String counted = irnn ? "learned" : "solved";
        for (int i = 0; i + 1 < rows.size(); i += 2) {
            JsonNode claim = rows.get(i + (irnn ? 0 : 1));
            JsonNode other = rows.get(i + (irnn ? 1 : 0));
            b.append(String.format(
                    Locale.ROOT,
                    "%nAt T = %d, one-sided Fisher exact p = %s on the %s counts (%s against %s; for the opposite "
                            + "p = %s).%n",
                    claim.get("steps").asInt(),
                    ExperimentResult.pValue(number(claim, "fisher_p")),
                    counted,
                    claim.get(counted).asText(),
                    other.get(counted).asText(),
                    ExperimentResult.pValue(number(claim, "fisher_p_opposite"))));
        }
        return b.toString();
    }

    private static double number(JsonNode row, String field) {
        JsonNode v = row.get(field);
        return v == null || v.isNull() ? Double.NaN : v.asDouble();
    }

    /** The trained networks of docs/diagnostics.md: adding, T = 50, H = 32, 600 updates, seed 1, default Adam and clipping. */
    private static RunConfig trainedFlowConfig(String activation, String initializer, String... options) {
        return Network.builder()
                .task("adding", "steps", "50")
                .hidden(32)
                .cell("vanilla", "activation", activation)
                .initializer(initializer, options)
                .seed(1)
                .config()
                .withIterations(600);
    }

    /** docs/diagnostics.md's table after training: one tanh run from ρ = 1.5 and one IRNN. */
    String trainedFlowTable() throws IOException {
        long start = System.nanoTime();
        Flow tanh = Flow.of(
                train(trainedFlowConfig("tanh", "spectral", "radius", "1.5")).flow());
        Flow irnn = Flow.of(train(trainedFlowConfig("relu", "identity")).flow());
        return trainedFlowTableText(tanh, irnn, (System.nanoTime() - start) / 1e9, Machine.describe());
    }

    static String trainedFlowTableText(Flow tanh, Flow irnn, double seconds, String machine) {
        StringBuilder b = new StringBuilder(
                "| run | ρ(W) | fitted factor | e^λ₁ (λ₁, 95% interval) | gain over T (95% interval) | verdict |\n"
                        + "| --- | --- | --- | --- | --- | --- |\n");
        for (Flow f : List.of(tanh, irnn)) {
            Interval l = f.lyapunov();
            b.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %s (%s, %s … %s) | %s | %s |%n",
                    f == tanh ? "tanh, Gaussian W at ρ = 1.5" : "IRNN (ReLU, W = I)",
                    sig(f.radius()),
                    sig(f.factor()),
                    sig(Math.exp(l.estimate())),
                    signed(l.estimate()),
                    signed(l.low()),
                    signed(l.high()),
                    gainText(f.gain()),
                    f.verdict()));
        }
        b.append(String.format(
                Locale.ROOT,
                "%nThe tanh run's ρ(W) grew to %s while its gradient now %s about %s a step (fitted): each%n"
                        + "step multiplies by diag(1 − h²)·W, not W (%s of its unit values saturated). The IRNN keeps its%n"
                        + "factor at %s with %s of its unit values off. (Both runs measured in %.0f s on %s.)%n",
                sig(tanh.radius()),
                tanh.factor() < 1 ? "shrinks" : "grows",
                pctText(Math.abs(1 - tanh.factor())),
                pctText(tanh.saturated()),
                sig(irnn.factor()),
                pctText(irnn.off()),
                seconds,
                machine));
        return b.toString();
    }

    /** README's saturating-tanh example: the default run from ρ(W) = 1.5 without clipping, at its start and at its end. */
    String saturateExample() throws IOException {
        RunConfig config = saturateConfig();
        return saturateExampleText(
                Flow.of(verdictAtStart(config)), Flow.of(train(config).flow()));
    }

    private static RunConfig saturateConfig() {
        return Network.builder()
                .initializer("spectral", "radius", "1.5")
                .policy("none")
                .config();
    }

    static String saturateExampleText(Flow start, Flow end) {
        Interval g = end.gain();
        return String.format(
                Locale.ROOT,
                "```bash%n# ρ(W) > 1 is not enough: tanh with ρ(W) = 1.5 starts %s (×%s a step), ρ(W) grows to %s,%n"
                        + "# %s of the unit values saturate, and the flow ends %s (×%s a step; gain over T = %d%n"
                        + "# ×%s, interval ×%s … ×%s: %s; λ₁ = %s). The report says so, and why.%n"
                        + "./rnn train --init spectral --radius 1.5 --policy none -o runs/saturate%n```%n",
                start.factor() > 1 ? "growing" : "shrinking",
                sig(start.factor()),
                sig(end.radius()),
                pctText(end.saturated()),
                end.factor() > 1 ? "growing" : "shrinking",
                sig(end.factor()),
                end.steps(),
                sig(g.estimate()),
                sig(g.low()),
                sig(g.high()),
                end.verdict(),
                signed(end.lyapunov().estimate()));
    }

    /** One training run of {@code config} as {@code rnn train} makes it (held-out evaluations included), in a folder deleted after. */
    private RunSummary train(RunConfig config) throws IOException {
        Path dir = Files.createTempDirectory("figures-run");
        try (TrainingRun run = TrainingRun.create(config, dir.resolve("run"), plugins, "csv")) {
            if (run.task().hasHeldOut()) {
                EvaluationSettings e = EvaluationSettings.defaults();
                run.evaluateWith(new HeldOutEvaluator(e), e.every());
            }
            return run.run(new RunListener() {});
        } finally {
            try (Stream<Path> w = Files.walk(dir)) {
                for (Path p : w.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /**
     * The README's paragraph on the default run, from one {@code rnn train} run with every
     * setting at its default: the loss it ends near and its wall time (about a minute unloaded,
     * too slow for a test: the slow mode only).
     */
    String defaultRun() throws IOException {
        RunConfig config = RunConfig.defaults();
        RunSummary s = train(config);
        return defaultRunText(config.iterations(), s.finalLoss(), s.seconds(), Machine.describe());
    }

    static String defaultRunText(long iterations, double finalLoss, double seconds, String machine) {
        return String.format(
                Locale.ROOT,
                "`./rnn train` learns the adding problem (two marked numbers in a sequence of 40; the target%n"
                        + "is their sum) with a vanilla tanh RNN, H=64, Adam and clipping by global norm 1.0, and%n"
                        + "writes everything to `runs/adding-<time>/`: `config.json`, `checkpoint.bin`, `metrics.csv`,%n"
                        + "`diagnostics.json` and a self-contained `report.html`. Always predicting 1 scores a loss of%n"
                        + "0.083 (½·squared error, i.e. MSE 0.167); the default run (%d iterations) ends near %s%n"
                        + "(measured in %.0f s on %s).%n",
                iterations,
                sig2(finalLoss),
                seconds,
                machine);
    }

    /** Two significant digits: "ends near" claims no more. */
    private static String sig2(double x) {
        return new java.math.BigDecimal(x)
                .round(new java.math.MathContext(2))
                .stripTrailingZeros()
                .toPlainString();
    }

    /** A slow block's measurement, its I/O failure unchecked (a supplier cannot throw). */
    private interface Slow {
        String measure() throws IOException;
    }

    private void slow(String name, Slow s) {
        slow.put(name, () -> {
            try {
                return s.measure();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /**
     * {@code tools/figures.sh}: re-measures the cheap blocks of the files given and rewrites them.
     * With {@code --slow}, also the training runs' blocks (the default run's paragraph, the
     * saturating example, the trained-flow table), and with {@code --result FILE} (an
     * experiment's {@code --json} output, repeatable) that experiment's block. {@code --only
     * NAME,NAME} rewrites only the blocks named.
     */
    public static void main(String[] args) throws IOException {
        Figures f = new Figures(Plugins.discover());
        List<Path> files = new ArrayList<>();
        List<String> only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--slow" -> {
                    f.slow("default-run", f::defaultRun);
                    f.slow("saturate-example", f::saturateExample);
                    f.slow("trained-flow-table", f::trainedFlowTable);
                }
                case "--result" -> {
                    String json = Files.readString(Path.of(args[++i]));
                    String name = Json.MAPPER.readTree(json).get("experiment").asText();
                    String block = experimentResult(json, LocalDate.now());
                    f.slow.put(experimentBlock(name), () -> block);
                }
                case "--only" -> only = List.of(args[++i].split(","));
                default -> files.add(Path.of(args[i]));
            }
        }
        if (only != null) {
            f.cheap.keySet().retainAll(only);
            f.slow.keySet().retainAll(only);
        }
        for (Path a : files) {
            System.err.println("figures: " + a + ": rewrote " + f.rewrite(a));
        }
    }
}
