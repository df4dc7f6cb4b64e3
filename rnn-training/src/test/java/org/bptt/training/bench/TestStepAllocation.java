package org.bptt.training.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A steady-state training step allocates nothing, on the calling thread and on the kernel
 * workers. Measured on the reference step itself, in a fresh JVM per case with this JVM's
 * Vector API and JIT flags (docs/architecture.md, "Running the SIMD kernels"), as a training process runs.
 *
 * <p>One retry in another fresh JVM, and only for this reason: on JDK 25, about one JVM in
 * twenty compiles some kernel without one of its Vector API intrinsics (C2 recompiles it after
 * an uncommon trap and reports a species argument that is not a constant), and that kernel
 * then boxes its vectors for the life of the process. Our code allocating per step fails
 * every JVM, so both runs; docs/performance.md states the JIT effect ("The JIT").
 */
final class TestStepAllocation {
    /** Bytes per step allowed: none in the step, a little slack for the probe's own reads. */
    private static final long BOUND = 64;

    @ParameterizedTest(name = "{0} on {1} threads, {2} layers, bidirectional {3}, dropout {4}")
    @CsvSource({
        "W1-64, 1, 1, false, 0",
        "W1-64, 2, 1, false, 0",
        "W2, 1, 1, false, 0",
        "W2, 2, 1, false, 0",
        "W2, 1, 3, false, 0.2",
        "W2, 2, 2, true, 0.1"
    })
    void aSteadyStateStepAllocatesNothing(
            String workload, int threads, int layers, boolean bidirectional, double dropout)
            throws IOException, InterruptedException {
        Assumptions.assumeTrue(
                ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "jdk.incubator.vector is not in the boot layer");
        String[] shape = {Integer.toString(layers), Boolean.toString(bidirectional), Double.toString(dropout)};
        long first = probe(workload, threads, shape);
        if (first <= BOUND) {
            return;
        }
        long second = probe(workload, threads, shape);
        assertTrue(
                second <= BOUND,
                workload + " on " + threads + " threads allocates " + first + " and then " + second
                        + " bytes per step in two fresh JVMs");
    }

    private static long probe(String workload, int threads, String... shape) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-modules") || arg.startsWith("-XX:CompileCommand")) {
                command.add(arg);
            }
        }
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                StepAllocationProbe.class.getName(),
                workload,
                Integer.toString(threads),
                Long.toString(BOUND)));
        command.addAll(List.of(shape));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        String last = output.strip().lines().reduce("", (a, b) -> b);
        assertTrue(exit == 0 && last.startsWith("bytes-per-step "), "the probe failed (exit " + exit + "):\n" + output);
        return Long.parseLong(last.substring("bytes-per-step ".length()));
    }
}
