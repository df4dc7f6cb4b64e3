package org.bptt.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bptt.simd.internal.SimdSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The SIMD kernels at narrower vectors than this machine's: in a child JVM limited to 256-bit
 * vectors as an AVX2-only CPU has them ({@code -XX:UseAVX=2 -XX:MaxVectorSize=32}), and in one
 * limited to 128-bit vectors, the GEMM, element-wise and settings tests run again — every
 * kernel against its scalar twin, bitwise where the twin rounds the same way, and every tuner
 * candidate against the defaults of that width.
 */
final class TestVectorWidths {
    private static final String[] TESTS = {
        TestSimdGemm.class.getName(), TestSimdKernels.class.getName(), TestSettingsKeepBits.class.getName()
    };

    @Test
    void avx2With256BitVectors() throws IOException, InterruptedException {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        Assumptions.assumeTrue(arch.equals("amd64") || arch.equals("x86_64"), "UseAVX is an x86 flag");
        check(256, "-XX:UseAVX=2", "-XX:MaxVectorSize=32");
    }

    @Test
    void with128BitVectors() throws IOException, InterruptedException {
        check(128, "-XX:MaxVectorSize=16");
    }

    private static void check(int bits, String... flags) throws IOException, InterruptedException {
        Assumptions.assumeTrue(Fixtures.vectorModulePresent(), "jdk.incubator.vector is not in the boot layer");
        Assumptions.assumeTrue(
                SimdSupport.preferredVectorBits() >= bits, "this CPU's vectors are narrower than " + bits + " bits");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // The JIT group of the platform's options, so that the packed panels' lead (ArrayAlignment) is
            // tested at every width: 4 floats at 256 bits, none at 128.
            if (arg.startsWith("--add-modules")
                    || arg.startsWith("-XX:CompileCommand")
                    || arg.startsWith("-XX:ObjectAlignmentInBytes")) {
                command.add(arg);
            }
        }
        command.addAll(List.of(flags));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), VectorWidthCheck.class.getName()));
        command.addAll(List.of(TESTS));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        assertEquals(0, exit, "the kernel tests failed at " + bits + "-bit vectors:\n" + output);
        assertTrue(
                output.contains("vector-bits " + bits + "\n"),
                "the child JVM did not run at " + bits + " bits:\n" + output);
        long passed = output.lines().filter(l -> l.startsWith("passed ")).count();
        assertTrue(passed >= 10, "only " + passed + " tests ran:\n" + output);
    }
}
