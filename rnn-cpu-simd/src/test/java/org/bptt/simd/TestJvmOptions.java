package org.bptt.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one file of JVM options: what it declares, in order, and the check for the inlining flag.
 * This test JVM was started by surefire with the argLine the parent pom reads from the same file,
 * so its own arguments must hold every option of the vector and JIT groups.
 */
final class TestJvmOptions {

    @Test
    void theFileDeclaresEachGroupAsTheLaunchersGiveIt() {
        assertEquals(List.of("--add-modules", "jdk.incubator.vector"), JvmOptions.of(JvmOptions.Group.VECTOR));
        assertEquals(
                List.of(
                        "-XX:CompileCommand=quiet",
                        "-XX:CompileCommand=dontinline,org.bptt.simd.internal.SimdKernels::*",
                        "-XX:ObjectAlignmentInBytes=64"),
                JvmOptions.of(JvmOptions.Group.JIT));
        assertEquals(List.of("-XX:+UseSerialGC", "-Xms32m", "-XX:MaxNewSize=32m"), JvmOptions.of(JvmOptions.Group.GC));
        assertEquals(List.of("-Dguice_bytecode_gen_option=DISABLED"), JvmOptions.of(JvmOptions.Group.GUICE));
        List<String> all = JvmOptions.all();
        assertEquals(10, all.size(), all.toString());
        assertEquals("--add-modules", all.get(0));
        assertEquals("-Xss4m", all.get(9));
    }

    @Test
    void theBuildsTestJvmRunsWithTheFilesOptions() {
        List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
        assertTrue(args.containsAll(JvmOptions.of(JvmOptions.Group.JIT)), args.toString());
        assertTrue(
                args.contains("jdk.incubator.vector") || args.contains("--add-modules=jdk.incubator.vector"),
                args.toString());
        assertTrue(JvmOptions.kernelsOutOfLine());
    }

    @Test
    void theInliningFlagIsFoundOnlyWhenGivenWhole() {
        assertTrue(JvmOptions.kernelsOutOfLine(
                List.of("-Xmx1g", "-XX:CompileCommand=dontinline,org.bptt.simd.internal.SimdKernels::*")));
        assertFalse(JvmOptions.kernelsOutOfLine(
                List.of("-XX:CompileCommand=quiet", "--add-modules", "jdk.incubator.vector")));
        // A misspelt class or another method pattern keeps the kernels inlined.
        assertFalse(JvmOptions.kernelsOutOfLine(
                List.of("-XX:CompileCommand=dontinline,org.bptt.simd.internal.SimdKernel::*")));
        assertFalse(JvmOptions.kernelsOutOfLine(
                List.of("-XX:CompileCommand=dontinline,org.bptt.simd.internal.SimdKernels::mult")));
    }
}
