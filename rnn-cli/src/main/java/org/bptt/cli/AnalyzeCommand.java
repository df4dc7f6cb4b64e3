package org.bptt.cli;

import static org.bptt.report.Analysis.fmt;

import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.report.Analysis;
import org.bptt.training.Model;
import org.bptt.training.config.Json;
import org.bptt.training.diag.GradientFlowVerdict;
import org.bptt.training.diag.Interval;
import org.bptt.training.diag.NetworkFlow;
import org.bptt.training.diag.Spectral;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rnn analyze CHECKPOINT}: the measured gradient flow, its verdict, and the spectrum of W that explains it. */
@Command(
        name = "analyze",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = {
            "Analyze a trained (or freshly initialized) network: measure the gain ||dh_T/ds_0|| over the task's "
                    + "length T on held-out sequences through the cell's own backward pass (any cell), and decide from its median "
                    + "and 95%% bootstrap interval: exploding above x10, vanishing below x0.1, stable inside, undecided across a "
                    + "bound. The fitted factor per step, the largest Lyapunov exponent, the spectral radius and norm of W and the "
                    + "units' saturation explain the verdict.",
            "Prints the numbers (or one JSON object with --json) and writes analysis.html beside the checkpoint.",
            PluginPathOption.NEEDED_TO_READ
        })
public final class AnalyzeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "CHECKPOINT", description = "A checkpoint.bin, or a run folder holding one.")
    Path checkpoint;

    @Option(
            names = "--samples",
            defaultValue = "32",
            description = "Held-out sequences the gain is measured on (32 to 256; "
                    + "default: ${DEFAULT-VALUE}); the whole curves of the first four are charted.")
    int samples;

    @Option(
            names = "--json",
            description = "Print one JSON object (verdict, fitted factor per step, spectral radius, "
                    + "norms) instead of text.")
    boolean json;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description = "The HTML file to write (default: analysis.html " + "beside the checkpoint).")
    Path output;

    @Mixin
    PluginPathOption pluginPath;

    @Override
    public Integer call() throws IOException {
        if (samples < NetworkFlow.SEQUENCES || samples > Analysis.MAX_SAMPLES) {
            throw new ConfigurationException("--samples must be between " + NetworkFlow.SEQUENCES + " and "
                    + Analysis.MAX_SAMPLES + ", got " + samples);
        }
        PrintWriter out = spec.commandLine().getOut();
        Analysis a = Analysis.run(checkpoint, pluginPath.plugins(), samples, output);
        if (json) {
            out.println(Json.MAPPER
                    .writer()
                    .without(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(a.toMap()));
            return 0;
        }
        Model model = a.net().model();
        GradientFlowVerdict verdict = a.verdict();
        Spectral s = a.flow().spectral();
        Interval gain = verdict.gain().gain();
        Interval lyap = verdict.lyapunov().exponent();
        out.printf(
                Locale.ROOT,
                "model: %s, H=%d, iteration %d (%s)%n",
                model.cell().describe(),
                model.hiddenSize(),
                a.net().iteration(),
                a.file());
        out.printf(
                Locale.ROOT,
                "verdict: %s (gain over T = %d: %s, 95%% interval %s … %s, median of %d %s sequences)%n",
                verdict.regime().word(),
                a.steps(),
                fmt(gain.estimate()),
                fmt(gain.low()),
                fmt(gain.high()),
                samples,
                a.task().hasHeldOut() ? "held-out" : "sample");
        out.printf(
                Locale.ROOT,
                "factor per step (fitted): %s   largest Lyapunov exponent λ₁: %s (95%% interval %s … %s)%n",
                fmt(verdict.factor()),
                fmt(lyap.estimate()),
                fmt(lyap.low()),
                fmt(lyap.high()));
        if (s != null) {
            out.printf(
                    Locale.ROOT,
                    "spectral radius of W: %.4f (ln ρ = %s)   spectral norm: %.4f%n",
                    s.radius(),
                    fmt(Math.log(s.radius())),
                    s.norm());
            out.print("largest |eigenvalues|:");
            double[] mags = s.magnitudes();
            for (int i = 0; i < Math.min(8, mags.length); i++) {
                out.printf(Locale.ROOT, " %.4f", mags[i]);
            }
            out.println();
        } else if (model.recurrentMatrix().isPresent()) {
            out.println(
                    "no spectral radius: W holds values that are not finite or too large for an eigenvalue decomposition "
                            + "(the model diverged), so only the gradient flow is measured");
        } else {
            out.println("no spectral radius: " + model.cell().describe() + " has no single square recurrent matrix W");
        }
        double[][] norms = a.flow().norms();
        out.println(
                "Jacobian-product norms ||dh_T/ds_k|| (rows: k; columns: the first " + norms.length + " sequences):");
        for (int k = a.steps() - 1; k >= 0; k -= Math.max(1, a.steps() / 10)) {
            out.printf(Locale.ROOT, "  k=%4d", k);
            for (double[] n : norms) {
                out.printf(Locale.ROOT, "  %10.3e", n[k]);
            }
            out.println();
        }
        out.println(verdict.sentence());
        if (a.reference() != null) {
            out.println(a.reference().words());
        }
        out.println("analysis: " + a.html());
        return 0;
    }
}
