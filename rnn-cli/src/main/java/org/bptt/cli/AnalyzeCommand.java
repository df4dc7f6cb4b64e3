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
import org.bptt.api.kernel.Activation;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.tensor.Tensor;
import org.bptt.cli.report.AnalysisData;
import org.bptt.cli.report.HtmlReport;
import org.bptt.cli.report.Spectrum;
import org.bptt.cli.train.SavedModel;
import org.bptt.training.BpttTrainer;
import org.bptt.training.diag.JacobianProducts;
import org.bptt.training.diag.Spectral;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rnn analyze CHECKPOINT}: the spectrum of W, a verdict, and Jacobian-product norms. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"Analyze a trained model: the eigenvalues of W, its spectral radius and a verdict "
                + "(exploding, vanishing, near 1), and the Jacobian-product norms ||dh_T/dh_k|| on sample sequences.",
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

    @Override
    public Integer call() throws IOException {
        if (samples < 1) {
            throw new ConfigurationException("--samples must be at least 1, got " + samples);
        }
        if (!(band >= 0)) {
            throw new ConfigurationException("--band must be 0 or more, got " + band);
        }
        PrintWriter out = spec.commandLine().getOut();
        SavedModel m = SavedModel.open(checkpoint, true);
        BpttTrainer trainer = m.trainer();
        Tensor w = trainer.model().recurrentMatrix().orElseThrow(() -> new ConfigurationException(
                "the model's cell " + trainer.model().cell().describe() + " has no single square recurrent matrix to analyze"));
        Spectral s = Spectral.of(w);
        String verdict = s.verdict(band);
        out.printf(Locale.ROOT, "model: %s, H=%d, iteration %d (%s)%n", trainer.model().cell().describe(),
                trainer.model().hiddenSize(), m.checkpoint().iteration(), m.file());
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

        Activation act = Activation.parse(m.config().cell().options().getOrDefault("activation", "tanh"));
        Batch batch = m.task().newBatch(samples);
        m.task().fill(batch, new java.util.SplittableRandom(m.config().seed() ^ 0x5DEECE66DL));
        trainer.forward(batch);
        int steps = batch.steps();
        double[][] norms = new double[samples][];
        for (int b = 0; b < samples; b++) {
            norms[b] = JacobianProducts.normsToLast(w, act, trainer.states(), samples, b, steps);
        }
        out.println("Jacobian-product norms ||dh_T/dh_k|| (rows: k; columns: sample sequences):");
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
        cfg.put("checkpoint", m.file().toString());
        cfg.put("iteration", Long.toString(m.checkpoint().iteration()));
        cfg.put("task", m.task().describe());
        cfg.put("cell", trainer.model().cell().describe() + ", H=" + trainer.model().hiddenSize());
        cfg.put("spectral radius", String.format(Locale.ROOT, "%.4f", s.radius()));
        cfg.put("spectral norm", String.format(Locale.ROOT, "%.4f", s.norm()));
        Path html = output != null ? output : m.file().toAbsolutePath().getParent().resolve("analysis.html");
        if (html.getParent() != null && !Files.isDirectory(html.getParent())) {
            throw new ConfigurationException("the folder of " + html + " does not exist");
        }
        HtmlReport.writeAnalysis(html, new AnalysisData("Analysis of " + m.file(), cfg, new Spectrum(s.real(), s.imag()),
                norms, "Spectral radius " + String.format(Locale.ROOT, "%.3f", s.radius()) + ": " + verdict + "; " + flow + "."));
        out.println("analysis: " + html);
        return 0;
    }
}
