package org.bptt.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bptt.api.data.Batch;
import org.bptt.api.data.Task;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.Network;
import org.bptt.training.diag.FormulaReference;
import org.bptt.training.diag.GradientFlowVerdict;
import org.bptt.training.diag.Interval;
import org.bptt.training.diag.NetworkFlow;
import org.bptt.training.diag.Spectral;
import org.bptt.training.diag.Spectrum;
import org.bptt.training.plugin.PluginFamily;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.run.TrainingRun;

/**
 * The analysis of a saved network: its gradient flow measured over the task's length on
 * held-out sequences, the verdict, the spectrum of W that explains it and, for a cell that
 * declares its formula, an independent reference; written as a page.
 *
 * @param file      the checkpoint analysed
 * @param net       the network it holds
 * @param task      the task the sequences came from
 * @param samples   sequences measured
 * @param steps     their length T
 * @param flow      the measurements
 * @param verdict   what they mean
 * @param reference the formula's check, or null for a cell without one
 * @param html      the page written
 */
public record Analysis(
        Path file,
        Network net,
        Task task,
        int samples,
        int steps,
        NetworkFlow flow,
        GradientFlowVerdict verdict,
        FormulaReference reference,
        Path html) {
    public static final int MAX_SAMPLES = 256;

    /**
     * Measures the network of {@code checkpoint} (a file, or a run folder holding one) and writes
     * the page to {@code page} (null: analysis.html beside the checkpoint).
     */
    public static Analysis run(Path checkpoint, Plugins plugins, int samples, Path page) throws IOException {
        if (samples < NetworkFlow.SEQUENCES || samples > MAX_SAMPLES) {
            throw new ConfigurationException("the number of sequences to measure must be between "
                    + NetworkFlow.SEQUENCES + " and " + MAX_SAMPLES + ", got " + samples);
        }
        Path file = Files.isDirectory(checkpoint) ? checkpoint.resolve(TrainingRun.CHECKPOINT) : checkpoint;
        Path html = page != null ? page : file.toAbsolutePath().getParent().resolve("analysis.html");
        if (Files.isDirectory(html)) {
            throw new ConfigurationException(html + " is a folder; give the file to write the analysis to");
        }
        Path htmlFolder = html.toAbsolutePath().getParent();
        if (htmlFolder == null || !Files.isDirectory(htmlFolder)) {
            throw new ConfigurationException("the folder of " + html + " does not exist");
        }
        Network net = Network.load(file, plugins);
        Task task = plugins.create(PluginFamily.TASK, net.config().task());
        Batch batch = NetworkFlow.heldOut(task, net.config().seed(), samples);
        NetworkFlow flow = NetworkFlow.measure(
                net, batch, NetworkFlow.CURVES, task.hasHeldOut(), net.config().seed());
        FormulaReference ref = FormulaReference.of(net.model(), flow);
        GradientFlowVerdict verdict = flow.verdict(ref == null ? List.of() : List.of(ref.fit()));
        Analysis a = new Analysis(file, net, task, samples, batch.steps(), flow, verdict, ref, html);
        Spectral s = flow.spectral();
        HtmlReport.writeAnalysis(
                html,
                new AnalysisData(
                        "Analysis of " + file,
                        a.facts(),
                        s == null ? null : new Spectrum(s.real(), s.imag()),
                        flow.norms(),
                        verdict,
                        ref == null ? "" : ref.words()));
        return a;
    }

    /** The page's table: what was measured and the headline numbers. */
    public Map<String, String> facts() {
        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put("checkpoint", file.toString());
        cfg.put("iteration", Long.toString(net.iteration()));
        cfg.put("task", task.describe());
        cfg.put("cell", net.model().cell().describe() + ", H=" + net.model().hiddenSize());
        cfg.put(task.hasHeldOut() ? "held-out sequences" : "sample sequences", Integer.toString(samples));
        Interval gain = verdict.gain().gain();
        cfg.put(
                "gain over T = " + steps,
                fmt(gain.estimate()) + " (95% interval " + fmt(gain.low()) + " … " + fmt(gain.high()) + ")");
        cfg.put("factor per step (fitted)", fmt(verdict.factor()));
        Interval lyap = verdict.lyapunov().exponent();
        cfg.put(
                "largest Lyapunov exponent λ₁",
                fmt(lyap.estimate()) + " (95% interval " + fmt(lyap.low()) + " … " + fmt(lyap.high()) + ")");
        Spectral s = flow.spectral();
        if (s != null) {
            cfg.put("spectral radius ρ(W)", String.format(java.util.Locale.ROOT, "%.4f", s.radius()));
            cfg.put("spectral norm ‖W‖₂", String.format(java.util.Locale.ROOT, "%.4f", s.norm()));
        }
        return cfg;
    }

    /** One JSON object's fields: the verdict's, the reference's factor, the measured norms (non-finite ones as text). */
    public Map<String, Object> toMap() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("checkpoint", file.toString());
        o.put("iteration", net.iteration());
        o.put("cell", net.model().cell().describe());
        o.put("hidden", net.model().hiddenSize());
        o.put("steps", steps);
        o.putAll(verdict.toMap());
        if (reference != null) {
            o.put("reference_factor_per_step", finite(reference.fit().factor()));
        }
        o.put(
                "jacobian_norms",
                Arrays.stream(flow.norms())
                        .map(r -> Arrays.stream(r).mapToObj(Analysis::finite).toList())
                        .toList());
        o.put("analysis_html", html.toString());
        return o;
    }

    /** Four significant digits, as the analysis prints its numbers; "n/a", "∞", "-∞" for the non-finite. */
    public static String fmt(double f) {
        return Double.isFinite(f)
                ? String.format(java.util.Locale.ROOT, "%.4g", f)
                : Double.isNaN(f) ? "n/a" : f > 0 ? "∞" : "-∞";
    }

    private static Object finite(double d) {
        return Double.isFinite(d) ? d : Double.isNaN(d) ? null : d > 0 ? "inf" : "-inf";
    }
}
