package org.bptt.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.bptt.api.data.Batch;
import org.bptt.api.data.Task;
import org.bptt.api.kernel.Activation;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.plugin.PluginParameter;
import org.bptt.report.AnalysisData;
import org.bptt.report.HtmlReport;
import org.bptt.training.Model;
import org.bptt.training.Network;
import org.bptt.training.diag.GradientFlowVerdict;
import org.bptt.training.diag.Interval;
import org.bptt.training.diag.JacobianProducts;
import org.bptt.training.diag.MeasuredJacobians;
import org.bptt.training.diag.NetworkFlow;
import org.bptt.training.diag.Spectral;
import org.bptt.training.diag.Spectrum;
import org.bptt.training.plugin.PluginFamily;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.run.Json;
import org.bptt.training.run.TrainingRun;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rnn analyze CHECKPOINT}: the measured gradient flow, its verdict, and the spectrum of W that explains it. */
@Command(name = "analyze", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Analyze a trained (or freshly initialized) network: measure the gain ||dh_T/ds_0|| over the task's "
                + "length T on held-out sequences through the cell's own backward pass (any cell), and decide from its median "
                + "and 95% bootstrap interval: exploding above x10, vanishing below x0.1, stable inside, undecided across a "
                + "bound. The fitted factor per step, the largest Lyapunov exponent, the spectral radius and norm of W and the "
                + "units' saturation explain the verdict.",
                "Prints the numbers (or one JSON object with --json) and writes analysis.html beside the checkpoint.",
                PluginPathOption.NEEDED_TO_READ})
