package org.bptt.cli.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Locale;
import org.bptt.training.bench.ReferenceStep;

/** {@code rnn bench}'s table: a bench result's fields, one a line. */
final class BenchTable {
    private BenchTable() {}

    static void print(PrintWriter out, ObjectNode o) {
        out.printf(
                Locale.ROOT,
                "rnn bench: %sI=%d H=%d O=%d B=%d T=%d%s%s, %s backend (%d-bit vectors), %d thread(s), Java %s%n",
                o.get("cell").asText().equals(ReferenceStep.VANILLA)
                        ? ""
                        : o.get("cell").asText() + " ",
                o.get("input").asInt(),
                o.get("hidden").asInt(),
                o.get("output").asInt(),
                o.get("batch").asInt(),
                o.get("steps").asInt(),
                o.get("one_hot").asBoolean() ? " one-hot" : "",
                (o.path("layers").asInt(1) > 1 ? ", " + o.get("layers").asInt() + " layers" : "")
                        + (o.path("bidirectional").asBoolean() ? ", bidirectional" : ""),
                o.get("backend").asText(),
                o.get("vector_bits").asInt(),
                o.get("threads").asInt(),
                o.get("java_version").asText());
        out.printf(
                Locale.ROOT,
                "  %-16s %12s%n",
                "timed steps",
                o.get("iterations").asInt() + " (after " + o.get("warmup").asInt() + " warm-up)");
        out.printf(
                Locale.ROOT,
                "  %-16s %12s%n",
                "JIT warm-up",
                String.format(Locale.ROOT, "%.1f s", o.get("jit_warmup_taken_s").asDouble())
                        + (o.get("jit_warmup_taken_s").asDouble() == 0
                                ? ""
                                : o.get("jit_settled").asBoolean() ? ", settled" : ", still compiling")
                        + (o.get("jit_compile_ms_while_timed").asLong() > 0
                                ? "; compiled "
                                        + o.get("jit_compile_ms_while_timed").asLong() + " ms while timed"
                                : ""));
        out.printf(
                Locale.ROOT,
                "  %-16s %12.3f%n",
                "ms/step median",
                o.get("ms_per_step").asDouble());
        out.printf(
                Locale.ROOT,
                "  %-16s %12.3f%n",
                "ms/step mean",
                o.get("ms_mean").asDouble());
        out.printf(
                Locale.ROOT, "  %-16s %12.3f%n", "ms/step min", o.get("ms_min").asDouble());
        out.printf(
                Locale.ROOT, "  %-16s %12.3f%n", "ms/step max", o.get("ms_max").asDouble());
        out.printf(
                Locale.ROOT,
                "  %-16s %12.4f%n",
                "GFLOP/step",
                o.get("gflop_per_step").asDouble());
        out.printf(Locale.ROOT, "  %-16s %12.3f%n", "GFLOP/s", o.get("gflops").asDouble());
        if (o.hasNonNull("fraction_of_peak")) {
            out.printf(
                    Locale.ROOT,
                    "  %-16s %12.3f  (of %.1f GFLOP/s: %d x one core's measured FMA peak)%n",
                    "of peak",
                    o.get("fraction_of_peak").asDouble(),
                    o.get("peak_gflops").asDouble(),
                    o.get("threads").asInt());
        }
        out.printf(
                Locale.ROOT,
                "  %-16s %12.0f%n",
                "time steps/s",
                o.get("timesteps_per_s").asDouble());
        out.printf(
                Locale.ROOT,
                "  %-16s %12.4f%n",
                "loss first",
                o.get("loss_first").asDouble());
        out.printf(
                Locale.ROOT, "  %-16s %12.4f%n", "loss last", o.get("loss_last").asDouble());
        out.printf(Locale.ROOT, "  %-16s %s%n", "CPU", o.get("cpu").asText());
        if (o.hasNonNull("kernel_settings")) {
            out.printf(
                    Locale.ROOT,
                    "  %-16s %s (%s)%n",
                    "kernel settings",
                    o.get("kernel_settings").asText(),
                    o.get("tuning").asText());
        }
        out.printf(
                Locale.ROOT,
                "  %-16s %.2f before, %.2f after%n",
                "load average",
                o.get("load_before").asDouble(),
                o.get("load_after").asDouble());
    }
}
