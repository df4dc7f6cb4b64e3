package org.bptt.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.bptt.api.data.Batch;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.report.AnalysisData;
import org.bptt.report.HtmlReport;
import org.bptt.training.diag.Spectrum;
import org.bptt.api.data.Task;
import org.bptt.training.Model;
import org.bptt.training.Network;
import org.bptt.training.diag.MeasuredJacobians;
import org.bptt.training.diag.Spectral;
import org.bptt.training.plugin.PluginFamily;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.run.TrainingRun;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rnn analyze CHECKPOINT}: the spectrum of W, a verdict, and Jacobian-product norms. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"Analyze a trained model: the eigenvalues of W, its spectral radius and a verdict "
                + "(exploding, vanishing, near 1), and the Jacobian-product norms ||dh_T/ds_k|| on sample sequences, "
                + "measured through the cell's own backward pass (for any cell).",
                "Prints the numbers and writes analysis.html (charts) beside the checkpoint."})
public final class AnalyzeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "CHECKPOINT", description = "A checkpoint.bin, or a run folder holding one.")
    Path checkpoint;

    @Option(names = "--samples", defaultValue = "4", description = "Sample sequences for the Jacobian norms (default ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--band", defaultValue = "0.05", description = "How close to 1 the spectral radius must be for 'near 1' (default ${DEFAULT-VALUE}).")
    double band;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Where to write the HTML analysis (default: analysis.html beside the checkpoint).")
    Path output;

    @Mixin
    PluginPathOption pluginPath;

    @Override
    public Integer call() throws IOException {
        if (samples < 1 || samples > 64) {
            throw new ConfigurationException("--samples must be between 1 and 64, got " + samples);
        }
        if (!(band >= 0) || band > 1) {
            throw new ConfigurationException("--band must be between 0 and 1, got " + band);
        }
        PrintWriter out = spec.commandLine().getOut();
        Path file = Files.isDirectory(checkpoint) ? checkpoint.resolve(TrainingRun.CHECKPOINT) : checkpoint;
        // Where the analysis goes is checked before the work, so that a mistake there costs nothing.
        Path html = output != null ? output : file.toAbsolutePath().getParent().resolve("analysis.html");
        if (Files.isDirectory(html)) {
            throw new ConfigurationException("-o " + html + " is a folder; give the file to write the analysis to");
        }
        Path htmlFolder = html.toAbsolutePath().getParent();
        if (htmlFolder == null || !Files.isDirectory(htmlFolder)) {
            throw new ConfigurationException("the folder of " + html + " does not exist");
        }
        Plugins plugins = pluginPath.plugins();
        Network net = Network.load(file, plugins);
        Task task = plugins.create(PluginFamily.TASK, net.config().task());
        Model model = net.model();
        out.printf(Locale.ROOT, "model: %s, H=%d, iteration %d (%s)%n", model.cell().describe(), model.hiddenSize(),
                net.iteration(), file);
        Spectral s = net.spectral();
        String verdict;
        Spectrum spectrum = null;
        if (s != null) {
            verdict = s.verdict(band);
            spectrum = new Spectrum(s.real(), s.imag());
            out.printf(Locale.ROOT, "spectral radius of W: %.4f   spectral norm: %.4f   verdict: %s%n", s.radius(), s.norm(), verdict);
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
            verdict = "no spectrum";
            out.println("no spectral radius: W holds values that are not finite or too large for an eigenvalue decomposition "
                    + "(the model diverged), so only the gradient flow is measured");
        } else {
            verdict = "no single recurrent matrix";
            out.println("no spectral radius: the cell " + model.cell().describe() + " has no single square recurrent matrix W "
                    + "(a gated cell's recurrent weights are a stack of gate blocks, and its step Jacobian depends on the gates), "
                    + "so the gradient flow is measured instead");
        }
        Batch batch = task.newBatch(samples);
        task.fill(batch, new java.util.SplittableRandom(net.config().seed() ^ 0x5DEECE66DL));
        int steps = batch.steps();
        double[][] norms = new double[samples][];
        for (int b = 0; b < samples; b++) {
            norms[b] = MeasuredJacobians.normsToLast(model, net.trainer().kernels(), batch, b);
        }
        out.println("Jacobian-product norms ||dh_T/ds_k|| (rows: k; columns: sample sequences):");
        int stride = Math.max(1, steps / 10);
        for (int k = steps - 1; k >= 0; k -= stride) {
            out.printf(Locale.ROOT, "  k=%4d", k);
            for (int b = 0; b < samples; b++) {
                out.printf(Locale.ROOT, "  %10.3e", norms[b][k]);
            }
            out.println();
        }
        double mean0 = Arrays.stream(norms).mapToDouble(n -> n[0]).average().orElse(Double.NaN);
        String flow = mean0 < 1e-3 ? "gradients from the last step vanish before reaching the first"
                : mean0 > 1e3 ? "gradients from the last step explode on the way back" : "gradients reach the first step";
        out.printf(Locale.ROOT, "across %d steps: %s (mean norm at k=0: %.3e)%n", steps, flow, mean0);

        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put("checkpoint", file.toString());
        cfg.put("iteration", Long.toString(net.iteration()));
        cfg.put("task", task.describe());
        cfg.put("cell", model.cell().describe() + ", H=" + model.hiddenSize());
        if (s != null) {
            cfg.put("spectral radius", String.format(Locale.ROOT, "%.4f", s.radius()));
            cfg.put("spectral norm", String.format(Locale.ROOT, "%.4f", s.norm()));
        }
        String summary = (s != null ? "Spectral radius " + String.format(Locale.ROOT, "%.3f", s.radius()) + ": " + verdict
                : model.recurrentMatrix().isPresent() ? "No ρ(W): W is not finite or too large to decompose"
                : "No ρ(W): " + model.cell().describe() + " has no single square recurrent matrix") + "; " + flow + ".";
        HtmlReport.writeAnalysis(html, new AnalysisData("Analysis of " + file, cfg, spectrum, norms, summary));
        out.println("analysis: " + html);
        return 0;
    }
}