public final class AnalyzeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "CHECKPOINT", description = "A checkpoint.bin, or a run folder holding one.")
    Path checkpoint;

    @Option(names = "--samples", defaultValue = "32", description = "Held-out sequences the gain is measured on (32 to 256; "
            + "default: ${DEFAULT-VALUE}); the whole curves of the first four are charted.")
    int samples;

    @Option(names = "--json", description = "Print one JSON object (verdict, fitted factor per step, spectral radius, "
            + "norms) instead of text.")
    boolean json;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "The HTML file to write (default: analysis.html "
            + "beside the checkpoint).")
    Path output;

    @Mixin
    PluginPathOption pluginPath;

    @Override
    public Integer call() throws IOException {
        if (samples < NetworkFlow.SEQUENCES || samples > 256) {
            throw new ConfigurationException("--samples must be between " + NetworkFlow.SEQUENCES + " and 256, got " + samples);
        }
        PrintWriter out = spec.commandLine().getOut();
        Plugins plugins = pluginPath.plugins();
        Path file = Files.isDirectory(checkpoint) ? checkpoint.resolve(TrainingRun.CHECKPOINT) : checkpoint;
        Path html = output != null ? output : file.toAbsolutePath().getParent().resolve("analysis.html");
        if (Files.isDirectory(html)) {
            throw new ConfigurationException("-o " + html + " is a folder; give the file to write the analysis to");
        }
        Path htmlFolder = html.toAbsolutePath().getParent();
        if (htmlFolder == null || !Files.isDirectory(htmlFolder)) {
            throw new ConfigurationException("the folder of " + html + " does not exist");
        }
        Network net = Network.load(file, plugins);
        Task task = plugins.create(PluginFamily.TASK, net.config().task());
        Model model = net.model();
        Batch batch = NetworkFlow.heldOut(task, net.config().seed(), samples);
        NetworkFlow flow = NetworkFlow.measure(net, batch, NetworkFlow.CURVES, task.hasHeldOut(), net.config().seed());
        Reference ref = reference(net, flow);
        GradientFlowVerdict verdict = flow.verdict(ref == null ? List.of() : List.of(ref.fit()));
        Spectral s = flow.spectral();
        double[][] norms = flow.norms();

        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put("checkpoint", file.toString());
        cfg.put("iteration", Long.toString(net.iteration()));
        cfg.put("task", task.describe());
        cfg.put("cell", model.cell().describe() + ", H=" + model.hiddenSize());
        cfg.put(task.hasHeldOut() ? "held-out sequences" : "sample sequences", Integer.toString(samples));
        Interval gain = verdict.gain().gain();
        cfg.put("gain over T = " + batch.steps(), fmt(gain.estimate()) + " (95% interval " + fmt(gain.low()) + " … " + fmt(gain.high()) + ")");
        cfg.put("factor per step (fitted)", fmt(verdict.factor()));
        Interval lyap = verdict.lyapunov().exponent();
        cfg.put("largest Lyapunov exponent λ₁", fmt(lyap.estimate()) + " (95% interval " + fmt(lyap.low()) + " … " + fmt(lyap.high()) + ")");
        if (s != null) {
            cfg.put("spectral radius ρ(W)", String.format(Locale.ROOT, "%.4f", s.radius()));
            cfg.put("spectral norm ‖W‖₂", String.format(Locale.ROOT, "%.4f", s.norm()));
        }
        String notes = ref == null ? "" : ref.words();
        HtmlReport.writeAnalysis(html, new AnalysisData("Analysis of " + file, cfg,
                s == null ? null : new Spectrum(s.real(), s.imag()), norms, verdict, notes));

        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("checkpoint", file.toString());
            o.put("iteration", net.iteration());
            o.put("cell", model.cell().describe());
            o.put("hidden", model.hiddenSize());
            o.put("steps", batch.steps());
            o.putAll(verdict.toMap());
            if (ref != null) {
                o.put("reference_factor_per_step", finite(ref.fit().factor()));
            }
            o.put("jacobian_norms", Arrays.stream(norms).map(r -> Arrays.stream(r).mapToObj(AnalyzeCommand::finite).toList()).toList());
            o.put("analysis_html", html.toString());
            out.println(Json.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(o));
            return 0;
        }
        out.printf(Locale.ROOT, "model: %s, H=%d, iteration %d (%s)%n", model.cell().describe(), model.hiddenSize(),
                net.iteration(), file);
        out.printf(Locale.ROOT, "verdict: %s (gain over T = %d: %s, 95%% interval %s … %s, median of %d %s sequences)%n",
                verdict.regime().word(), batch.steps(), fmt(gain.estimate()), fmt(gain.low()), fmt(gain.high()), samples,
                task.hasHeldOut() ? "held-out" : "sample");
        out.printf(Locale.ROOT, "factor per step (fitted): %s   largest Lyapunov exponent λ₁: %s (95%% interval %s … %s)%n",
                fmt(verdict.factor()), fmt(lyap.estimate()), fmt(lyap.low()), fmt(lyap.high()));
        if (s != null) {
            out.printf(Locale.ROOT, "spectral radius of W: %.4f (ln ρ = %s)   spectral norm: %.4f%n", s.radius(), fmt(Math.log(s.radius())),
                    s.norm());
            double[] mags = new double[s.real().length];
            for (int i = 0; i < mags.length; i++) {
                mags[i] = Math.hypot(s.real()[i], s.imag()[i]);
            }
            Arrays.sort(mags);
            out.print("largest |eigenvalues|:");
            for (int i = mags.length - 1; i >= Math.max(0, mags.length - 8); i--) {
                out.printf(Locale.ROOT, " %.4f", mags[i]);
            }
            out.println();
        } else if (model.recurrentMatrix().isPresent()) {
            out.println("no spectral radius: W holds values that are not finite or too large for an eigenvalue decomposition "
                    + "(the model diverged), so only the gradient flow is measured");
        } else {
            out.println("no spectral radius: " + model.cell().describe() + " has no single square recurrent matrix W");
        }
        out.println("Jacobian-product norms ||dh_T/ds_k|| (rows: k; columns: the first " + norms.length + " sequences):");
        int steps = batch.steps();
        int stride = Math.max(1, steps / 10);
        for (int k = steps - 1; k >= 0; k -= stride) {
            out.printf(Locale.ROOT, "  k=%4d", k);
            for (double[] n : norms) {
                out.printf(Locale.ROOT, "  %10.3e", n[k]);
            }
            out.println();
        }
        out.println(verdict.sentence());
        if (ref != null) {
            out.println(ref.words());
        }
        out.println("analysis: " + html);
        return 0;
    }

    /** The vanilla cell's products by their formula, an independent check of the measured ones. */
    private record Reference(GradientFlowVerdict.Fit fit, double largestDifference) {
        String words() {
            return "Independent reference (the vanilla cell's formula ∏ diag(act′(z_t))·W, in double precision): factor "
                    + fmt(fit.factor()) + " per step; the measured norms agree with it to " + fmtRel(largestDifference)
                    + " (largest relative difference).";
        }
    }

    /** The reference for a vanilla cell (its activation from the run's configuration), else null. */
    private static Reference reference(Network net, NetworkFlow flow) {
        if (!net.config().cell().name().equals("vanilla") || flow.spectral() == null) {
            return null;
        }
        Activation act = activation(net);
        if (act == null) {
            return null;
        }
        var w = net.model().recurrentMatrix().orElseThrow();
        List<double[]> curves = new ArrayList<>();
        double worst = 0;
        for (MeasuredJacobians.Measurement m : flow.measurements()) {
            double[] r = JacobianProducts.normsToLast(w, act, m.states(), m.rows(), 0, m.steps());
            curves.add(r);
            for (int k = 0; k < r.length; k++) {
                double a = m.norms()[k];
                if (r[k] > 1e-30 && Double.isFinite(a)) {
                    worst = Math.max(worst, Math.abs(a - r[k]) / r[k]);
                }
            }
        }
        return new Reference(GradientFlowVerdict.Fit.of("the formula's ‖∂h_T/∂h_k‖", curves.toArray(double[][]::new)), worst);
    }

    /** The vanilla cell's activation: the run's option, else the plugin's declared default. */
    private static Activation activation(Network net) {
        String a = net.config().cell().options().get("activation");
        if (a == null) {
            a = net.plugins().cells().get("vanilla").parameters().stream().filter(p -> p.name().equals("activation"))
                    .map(PluginParameter::defaultValue).findFirst().orElse(null);
        }
        if (a == null) {
            return null;
        }
        return a.equals("linear") ? Activation.IDENTITY : Activation.parse(a);
    }

    private static Object finite(double d) {
        return Double.isFinite(d) ? d : Double.isNaN(d) ? null : d > 0 ? "inf" : "-inf";
    }

    private static String fmt(double f) {
        return Double.isFinite(f) ? String.format(Locale.ROOT, "%.4g", f) : Double.isNaN(f) ? "n/a" : f > 0 ? "∞" : "-∞";
    }

    private static String fmtRel(double f) {
        return String.format(Locale.ROOT, "%.1e", f);
    }
}
