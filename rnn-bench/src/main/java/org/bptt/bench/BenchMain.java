package org.bptt.bench;

import java.util.ArrayList;
import java.util.List;
import org.bptt.simd.JvmOptions;

/**
 * {@code java -jar benchmarks.jar ...}: JMH's own command line, with every fork given the JVM
 * options the platform runs with (the Vector API, the SIMD kernels' JIT flags, G1), read from
 * the one file that declares them.
 */
public final class BenchMain {
    private BenchMain() {}

    /** What each fork is started with, beside JMH's own options and the user's {@code -jvmArgsAppend}. */
    static List<String> forkOptions() {
        return JvmOptions.of(JvmOptions.Group.VECTOR, JvmOptions.Group.JIT, JvmOptions.Group.GC);
    }

    public static void main(String[] args) throws Exception {
        List<String> all = new ArrayList<>(List.of("-jvmArgsAppend", String.join(" ", forkOptions())));
        all.addAll(List.of(args));
        org.openjdk.jmh.Main.main(all.toArray(String[]::new));
    }
}
