package org.bptt.simd;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The JVM options the platform runs with, from the one file that declares them
 * ({@code org/bptt/simd/jvm.properties}, beside this class): what an embedder adds to its own
 * JVM, what the Spark executors and the JMH forks are given, and what a JVM is checked for at
 * start-up.
 */
public final class JvmOptions {
    /** The groups of the file, in the order a command line gives them. */
    public enum Group {
        /** The Vector API module. */
        VECTOR("rnn.jvm.vector"),
        /** The JIT flags that compile each SIMD kernel on its own. */
        JIT("rnn.jvm.jit"),
        /** The garbage collector. */
        GC("rnn.jvm.gc"),
        /** Guice without bytecode generation, which reaches for sun.misc.Unsafe. */
        GUICE("rnn.jvm.guice"),
        /** Thread stack size. */
        STACK("rnn.jvm.stack");

        private final String key;

        Group(String key) {
            this.key = key;
        }

        /** The property's name in the file. */
        public String key() {
            return key;
        }
    }

    private static final Properties FILE = read();

    private JvmOptions() {}

    private static Properties read() {
        Properties p = new Properties();
        try (InputStream in = JvmOptions.class.getResourceAsStream("jvm.properties")) {
            if (in == null) {
                throw new IllegalStateException("jvm.properties is missing from rnn-cpu-simd's jar");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** The options of the given groups, one option per element, in the order given. */
    public static List<String> of(Group... groups) {
        List<String> l = new ArrayList<>();
        for (Group g : groups) {
            String v = FILE.getProperty(g.key);
            if (v == null) {
                throw new IllegalStateException("jvm.properties declares no " + g.key);
            }
            l.addAll(List.of(v.strip().split("\\s+")));
        }
        return l;
    }

    /** Every option, in the file's order: the JVM command line the platform runs with. */
    public static List<String> all() {
        return of(Group.values());
    }

    /** Whether these JVM arguments keep the SIMD kernels out of line (see {@link Group#JIT}). */
    public static boolean kernelsOutOfLine(List<String> jvmArguments) {
        return of(Group.JIT).stream().filter(o -> o.contains("dontinline")).allMatch(jvmArguments::contains);
    }

    /** Whether this JVM was started with the option that keeps the SIMD kernels out of line. */
    public static boolean kernelsOutOfLine() {
        return kernelsOutOfLine(ManagementFactory.getRuntimeMXBean().getInputArguments());
    }
}
