package org.bptt.examples.gated;

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
 * A steady-state training step of either cell allocates nothing, on the calling thread and on
 * the kernel workers: the reference step (full BPTT, SGD, clip-norm) on one and two threads
 * (two batch parts), and online TBPTT(5, 15) with Adam and autoclip. Measured as the
 * platform's own TestStepAllocation measures the vanilla cell: in a fresh JVM per case with
 * this JVM's Vector API and JIT flags, with one retry in another fresh JVM for the JDK's
 * occasional compilation of a kernel without one of its intrinsics (platform README, open
 * problems); allocating in our code fails both runs.
 */
final class TestStepAllocation {
    /** Bytes per step allowed: none in the step, a little slack for the probe's own reads. */
    private static final long BOUND = 64;

    @ParameterizedTest(name = "{0} {1} on {2} threads")
    @CsvSource({"gru, W1-64, 2", "lstm, W1-64, 1", "gru, tbptt, 1", "lstm, tbptt, 2"})
    void aSteadyStateStepAllocatesNothing(String cell, String workload, int threads) throws IOException, InterruptedException {
        Assumptions.assumeTrue(Fixtures.simdAvailable(), "jdk.incubator.vector is not in the boot layer");
        long first = probe(cell, workload, threads);
        if (first <= BOUND) {
            return;
        }
        long second = probe(cell, workload, threads);
        assertTrue(second <= BOUND, cell + " " + workload + " on " + threads + " threads allocates " + first + " and then "
                + second + " bytes per step in two fresh JVMs");
    }

    private static long probe(String cell, String workload, int threads) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-modules") || arg.startsWith("-XX:CompileCommand")) {
                command.add(arg);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), StepAllocationProbe.class.getName(),
                cell, workload, Integer.toString(threads), Long.toString(BOUND)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        String last = output.strip().lines().reduce("", (a, b) -> b);
        assertTrue(exit == 0 && last.startsWith("bytes-per-step "), "the probe failed (exit " + exit + "):\n" + output);
        return Long.parseLong(last.substring("bytes-per-step ".length()));
    }
}
